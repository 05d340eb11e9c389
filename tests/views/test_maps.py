"""The offline lease map (docs/design.md "Leases": conflicts "are shown on the map"): the GeoJSON
that coop/static/js/map.js draws, with its colours, overlaps and neighbours; who may see it; and
pages that load Leaflet from coop/static only, with no inline script."""

import itertools
import json
import math
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from shapely.geometry import box, shape

from coop.audit import acting_as
from coop.extensions import db
from coop.services.leases import lease_by_permit, save_lease
from coop.services.members import save_enterprise, save_mine
from coop.views.maps import PALETTE, enterprise_colours, lease_map_labels
from tests.conftest import Auth
from tests.helpers import GRS80, rectangle, square

TODAY = date(2025, 6, 1)
M2_PER_MU = 10000 / 15
STATIC = Path(__file__).resolve().parents[2] / "coop" / "static"
LEASE_PROPERTIES = {
    "kind",
    "permit_no",
    "mine_code",
    "mine_name",
    "enterprise_code",
    "enterprise_name",
    "valid_from",
    "valid_to",
    "days_to_expiry",
    "state",
    "expired",
    "area_m2",
    "area_mu",
    "area_ha",
    "colour",
    "url",
    "conflicting",
    "focus",
    "text",
}
CONFLICT_PROPERTIES = {"kind", "lease_a", "lease_b", "intersection_m2", "intersection_mu", "text"}
# At 26.1 degrees north: metres in a degree of longitude and of latitude, near enough.
M_PER_DEG_LON = 111_320 * math.cos(math.radians(26.1))
M_PER_DEG_LAT = 110_800


@pytest.fixture
def config():
    """A fixed today, so that days to expiry do not move."""
    return {"TODAY": TODAY.isoformat()}


def add_lease(permit, mine, wkt, valid_from=date(2020, 1, 1), valid_to=date(2030, 12, 31)):
    with acting_as("test"):
        save_lease(
            {
                "permit_no": permit,
                "mine_code": mine,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "boundary": wkt,
            }
        )
        db.session.commit()


def geodesic_area(geometry):
    """The GRS80 area of a shapely geometry."""
    return abs(GRS80.geometry_area_perimeter(geometry)[0])


def collection(client, **args):
    response = client.get("/map/leases.geojson", query_string=args)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/geo+json"
    data = json.loads(response.data)
    assert data["type"] == "FeatureCollection"
    return data


def leases_of(data):
    return {
        f["properties"]["permit_no"]: f
        for f in data["features"]
        if f["properties"]["kind"] == "lease"
    }


def conflicts_of(data):
    return {
        (f["properties"]["lease_a"], f["properties"]["lease_b"]): f
        for f in data["features"]
        if f["properties"]["kind"] == "conflict"
    }


def focus_of(data):
    return {permit: f["properties"]["focus"] for permit, f in leases_of(data).items()}


# ---------------------------------------------------------------------------------------------
# the GeoJSON


def test_every_lease_and_conflict_with_its_properties(as_role, leases):
    data = collection(as_role("operator"))
    found = leases_of(data)
    assert sorted(found) == ["L1", "L2", "L3"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        expected = (
            LEASE_PROPERTIES if feature["properties"]["kind"] == "lease" else CONFLICT_PROPERTIES
        )
        assert set(feature["properties"]) == expected

    l1 = found["L1"]
    assert l1["geometry"] == json.loads(lease_by_permit("L1").boundary)
    assert l1["geometry"]["type"] == "Polygon"
    props = l1["properties"]
    approximate = ("area_m2", "area_mu", "area_ha", "text")
    assert {k: v for k, v in props.items() if k not in approximate} == {
        "kind": "lease",
        "permit_no": "L1",
        "mine_code": "M1A",
        "mine_name": "Mine M1A",
        "enterprise_code": "E1",
        "enterprise_name": "Enterprise E1",
        "valid_from": "2020-01-01",
        "valid_to": "2030-12-31",
        "days_to_expiry": (date(2030, 12, 31) - TODAY).days,
        "state": "valid",
        "expired": False,
        "colour": PALETTE[0],  # E1's, the first code
        "url": "/leases/L1",
        "conflicting": True,
        "focus": True,
    }
    area = geodesic_area(box(107.40, 26.10, 107.41, 26.11))
    assert props["area_m2"] == pytest.approx(area, rel=1e-4)
    assert props["area_mu"] == pytest.approx(area / M2_PER_MU, abs=0.006)
    assert props["area_ha"] == pytest.approx(area / 10_000, abs=0.0001)
    assert found["L2"]["properties"]["conflicting"] is True
    assert found["L3"]["properties"]["conflicting"] is False  # it only shares L1's edge


def test_an_overlap_is_a_feature_with_its_intersection(as_role, leases):
    conflicts = conflicts_of(collection(as_role("bureau")))
    assert list(conflicts) == [("L1", "L2")]
    feature = conflicts[("L1", "L2")]
    # L1 spans 107.40-107.41 and L2 107.405-107.415, both 26.10-26.11: they share the east half.
    expected = geodesic_area(box(107.405, 26.10, 107.41, 26.11))
    assert feature["properties"]["intersection_m2"] == pytest.approx(expected, rel=0.01)
    assert feature["properties"]["intersection_mu"] == pytest.approx(expected / M2_PER_MU, rel=0.01)
    drawn = shape(feature["geometry"])
    assert drawn.geom_type in ("Polygon", "MultiPolygon")
    assert drawn.symmetric_difference(box(107.405, 26.10, 107.41, 26.11)).area < 1e-9
    assert geodesic_area(drawn) == pytest.approx(expected, rel=0.01)


def test_one_colour_per_enterprise(as_role, leases):
    found = leases_of(collection(as_role("admin")))
    colours = {permit: f["properties"]["colour"] for permit, f in found.items()}
    assert colours["L1"] == colours["L3"]  # both E1's
    assert colours["L1"] != colours["L2"]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours.values())


