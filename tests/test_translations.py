"""The Simplified Chinese catalog stays complete: every string the code marks for translation has
a translation, with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "coop/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def extracted():
    """(msgid, where) for every marked string in the code and templates, as `make messages`."""
    method_map = [("coop/**.py", "python"), ("coop/templates/**.html", "jinja2")]
    found = {}
    # Babel skips folders that begin with "_" by default: templates/_macros must be read too.
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=method_map,
        keywords=KEYWORDS,
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        found.setdefault(message, filename)
    return found


def test_macros_are_read():
    """The pager's words live in templates/_macros, which Babel would skip by default."""
    found = extracted()
    assert found["Next"].endswith("_macros/pagination.html")
    assert "Please correct these problems:" in found


@pytest.fixture(scope="module")
def catalog():
    with CATALOG.open("rb") as f:
        return read_po(f, locale="zh_Hans_CN")


def test_every_string_is_translated(catalog):
    missing = []
    for message, where in extracted().items():
        entry = catalog.get(message)
        strings = entry.string if entry is not None else None
        if isinstance(strings, tuple):
            strings = strings if all(strings) else None
        if not strings or (entry is not None and entry.fuzzy):
            missing.append(f"{where}: {message!r}")
    assert not missing, "untranslated; run `make messages` and translate:\n" + "\n".join(missing)


def test_placeholders_kept(catalog):
    wrong = []
    for entry in catalog:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        if any(set(PLACEHOLDER.findall(s)) != wanted for s in strings):
            wrong.append(entry.id)
    assert not wrong


def test_catalog_folder_is_one_babel_finds():
    # Babel maps zh_CN to zh_Hans_CN: a catalog under zh_CN would silently never be used.
    assert CATALOG.exists()
    assert not (ROOT / "coop/translations/zh_CN").exists()


def test_language_switch(client, as_role):
    client = as_role("president")
    assert "Enterprises" in client.get("/enterprises/").text
    response = client.post("/language", data={"lang": "zh_Hans_CN", "next": "/enterprises/"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/enterprises/")
    page = client.get("/enterprises/").text
    assert "会员企业" in page
    assert 'lang="zh-Hans"' in page
    client.post("/language", data={"lang": "en"})
    assert "Enterprises" in client.get("/enterprises/").text


def test_browser_language_chooses_chinese(client, users):
    page = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).text
    assert "登录" in page


def test_unknown_language_refused(client):
    assert client.post("/language", data={"lang": "xx"}).status_code == 400


def test_form_and_api_messages_translated(client, as_role, members):
    client = as_role("president")
    client.post("/language", data={"lang": "zh_Hans_CN"})
    page = client.post(
        "/enterprises/new",
        data={"code": "X1", "name": "X", "joined_on": "2005-01-01", "left_on": "2004-01-01"},
    )
    assert page.status_code == 400
    assert "不得早于入会日期" in page.text
    answer = client.post(
        "/api/v1/enterprises", json={"code": "X1", "name": "X", "joined_on": "2005-13-01"}
    )
    assert answer.status_code == 400
    assert answer.json["details"] == {"joined_on": ["不是有效日期（请使用 YYYY-MM-DD）。"]}


def test_no_message_hides_in_an_f_string():
    """Babel does not read an f-string's expressions: _("mu") inside one is never extracted,
    so never translated."""
    hidden = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "coop").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"""\bf(["']).*\{\s*_l?\(""", line)
    ]
    assert not hidden, hidden
