"""coop works with no internet: every stylesheet, script and icon comes from coop/static."""

import re

import pytest

ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="([^"]+)"')
PAGES = ["/", "/enterprises/", "/mines/M1A", "/mines/new", "/data/", "/audit/", "/accounts/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_asset_is_local(as_role, path):
    client = as_role("admin")
    page = client.get(path)
    assert page.status_code == 200
    assets = ASSET.findall(page.text)
    assert any(a.endswith("bootstrap.min.css") for a in assets)
    for url in assets:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url


def test_browser_may_load_only_from_this_site(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy


def test_no_template_points_elsewhere():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "coop"
    for path in [*root.glob("templates/**/*.html"), *root.glob("static/css/*.css")]:
        text = path.read_text()
        assert not re.search(r'(?:src|href)="(?:https?:)?//', text), path
        assert "@import url(http" not in text, path