def lab(colour):
    """CIELAB (D65) of a #rrggbb colour."""

    def linear(c):
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_palette_has_at_least_13_clearly_distinct_colours_none_red():
    assert len(set(PALETTE)) == len(PALETTE) >= 13
    for a, b in itertools.combinations(PALETTE, 2):
        assert math.dist(lab(a), lab(b)) > 25, (a, b)
    for colour in PALETTE:  # red is the overlaps' colour
        assert math.dist(lab(colour), lab("#c1121f")) > 40, colour


def test_colours_follow_enterprise_code_order(app, members):
    with acting_as("test"):
        for n in range(4, 16):
            save_enterprise(
                {"code": f"E{n:02}", "name": f"Enterprise {n}", "joined_on": date(2001, 1, 1)}
            )
        db.session.commit()
    colours = enterprise_colours()
    assert list(colours) == sorted(colours)
    assert len(colours) == 15
    assert len(set(colours.values())) == 15  # distinct while the palette lasts
    assert list(colours.values()) == list(PALETTE[:15])


def test_colour_does_not_change_with_the_filter(as_role, leases):
    client = as_role("admin")
    everything = leases_of(collection(client))
    only_e2 = leases_of(collection(client, enterprise_code="E2"))
    assert only_e2["L2"]["properties"]["colour"] == everything["L2"]["properties"]["colour"]


def test_expired_lease(as_role, leases):
    add_lease("OLD", "M1B", square(107.50, 26.20), date(2010, 1, 1), date(2024, 12, 31))
    props = leases_of(collection(as_role("admin")))["OLD"]["properties"]
    assert props["expired"] is True
    assert props["days_to_expiry"] == (date(2024, 12, 31) - TODAY).days < 0


def test_no_leases_is_an_empty_collection(as_role, members):
    assert collection(as_role("admin")) == {"type": "FeatureCollection", "features": []}


@pytest.fixture
def around_l1(leases):
    """Leases of E2's mine M2A west of L1 (whose west edge is 107.40): NEAR 300 m away, FAR 800 m
    away; SOUTH 300 m south of L1 (L1's south edge is 26.10); and AWAY 10 km off."""
    near_east = 107.40 - 300 / M_PER_DEG_LON
    far_east = 107.40 - 800 / M_PER_DEG_LON
    near_north = 26.10 - 300 / M_PER_DEG_LAT
    add_lease("NEAR", "M2A", rectangle(near_east - 0.003, 26.101, near_east, 26.104))
    add_lease("FAR", "M2A", rectangle(far_east - 0.003, 26.101, far_east, 26.104))
    add_lease("SOUTH", "M2A", rectangle(107.402, near_north - 0.003, 107.405, near_north))
    add_lease("AWAY", "M2A", square(107.50, 26.10))


def test_a_mine_with_its_neighbours(as_role, around_l1):
    data = collection(as_role("operator_b"), mine_code="M1A")
    # L1 is M1A's; L2 overlaps it; L3 shares its edge; NEAR and SOUTH lie 300 m off.
    assert focus_of(data) == {
        "L1": True,
        "L2": False,
        "L3": False,
        "NEAR": False,
        "SOUTH": False,
    }
    assert list(conflicts_of(data)) == [("L1", "L2")]


def test_a_lease_with_its_neighbours(as_role, around_l1):
    data = collection(as_role("operator"), permit_no="L2")
    assert focus_of(data) == {"L1": False, "L2": True, "L3": False, "SOUTH": False}
    assert list(conflicts_of(data)) == [("L1", "L2")]


def test_conflicts_shown_are_those_of_the_focused_leases(as_role, around_l1):
    data = collection(as_role("operator"), mine_code="M1B")
    assert focus_of(data) == {"L1": False, "L2": False, "L3": True}
    assert conflicts_of(data) == {}  # L1 and L2 overlap, but neither is M1B's


def test_an_enterprise_with_its_neighbours(as_role, around_l1):
    data = collection(as_role("president"), enterprise_code="E1")
    assert focus_of(data) == {
        "L1": True,
        "L2": False,
        "L3": True,
        "NEAR": False,
        "SOUTH": False,
    }


def test_filters_together(as_role, around_l1):
    client = as_role("admin")
    assert focus_of(collection(client, enterprise_code="E1", mine_code="M1B"))["L3"] is True
    assert collection(client, enterprise_code="E2", mine_code="M1B")["features"] == []


def test_a_mine_with_no_lease_shows_nothing(as_role, leases):
    with acting_as("test"):
        save_mine(
            {
                "code": "M2B",
                "enterprise_code": "E2",
                "name": "Mine M2B",
                "minerals": "Zn",
                "mining_method": "open_pit",
                "status": "active",
            }
        )
        db.session.commit()
    assert collection(as_role("admin"), mine_code="M2B")["features"] == []


@pytest.mark.parametrize(
    "args",
    [{"enterprise_code": "E9"}, {"mine_code": "M9"}, {"permit_no": "NOPE"}],
    ids=["enterprise", "mine", "lease"],
)
def test_unknown_codes_are_404(as_role, leases, args):
    client = as_role("admin")
    assert client.get("/map/leases.geojson", query_string=args).status_code == 404
    if "enterprise_code" in args:
        assert client.get("/map", query_string=args).status_code == 404


def test_blank_filters_are_no_filter(as_role, leases):
    data = collection(as_role("admin"), enterprise_code="", mine_code="", permit_no="")
    assert all(focus_of(data).values()) and len(focus_of(data)) == 3


# ---------------------------------------------------------------------------------------------
# who may see it


@pytest.mark.parametrize(
    "path", ["/map", "/map/leases.geojson", "/map/leases.geojson?mine_code=M1A"]
)
def test_every_role_sees_the_map(app, client, users, leases, path):
    for username in users:
        assert as_login(app, username).get(path).status_code == 200, username
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def as_login(app, username):
    client = app.test_client()
    assert Auth(client).login(username).status_code == 302
    return client


def test_navbar_links_to_the_map(as_role, leases):
    page = as_role("operator").get("/mines/")
    assert 'href="/map"' in page.text


# ---------------------------------------------------------------------------------------------
# the pages: Leaflet from coop/static, no inline script or style, translated words in data-*

TAG_URL = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]*)\"", re.I)


def map_element(html):
    found = re.findall(r"<div class=\"lease-map ([^\"]+)\"(.*?)>", html, re.S)
    assert len(found) == 1, "one map on the page"
    height, attributes = found[0]
    url = unescape(re.search(r'data-url="([^"]*)"', attributes).group(1))
    labels = json.loads(unescape(re.search(r"data-labels='([^']*)'", attributes).group(1)))
    return height, url, labels


@pytest.mark.parametrize("path", ["/map", "/map?enterprise_code=E1", "/mines/M1A"])
def test_pages_load_only_local_files_and_no_inline_script(as_role, leases, path):
    client = as_role("operator")
    page = client.get(path)
    assert page.status_code == 200
    html = page.text
    urls = TAG_URL.findall(html)
    assert any(u.endswith("/leaflet.js") for u in urls)
    assert any(u.endswith("/leaflet.css") for u in urls)
    assert any(u.endswith("/js/map.js") for u in urls)
    for url in urls:
        assert not re.match(r"(?:https?:)?//", url), url
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url
    for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I):
        assert "src=" in attributes and not body.strip(), "an inline script"
    assert not re.search(r"<style\b|\sstyle=", html, re.I), "an inline style"
    assert not re.search(r"\son[a-z]+=", html, re.I), "an inline event handler"


def test_map_pages_point_at_their_data(as_role, leases):
    client = as_role("admin")
    height, url, labels = map_element(client.get("/map").text)
    assert (height, url) == ("map-large", "/map/leases.geojson")
    height, url, _ = map_element(client.get("/map?enterprise_code=E2").text)
    assert url == "/map/leases.geojson?enterprise_code=E2"
    height, url, _ = map_element(client.get("/mines/M1A").text)
    assert (height, url) == ("map-small", "/map/leases.geojson?mine_code=M1A")
    assert {"lease", "mine", "enterprise", "area", "zoom_in", "empty", "failed", "conflict"} <= set(
        labels
    )
    assert labels["lease"] == "Lease {permit}"
    assert labels["empty"] == "No leases to show."


def test_enterprise_filter_keeps_its_choice(as_role, leases):
    html = as_role("admin").get("/map?enterprise_code=E2").text
    assert re.search(r'<option value="E2" selected>', html)


def test_leaflet_is_vendored_with_its_licence(client):
    root = "/static/vendor/leaflet-1.9.4/"
    for name in (
        "leaflet.js",
        "leaflet.css",
        "LICENSE",
        "images/layers.png",
        "images/marker-icon.png",
    ):
        assert client.get(root + name).status_code == 200, name
    assert 'version="1.9.4"' in (STATIC / "vendor/leaflet-1.9.4/leaflet.js").read_text()
    css = (STATIC / "vendor/leaflet-1.9.4/leaflet.css").read_text()
    assert not re.search(r"url\((?:['\"])?(?:https?:)?//", css)


def test_map_script_writes_data_as_text_only():
    script = (STATIC / "js/map.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "tileLayer" not in script  # no base layer: nothing from a tile server
    assert "http://" not in script.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in script


def test_every_word_the_script_shows_is_given_to_it(app):
    script = (STATIC / "js/map.js").read_text()
    with app.test_request_context():
        given = lease_map_labels()
    assert set(re.findall(r"labels\.(\w+)", script)) <= set(given)
    assert all(isinstance(text, str) and text for text in given.values())


def area_dd(html):
    return re.search(r'<dd class="col-sm-7">([^<]*km²)</dd>', html).group(1)


@pytest.mark.parametrize("language", ["en", "zh_Hans_CN"])
def test_the_popup_says_numbers_and_dates_as_the_lease_page_does(as_role, leases, language):
    client = as_role("operator")
    assert client.post("/language", data={"lang": language, "next": "/"}).status_code == 302
    page = client.get("/leases/L1").text
    props = leases_of(collection(client))["L1"]["properties"]
    days = (date(2030, 12, 31) - TODAY).days
    assert days > 1000
    text = props["text"]
    # 2,040 days, as the page's "Days to expiry" (not 2040 beside 2,040).
    assert text["days_to_expiry"] == f"{days:,}"
    assert re.search(r'data-state="valid">\s*' + re.escape(f"{days:,}") + r"\s*</dd>", page)
    assert text["area"] == area_dd(page)
    valid_from, valid_to = text["validity"].split(" – ")
    assert valid_from in page and valid_to in page
    if language == "en":
        assert text["validity"] == "Jan 1, 2020 – Dec 31, 2030"
    else:
        assert text["validity"] == "2020年1月1日 – 2030年12月31日"
        assert "亩" in text["area"]


def test_an_expired_lease_says_how_long_ago_on_its_page_and_popup(as_role, leases):
    add_lease("L7", "M1A", square(107.60, 26.30), date(2000, 1, 1), date(2004, 1, 31))
    client = as_role("operator")
    page = client.get("/leases/L7").text
    # 2004-01-31 to 2025-06-01: 7,792 days, said as years.
    assert "expired 21 years ago" in page
    assert "days ago" not in page
    assert leases_of(collection(client))["L7"]["properties"]["text"]["expired"] == (
        "expired 21 years ago"
    )


def test_the_zoom_buttons_are_titled_in_the_readers_language(app):
    script = (STATIC / "js/map.js").read_text()
    assert "zoomControl: false" in script
    assert "zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out" in script
    with app.test_request_context():
        given = lease_map_labels()
    assert (given["zoom_in"], given["zoom_out"]) == ("Zoom in", "Zoom out")


def test_every_focused_lease_is_labelled_on_the_map():
    """Each focused lease carries a permanent label (its permit number, or its mine code when
    there are many), shown while it fits the lease (fitLabels), for any number of leases."""
    script = (STATIC / "js/map.js").read_text()
    assert "byPermit ? p.permit_no : p.mine_code" in script
    assert "permanent: true" in script
    assert "MAX_PERMANENT_LABELS" not in script
