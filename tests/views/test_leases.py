"""The lease and dispute pages (docs/design.md "Leases"): recording a lease from a permit's corner
table, refusing bad boundaries, showing areas and days to expiry, overlaps between leases, the
leases that need attention, and disputes between leases, with who may read and write them."""

import json
import re
from datetime import date
from functools import partial
from html import unescape

import pytest
from pyproj import CRS, Transformer

from coop.audit import acting_as
from coop.extensions import db
from coop.manifests.leases import DISPUTES
from coop.models import AuditEntry, Dispute, Lease
from coop.services.leases import lease_by_permit, save_dispute, save_lease
from coop.services.members import save_mine
from tests import helpers
from tests.helpers import add_leases, audit, geodesic_area, rectangle_area, square, square_area

TODAY = date(2025, 6, 1)
M2_PER_MU = 10000 / 15  # 1 mu = 666.67 m2 (docs/design.md)


@pytest.fixture
def config():
    """A fixed today, so that days to expiry and the attention page do not move."""
    return {"TODAY": TODAY.isoformat()}


# ---------------------------------------------------------------------------------------------
# helpers: what a page shows, what the database holds, values worked out independently


def flashed(html):
    return [unescape(m) for m in re.findall(r'role="alert">(.*?)</div>', html)]


def problems(html):
    """The lines of the form's error summary."""
    summary = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)
    assert summary, "no error summary on the page"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", summary.group(1))]


def invalid_fields(html):
    return set(
        re.findall(
            r'<(?:input|select|textarea)[^>]*class="[^"]*is-invalid[^"]*"[^>]*name="([^"]+)"', html
        )
    )


def selected(html, name):
    """The selected option's value of the select named name."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    found = re.findall(r'<option selected value="([^"]*)"', select.group(1))
    return found[0] if found else None


def lease_links(html):
    """The permit numbers of a lease table's rows, in order."""
    return re.findall(r'<tr>\s*<td[^>]*><a href="/leases/([^"/]+)">', html)


def dispute_links(html):
    return re.findall(r'<tr>\s*<td[^>]*><a href="/disputes/([^"/]+)">', html)


def section(html, heading):
    """The part of a page from the heading with this text to the next heading."""
    start = html.index(heading)
    rest = html[start + len(heading) :]
    end = re.search(r"<h[1-6]", rest)
    return rest[: end.start()] if end else rest


snapshot = partial(helpers.snapshot, Lease, Dispute, AuditEntry)


def area_line(area_m2):
    """The detail page's area line, formatted from an area worked out here."""
    return (
        f"{area_m2:,.0f} m² · {area_m2 / M2_PER_MU:,.2f} mu · {area_m2 / 10000:,.4f} ha · "
        f"{area_m2 / 1e6:.4f} km²"
    )


def days_to_expiry(html):
    found = re.search(r"Days to expiry</dt><dd[^>]*>\s*(-?[\d,]+)", html)
    assert found, "no days to expiry on the page"
    return int(found.group(1).replace(",", ""))


def vertices(geojson):
    geometry = json.loads(geojson)
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [tuple(p) for polygon in polygons for ring in polygon for p in ring]


def has_vertex(geojson, lon, lat, tolerance=1e-8):
    return any(abs(x - lon) < tolerance and abs(y - lat) < tolerance for x, y in vertices(geojson))


def lease_form(**changes):
    return {
        "permit_no": "L9",
        "mine_code": "M1B",
        "valid_from": "2021-01-01",
        "valid_to": "2031-12-31",
        "crs": "EPSG:4490",
        "boundary": square(107.60, 26.30),
        "elevation_top_m": "",
        "elevation_bottom_m": "",
    } | changes


def dispute_form(**changes):
    return {
        "ref": "D2",
        "opened_on": "2025-05-20",
        "lease_a": "L1",
        "lease_b": "L3",
        "description": "Where does the adit run?",
        "status": "open",
        "resolved_on": "",
        "resolution": "",
    } | changes


def post_refused(client, url, data):
    """POST data, expect the form back with 400, and nothing written (no audit entry either)."""
    before = snapshot()
    response = client.post(url, data=data)
    assert response.status_code == 400, response.text
    assert snapshot() == before
    return response.text


# A 1 km x 1 km square in CGCS2000 / 3-degree Gauss-Kruger zone 36 (EPSG:4524, central meridian
# 108E, eastings with the zone prefix), as a permit prints it: point number, X (northing), Y.
GK_CRS = "EPSG:4524"
GK_CORNERS = [
    ("J1", 2950000.00, 36450000.00),
    ("J2", 2950000.00, 36451000.00),
    ("J3", 2951000.00, 36451000.00),
    ("J4", 2951000.00, 36450000.00),
]
GK_TABLE = "点号\tX\tY\n" + "".join(f"{p}\t{x:.2f}\t{y:.2f}\n" for p, x, y in GK_CORNERS)


def gk_lonlat(x_northing, y_easting):
    """A Gauss-Kruger corner of zone 36 in CGCS2000 lon/lat, by PROJ directly."""
    return Transformer.from_crs(GK_CRS, "EPSG:4490", always_xy=True).transform(
        y_easting, x_northing
    )


# ---------------------------------------------------------------------------------------------
# creating a lease from a permit's corner table


def test_president_records_a_lease_from_a_gauss_kruger_corner_table(as_role, members):
    client = as_role("president")
    form_page = client.get("/leases/new?mine_code=M1A")
    assert form_page.status_code == 200
    assert selected(form_page.text, "mine_code") == "M1A"
    assert '<option value="EPSG:4524">' in form_page.text  # the zones are offered

    response = client.post(
        "/leases/new",
        data=lease_form(
            permit_no="C5200002011",
            mine_code="M1A",
            valid_from="2022-03-01",
            valid_to="2027-02-28",
            crs=GK_CRS,
            boundary=GK_TABLE,
            elevation_top_m="1250",
            elevation_bottom_m="980.5",
        ),
    )
    assert response.status_code == 302, problems(response.text)
    assert response.headers["Location"] == "/leases/C5200002011"

    lease = lease_by_permit("C5200002011")
    assert lease.mine_code == "M1A"
    assert (lease.valid_from, lease.valid_to) == (date(2022, 3, 1), date(2027, 2, 28))
    assert (lease.elevation_top_m, lease.elevation_bottom_m) == (1250, 980.5)
    # Stored in CGCS2000 lon/lat, every corner where PROJ puts it.
    assert lease.crs == "EPSG:4490"
    geometry = json.loads(lease.boundary)
    assert geometry["type"] == "Polygon"
    for _point, x, y in GK_CORNERS:
        lon, lat = gk_lonlat(x, y)
        assert 107.4 < lon < 107.6 and 26.6 < lat < 26.7  # zone 36, west of 108E
        assert has_vertex(lease.boundary, lon, lat)
    assert all(
        abs(lon - 107.5) < 0.1 and abs(lat - 26.66) < 0.05 for lon, lat in vertices(lease.boundary)
    )
    # A 1 km x 1 km square on the projection plane is 1,000,000 m2 within the zone's scale
    # distortion (well under 0.5 %), and the geodesic area of its corners in lon/lat.
    assert lease.area_m2 == pytest.approx(1_000_000, rel=0.005)
    corners = [gk_lonlat(x, y) for _p, x, y in GK_CORNERS]
    assert lease.area_m2 == pytest.approx(geodesic_area(corners), rel=1e-4)

    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "C5200002011 saved." in flashed(page.text)
    assert area_line(lease.area_m2) in page.text
    assert f"{lease.area_m2:,.0f} m²" in page.text
    assert f"{lease.area_m2 / M2_PER_MU:,.2f} mu" in page.text
    assert f"{lease.area_m2 / 10000:,.4f} ha" in page.text
    assert days_to_expiry(page.text) == (date(2027, 2, 28) - TODAY).days == 637
    assert "from 1250.0 m down to 980.5 m" in page.text
    # No other lease here: no overlap warning.
    assert not [m for m in flashed(page.text) if "overlaps" in m]
    assert "This lease overlaps" not in page.text


def test_the_new_lease_is_in_the_audit_log_with_its_mine_code(as_role, members):
    client = as_role("president")
    response = client.post("/leases/new", data=lease_form(crs=GK_CRS, boundary=GK_TABLE))
    assert response.status_code == 302, problems(response.text)
    [entry] = audit("leases", "L9")
    assert (entry.action, entry.actor) == ("create", "president")
    assert entry.after["mine_code"] == "M1B"
    assert "mine_id" not in entry.after
    assert entry.after["permit_no"] == "L9"
    assert entry.after["crs"] == "EPSG:4490"
    assert entry.after["area_m2"] == pytest.approx(1_000_000, rel=0.005)


def test_lease_in_lon_lat_corner_table_geojson_and_wkt_give_one_area(as_role, members):
    """The same square as a geographic corner table, GeoJSON and WKT: one area, that of the
    ellipsoid (not planar degrees)."""
    client = as_role("president")
    west, south = 107.60, 26.30
    ring = [(west, south), (west + 0.01, south), (west + 0.01, south + 0.01), (west, south + 0.01)]
    expected = geodesic_area(ring)
    table = "\n".join(f"{n} {lon} {lat}" for n, (lon, lat) in enumerate(ring, 1))
    geojson = json.dumps({"type": "Polygon", "coordinates": [[*map(list, ring), list(ring[0])]]})
    for permit, boundary in (("T1", table), ("T2", geojson), ("T3", square(west, south))):
        response = client.post(
            "/leases/new", data=lease_form(permit_no=permit, boundary=boundary, mine_code="M1A")
        )
        assert response.status_code == 302, problems(response.text)
        lease = lease_by_permit(permit)
        assert lease.area_m2 == pytest.approx(expected, rel=1e-9)
        assert lease.area_mu == pytest.approx(expected / M2_PER_MU, rel=1e-9)
        assert lease.area_ha == pytest.approx(expected / 10000, rel=1e-9)
    # Not planar degrees: 0.01 degree squared would be 1e-4.
    assert 1.0e6 < expected < 1.2e6


@pytest.mark.parametrize(
    "boundary",
    [
        # A corner table is usually not closed.
        "1 107.60 26.30\n2 107.61 26.30\n3 107.61 26.31\n4 107.60 26.31",
        # Nor, sometimes, GeoJSON or WKT.
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [[107.60, 26.30], [107.61, 26.30], [107.61, 26.31], [107.60, 26.31]]
                ],
            }
        ),
        "POLYGON((107.60 26.30, 107.61 26.30, 107.61 26.31, 107.60 26.31))",
    ],
    ids=["table", "geojson", "wkt"],
)
def test_a_ring_not_closed_is_closed_silently(as_role, members, boundary):
    client = as_role("president")
    response = client.post("/leases/new", data=lease_form(boundary=boundary))
    assert response.status_code == 302, problems(response.text)
    lease = lease_by_permit("L9")
    [ring] = json.loads(lease.boundary)["coordinates"]
    assert ring[0] == ring[-1]
    assert lease.area_m2 == pytest.approx(square_area(107.60, 26.30), rel=1e-9)
    page = client.get("/leases/L9").text
    assert flashed(page) == ["L9 saved."]


# ---------------------------------------------------------------------------------------------
# invalid boundaries: refused and named, nothing written


GK_4545 = "EPSG:4545"  # zone 36 again, eastings without the prefix


# Issue 11's corners: X about 2,900,000 and Y about 36,512,345 (zone prefix 36), hand-worked to
# EPSG:4488 + 36 = EPSG:4524 (CGCS2000 3-degree Gauss-Kruger zone 36, with the prefix).
ZONE_36_TABLE = (
    "J1 2900000.00 36512345.67\nJ2 2900000.00 36513345.67\n"
    "J3 2901000.00 36513345.67\nJ4 2901000.00 36512345.67\n"
)


def test_a_gauss_kruger_table_under_the_default_crs_is_offered_its_zone(as_role, members):
    client = as_role("president")
    form = client.get("/leases/new").text
    assert selected(form, "crs") in (None, "EPSG:4326")  # the default, WGS84 lon/lat
    html = post_refused(client, "/leases/new", lease_form(crs="EPSG:4326", boundary=ZONE_36_TABLE))
    found = problems(html)
    assert found[0].startswith("Boundary: corners J1, J2, J3, J4 lie outside the area of EPSG:4326")
    assert found[1:] == [
        "Coordinate system: these look like CGCS2000 3-degree Gauss-Kruger zone 36 (EPSG:4524) "
        "coordinates.",
        "Coordinate system: EPSG:4524 is selected now: save again to use it.",
    ]
    # Offered: the form comes back with the zone chosen, and saving it again takes it.
    assert selected(html, "crs") == "EPSG:4524"
    response = client.post("/leases/new", data=lease_form(crs="EPSG:4524", boundary=ZONE_36_TABLE))
    assert response.status_code == 302, problems(response.text)
    lease = lease_by_permit("L9")
    assert lease.area_m2 == pytest.approx(1_000_000, rel=0.005)


def test_a_bad_boundary_is_said_with_the_forms_other_problems(as_role, members):
    """A date the schema refuses and a boundary in another CRS: both at once, with the guess."""
    html = post_refused(
        as_role("president"),
        "/leases/new",
        lease_form(valid_to="2030-13-01", crs="EPSG:4326", boundary=ZONE_36_TABLE),
    )
    found = problems(html)
    assert any(p.startswith("Valid to: is not a valid date") for p in found), found
    assert any(p.startswith("Boundary: corners J1, J2, J3, J4 lie outside") for p in found)
    assert "Coordinate system: these look like CGCS2000 3-degree Gauss-Kruger zone 36 " in (
        "\n".join(found)
    )
    # and offered, as when the boundary is the form's only problem
    assert "Coordinate system: EPSG:4524 is selected now: save again to use it." in found
    assert selected(html, "crs") == "EPSG:4524"


def test_a_zone_s_own_suggestion_is_selected_too(as_role, members):
    """A prefixed table under the zone without the prefix: the message names EPSG:4524 once,
    and the form selects it."""
    html = post_refused(
        as_role("president"), "/leases/new", lease_form(crs=GK_4545, boundary=ZONE_36_TABLE)
    )
    assert problems(html) == [
        "Boundary: corner J1: the easting (Y) 36512345.67 carries a zone prefix, which EPSG:4545 "
        "does not take; use EPSG:4524.",
        "Coordinate system: EPSG:4524 is selected now: save again to use it.",
    ]
    assert selected(html, "crs") == "EPSG:4524"


def test_the_api_names_the_guessed_crs(members, api):
    answer = api.post(
        "/api/v1/leases",
        json=lease_form(crs="EPSG:4490", boundary=ZONE_36_TABLE)
        | {"elevation_top_m": None, "elevation_bottom_m": None},
    )
    assert answer.status_code == 400
    assert answer.json["details"]["crs"] == [
        "these look like CGCS2000 3-degree Gauss-Kruger zone 36 (EPSG:4524) coordinates."
    ]


def test_the_coordinate_systems_are_named_in_words_that_translate(as_role, members):
    form = as_role("president").get("/leases/new").text
    options = dict(re.findall(r'<option (?:selected )?value="(EPSG:\d+)">([^<]*)</option>', form))
    assert len(options) == 44
    assert unescape(options["EPSG:4326"]) == "EPSG:4326 WGS 84, longitude and latitude"
    assert unescape(options["EPSG:4490"]) == "EPSG:4490 CGCS2000, longitude and latitude"
    assert options["EPSG:4524"] == "EPSG:4524 CGCS2000 3-degree Gauss-Kruger zone 36"
    assert unescape(options["EPSG:4545"]) == "EPSG:4545 CGCS2000 3-degree Gauss-Kruger CM 108°E"


def test_the_suggested_crs_is_the_same_zone_without_prefix():
    """The refusal below suggests EPSG:4545 for unprefixed eastings: PROJ agrees it is the same
    zone (central meridian 108E) as EPSG:4524 without the prefix."""
    with_prefix, without = CRS(GK_CRS), CRS(GK_4545)
    assert "108E" in without.name and "zone 36" in with_prefix.name
    easting, northing = 450000.0, 2950000.0
    a = Transformer.from_crs(GK_CRS, "EPSG:4490", always_xy=True).transform(
        36_000_000 + easting, northing
    )
    b = Transformer.from_crs(GK_4545, "EPSG:4490", always_xy=True).transform(easting, northing)
    assert a == pytest.approx(b, abs=1e-9)


@pytest.mark.parametrize(
    ("crs", "boundary", "message"),
    [
        (
            "EPSG:4490",
            "J1 107.50 26.50\nJ2 107.51 26.51\nJ3 107.51 26.50\nJ4 107.50 26.51\n",
            # The diagonals of the bow tie cross at its middle.
            "Boundary: crosses itself: edge J1–J2 meets edge J3–J4 at 26.505000°N, 107.505000°E.",
        ),
        (
            "EPSG:4490",
            "POLYGON((107.5 26.5, 107.51 26.51, 107.51 26.5, 107.5 26.51, 107.5 26.5))",
            "Boundary: crosses itself: edge 1–2 meets edge 3–4 at 26.505000°N, 107.505000°E.",
        ),
        (
            "EPSG:4490",
            "1 107.50 26.50\n2 107.51 26.50\n3 107.50 26.50\n",
            "Boundary: has only 2 distinct corners; a boundary needs at least 3.",
        ),
        (
            "EPSG:4490",
            "POLYGON((107.5 26.5, 107.51 26.5, 107.5 26.5, 107.51 26.5))",
            "Boundary: has only 2 distinct corners; a boundary needs at least 3.",
        ),
        (
            "EPSG:4490",
            "J1 107.50 26.50\nJ2 107.51 26.50\nJ3 140.51 26.51\nJ4 107.50 26.51\n",
            "Boundary: corner J3 lies outside the area of EPSG:4490",
        ),
        (
            GK_CRS,
            # J3's northing puts it near 13.5N, south of the zone's area (from 18.19N).
            "J1 2950000 36450000\nJ2 2950000 36451000\nJ3 1500000 36451000\nJ4 2951000 36450000\n",
            "Boundary: corner J3 lies outside the area of EPSG:4524",
        ),
        (
            GK_CRS,
            "J1 2950000 36450000\nJ2 2950000 450500\nJ3 2951000 36451000\nJ4 2951000 36450000\n",
            "Boundary: corner J2: the easting (Y) 450500 lacks the zone prefix 36 that EPSG:4524 "
            "expects; for eastings without a prefix use EPSG:4545.",
        ),
    ],
    ids=[
        "self-intersecting table",
        "self-intersecting wkt",
        "two corners table",
        "two corners wkt",
        "outside cgcs2000",
        "outside the zone",
        "no zone prefix",
    ],
)
def test_invalid_boundary_is_refused_and_named(as_role, leases, crs, boundary, message):
    client = as_role("president")
    html = post_refused(client, "/leases/new", lease_form(crs=crs, boundary=boundary))
    problem, *offered = problems(html)
    assert problem.startswith(message), problem
    # A CRS the message names is selected for the next try (the zone without the prefix).
    suggested = re.search(r"use (EPSG:\d+)\.$", message)
    if suggested:
        assert offered == [
            f"Coordinate system: {suggested[1]} is selected now: save again to use it."
        ]
        assert selected(html, "crs") == suggested[1]
    else:
        assert offered == []
    assert invalid_fields(html) == {"boundary"} | ({"crs"} if suggested else set())
    assert lease_by_permit("L9") is None
    assert audit("leases", "L9") == []
    # What was typed is given back to correct.
    assert (
        unescape(
            re.search(r'<textarea[^>]*name="boundary"[^>]*>(.*?)</textarea>', html, re.S).group(1)
        ).strip()
        == boundary.strip()
    )


def test_an_outside_corner_names_the_crs_area_that_pyproj_gives(as_role, members):
    west, south, east, north = CRS("EPSG:4490").area_of_use.bounds
    html = post_refused(
        as_role("president"),
        "/leases/new",
        lease_form(boundary="J1 107.50 26.50\nJ2 107.51 26.50\nJ3 140.51 26.51\nJ4 107.50 26.51"),
    )
    assert east < 140.51
    assert problems(html) == [
        f"Boundary: corner J3 lies outside the area of EPSG:4490 "
        f"({west:g}°E–{east:g}°E, {south:g}°N–{north:g}°N)."
    ]


def test_invalid_boundary_on_edit_changes_nothing(as_role, leases):
    client = as_role("president")
    before = lease_by_permit("L1").boundary
    html = post_refused(
        client,
        "/leases/L1/edit",
        lease_form(permit_no="L1", mine_code="M1A", boundary="1 107.5 26.5\n2 107.51 26.5"),
    )
    assert problems(html) == ["Boundary: has only 2 distinct corners; a boundary needs at least 3."]
    assert lease_by_permit("L1").boundary == before


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"crs": "EPSG:3857"}, "Coordinate system: EPSG:3857 is not accepted", "crs"),
        ({"mine_code": "M9"}, "Mine: no mine has code M9.", "mine_code"),
        (
            {"valid_from": "2030-01-01", "valid_to": "2029-12-31"},
            "Valid to: must not be before the start date (2030-01-01).",
            "valid_to",
        ),
        (
            {"elevation_top_m": "900", "elevation_bottom_m": "1000"},
            "Bottom elevation (m): must be below the top elevation (900.0 m).",
            "elevation_bottom_m",
        ),
        ({"permit_no": "L2"}, "Permit number: L2 is already taken.", "permit_no"),
    ],
)
def test_other_lease_fields_are_checked(as_role, leases, changes, message, field):
    html = post_refused(as_role("president"), "/leases/new", lease_form(**changes))
    [problem] = problems(html)
    assert problem.startswith(message), problem


# ---------------------------------------------------------------------------------------------
# overlaps


def test_saving_a_conflicting_lease_is_allowed_and_the_overlap_shown_at_once(as_role, leases):
    """L4 covers L1's south-west quarter; its east edge is L2's west edge (no conflict there)."""
    client = as_role("president")
    response = client.post(
        "/leases/new", data=lease_form(permit_no="L4", boundary=square(107.395, 26.095))
    )
    assert response.status_code == 302, problems(response.text)
    expected = square_area(107.40, 26.10, 0.005)
    page = client.get(response.headers["Location"]).text
    messages = flashed(page)
    assert messages[0] == "L4 saved."
    [warning] = messages[1:]
    found = re.fullmatch(r"L4 overlaps lease L1 by ([\d,]+) m² \(([\d,.]+) mu\)\.", warning)
    assert found, warning
    assert float(found.group(1).replace(",", "")) == pytest.approx(expected, abs=1)
    assert float(found.group(2).replace(",", "")) == pytest.approx(expected / M2_PER_MU, abs=0.01)
    # The lease's page says so too, with a link to the other lease.
    assert "This lease overlaps 1 other lease:" in page
    assert '<a href="/leases/L1">L1</a>' in page
    assert "L2" not in section(page, "This lease overlaps")
    assert lease_by_permit("L4") is not None
    # And L1's page names L4 and L2.
    l1 = client.get("/leases/L1").text
    assert "This lease overlaps 2 other leases:" in l1
    overlaps = section(l1, "This lease overlaps")
    assert '<a href="/leases/L2">L2</a>' in overlaps and '<a href="/leases/L4">L4</a>' in overlaps


def test_editing_a_lease_into_an_overlap_warns_too(as_role, leases):
    client = as_role("president")
    edit = client.get("/leases/L3/edit").text
    assert selected(edit, "mine_code") == "M1B"
    assert selected(edit, "crs") == "EPSG:4490"
    # Move L3 down by half its height into L1 and L2.
    response = client.post(
        "/leases/L3/edit",
        data=lease_form(permit_no="L3", mine_code="M1B", boundary=square(107.40, 26.105)),
    )
    assert response.status_code == 302, problems(response.text)
    messages = flashed(client.get("/leases/L3").text)
    assert messages[0] == "L3 saved."
    assert [m.split(" by ")[0] for m in messages[1:]] == [
        "L3 overlaps lease L1",
        "L3 overlaps lease L2",
    ]


def test_conflicts_page_lists_the_overlap_with_its_area_and_dispute(as_role, leases):
    html = as_role("bureau").get("/leases/conflicts").text
    rows = re.findall(r"<tr>\s*<td><a href=\"/leases/(\w+)\">.*?</tr>", html, re.S)
    assert rows == ["L1"]  # one pair: L1 and L2; L1 and L3 only share an edge
    row = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert '<a href="/leases/L2">L2</a>' in row
    assert "L3" not in row
    expected = rectangle_area(107.405, 26.10, 107.41, 26.11)  # the eastern half of L1
    assert expected == pytest.approx(554_106, abs=1)
    cells = re.findall(r'<td class="text-end">([\d,.]+)</td>', row)
    assert float(cells[0].replace(",", "")) == pytest.approx(expected, abs=1)
    assert float(cells[1].replace(",", "")) == pytest.approx(expected / M2_PER_MU, abs=0.01)
    assert '<a href="/disputes/D1">D1</a> (open)' in row
    assert "Open a dispute" not in row  # the bureau writes nothing, and D1 is already open


def test_a_shared_edge_is_no_conflict(as_role, leases):
    client = as_role("president")
    l3 = client.get("/leases/L3").text
    assert "This lease overlaps" not in l3
    assert 'href="/leases/L1"' not in l3
    l1 = client.get("/leases/L1").text
    assert "This lease overlaps 1 other lease:" in l1
    assert "/leases/L3" not in section(l1, "This lease overlaps")
    # The list marks L1 and L2 as overlapping each other, L3 not.
    listing = client.get("/leases/").text
    assert lease_links(listing) == ["L1", "L2", "L3"]
    assert "overlaps L2" in listing and "overlaps L1" in listing
    assert "overlaps L3" not in listing


def test_a_dispute_is_opened_from_a_conflict_in_one_click(as_role, leases):
    client = as_role("president")
    response = client.post(
        "/leases/new", data=lease_form(permit_no="L4", boundary=square(107.395, 26.095))
    )
    assert response.status_code == 302
    conflicts = client.get("/leases/conflicts").text
    # A button posting both leases, not a link to a form.
    assert "/disputes/new?" not in conflicts
    form = re.search(
        r'<form method="post" action="/leases/conflicts/dispute".*?</form>', conflicts, re.S
    )
    assert form and 'name="lease_a" value="L1"' in form.group() and 'value="L4"' in form.group()

    response = client.post("/leases/conflicts/dispute", data={"lease_a": "L1", "lease_b": "L4"})
    assert response.status_code == 302
    # D1 of the fixtures was opened in 2025 too, but its ref is no generated one: 0001.
    assert response.headers["Location"] == "/disputes/D-2025-0001"
    dispute = db.session.execute(db.select(Dispute).filter_by(ref="D-2025-0001")).scalar_one()
    assert (dispute.lease_a, dispute.lease_b, dispute.status) == ("L1", "L4", "open")
    assert dispute.opened_on == TODAY
    overlap = service_conflict("L1", "L4")
    assert dispute.description == (
        f"The leases L1 and L4 overlap by {overlap.area_m2:,.0f} m² · {overlap.area_mu:,.2f} mu."
    )
    page = client.get("/disputes/D-2025-0001").text
    assert "D-2025-0001 opened." in flashed(page)
    # The conflicts page now links the dispute instead of offering to open one.
    conflicts = client.get("/leases/conflicts").text
    assert '<a href="/disputes/D-2025-0001">D-2025-0001</a> (open)' in conflicts
    assert "/leases/conflicts/dispute" not in conflicts
    [entry] = audit("disputes", "D-2025-0001")
    assert (entry.after["lease_a"], entry.after["lease_b"]) == ("L1", "L4")
    # The next one of the year is 0002 (L1 and L2 overlap too).
    response = client.post("/leases/conflicts/dispute", data={"lease_a": "L2", "lease_b": "L1"})
    assert response.headers["Location"] == "/disputes/D-2025-0002"


def service_conflict(a, b):
    from coop.services.leases import conflict_between

    return conflict_between(lease_by_permit(a), lease_by_permit(b))


@pytest.mark.parametrize(
    "data",
    [{"lease_a": "L1", "lease_b": "L3"}, {"lease_a": "L1", "lease_b": "NOPE"}, {"lease_a": "L1"}],
    ids=["no conflict (a shared edge)", "unknown lease", "one lease"],
)
def test_a_dispute_from_no_conflict_is_refused(as_role, leases, data):
    before = snapshot()
    assert as_role("president").post("/leases/conflicts/dispute", data=data).status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("ref", ["", "   "])
def test_a_dispute_ref_left_empty_is_generated_on_the_form_the_api_and_an_import(
    as_role, leases, api, ref
):
    client = as_role("president")
    response = client.post("/disputes/new", data=dispute_form(ref=ref, opened_on="2024-03-01"))
    assert response.status_code == 302, problems(response.text)
    assert response.headers["Location"] == "/disputes/D-2024-0001"
    answer = api.post(
        "/api/v1/disputes",
        json={
            "ref": ref,
            "opened_on": "2024-05-01",
            "lease_a": "L1",
            "lease_b": "L2",
            "description": "again",
            "status": "open",
        },
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["ref"] == "D-2024-0002"
    upload = helpers.upload(
        client,
        "disputes",
        "ref,opened_on,lease_a,lease_b,description,status,resolved_on,resolution\n"
        f"{ref},2024-06-01,L2,L3,a third,open,,\n,2026-01-05,L2,L3,a fourth,open,,\n".encode(),
        "disputes.csv",
    )
    assert upload.status_code in (200, 302), upload.text
    refs = set(db.session.execute(db.select(Dispute.ref)).scalars())
    assert {"D-2024-0001", "D-2024-0002", "D-2024-0003", "D-2026-0001"} <= refs
    # A PATCH may not empty it.
    answer = api.patch("/api/v1/disputes/D-2024-0001", json={"ref": ""})
    assert answer.status_code == 400


# ---------------------------------------------------------------------------------------------
# lists, details, days to expiry, what needs attention


def test_lease_page_shows_area_days_to_expiry_and_disputes(as_role, leases):
    page = as_role("operator_b").get("/leases/L1").text
    assert "Lease L1" in page
    assert area_line(square_area(107.40, 26.10)) in page
    assert days_to_expiry(page) == (date(2030, 12, 31) - TODAY).days
    assert dispute_links(page) == ["D1"]
    assert '<a href="/mines/M1A">M1A Mine M1A</a>' in page
    assert 'href="/leases/L1/edit"' not in page  # operators write no lease


def corner_rows(html):
    """The lease page's corner table: (point, first, second) as shown, and its CRS."""
    table = re.search(
        r'<table[^>]*corner-table[^>]*data-crs="([^"]+)"[^>]*>(.*?)</table>', html, re.S
    )
    assert table, "no corner table on the page"
    rows = re.findall(
        r"<tr><td>([^<]*)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td></tr>", table.group(2)
    )
    return table.group(1), rows


def test_the_lease_page_shows_the_corner_table_as_the_permit_prints_it(as_role, members):
    client = as_role("president")
    response = client.post(
        "/leases/new", data=lease_form(permit_no="C1", crs=GK_CRS, boundary=GK_TABLE)
    )
    assert response.status_code == 302, problems(response.text)
    page = client.get("/leases/C1").text
    # X (the northing) then Y (the easting), in EPSG:4524, as the table was typed: not the
    # stored lon/lat with a corner every 100 m.
    assert corner_rows(page) == (
        "EPSG:4524",
        [(p, f"{x:,.2f}", f"{y:,.2f}") for p, x, y in GK_CORNERS],
    )
    assert "As entered, in EPSG:4524 (CGCS2000 3-degree Gauss-Kruger zone 36)." in page
    assert '<th scope="col" class="text-end">X (northing)</th>' in page
    # Saved again from its edit form (the stored GeoJSON, unchanged), it keeps the permit's table.
    edit = client.get("/leases/C1/edit").text
    stored = unescape(re.search(r'name="boundary"[^>]*>(.*?)</textarea>', edit, re.S).group(1))
    again = lease_form(permit_no="C1", crs="EPSG:4490", boundary=stored.strip())
    assert client.post("/leases/C1/edit", data=again).status_code == 302
    assert corner_rows(client.get("/leases/C1").text)[0] == "EPSG:4524"
    # A new boundary replaces it, in its own CRS.
    moved = lease_form(
        permit_no="C1", crs="EPSG:4490", boundary="1 107.5 26.5\n2 107.51 26.5\n3 107.51 26.51"
    )
    assert client.post("/leases/C1/edit", data=moved).status_code == 302
    assert corner_rows(client.get("/leases/C1").text) == (
        "EPSG:4490",
        [
            ("1", "107.5000000", "26.5000000"),
            ("2", "107.5100000", "26.5000000"),
            ("3", "107.5100000", "26.5100000"),
        ],
    )


def test_the_api_and_the_export_name_no_field_beyond_the_design(as_role, members, api):
    client = as_role("president")
    client.post("/leases/new", data=lease_form(permit_no="C1", crs=GK_CRS, boundary=GK_TABLE))
    record = api.get("/api/v1/leases/C1").json
    assert not {"boundary_as_entered", "crs_as_entered"} & set(record)
    assert record["crs"] == "EPSG:4490"


@pytest.mark.parametrize(
    ("crs", "kept"), [("EPSG:4326", True), ("EPSG:4490", False)], ids=["wgs84", "cgcs2000"]
)
def test_a_lease_saved_before_the_table_was_kept(as_role, leases, crs, kept):
    """Leases saved before the migration hold no text as entered: a WGS84 one shows its stored
    corners (those given), a CGCS2000 one, which may have come from any zone, says so."""
    lease = lease_by_permit("L1")
    with acting_as("test"):
        save_lease({"crs": crs, "boundary": square(107.40, 26.10)}, lease)
        lease.boundary_as_entered = lease.crs_as_entered = None
        db.session.commit()
    page = as_role("president").get("/leases/L1").text
    if kept:
        shown, rows = corner_rows(page)
        assert shown == "EPSG:4326"
        # The square's four corners, numbered from 1 in the stored (counter-clockwise) order.
        assert [k for k, _x, _y in rows] == ["1", "2", "3", "4"]
        assert {(x, y) for _k, x, y in rows} == {
            ("107.4000000", "26.1000000"),
            ("107.4100000", "26.1000000"),
            ("107.4100000", "26.1100000"),
            ("107.4000000", "26.1100000"),
        }
        assert "From the stored boundary, in EPSG:4326" in page
    else:
        assert 'id="corners-not-kept"' in page
        assert "corner-table" not in page


@pytest.fixture
def attention_leases(leases):
    """As of TODAY (2025-06-01): L5 of M2D ends in exactly 90 days, L6 of M1A in 91; L9 of M2A
    ends in 30, but M2A's L2 follows it; mine M2B (active) has only L7, which expired; closed mine
    M2C has only L8, expired; M1B's old L0 expired but L3 followed it."""
    with acting_as("test"):
        save_mine(
            {
                "code": "M2B",
                "enterprise_code": "E2",
                "name": "Mine M2B",
                "minerals": "Zn",
                "mining_method": "underground",
                "status": "active",
            }
        )
        save_mine(
            {
                "code": "M2D",
                "enterprise_code": "E2",
                "name": "Mine M2D",
                "minerals": "Zn",
                "mining_method": "underground",
                "status": "active",
            }
        )
        save_mine(
            {
                "code": "M2C",
                "enterprise_code": "E2",
                "name": "Mine M2C",
                "minerals": "Zn",
                "mining_method": "underground",
                "status": "closed",
                "opened_on": date(2001, 1, 1),
                "closed_on": date(2019, 1, 1),
            }
        )
        add_leases(
            [
                ("L5", "M2D", date(2015, 9, 1), date(2025, 8, 30)),
                ("L6", "M1A", date(2015, 9, 1), date(2025, 8, 31)),
                ("L7", "M2B", date(2010, 1, 1), date(2024, 12, 31)),
                ("L8", "M2C", date(2005, 1, 1), date(2018, 12, 31)),
                ("L0", "M1B", date(2005, 1, 1), date(2019, 12, 31)),
                ("L9", "M2A", date(2015, 9, 1), date(2025, 7, 1)),
            ]
        )
        db.session.commit()


@pytest.mark.parametrize("role", ["president", "bureau"])
def test_attention_page_lists_leases_ending_within_90_days_and_expired_ones(
    as_role, attention_leases, role
):
    page = as_role(role).get("/leases/attention")
    assert page.status_code == 200
    html = page.text
    assert "As of Jun 1, 2025." in html
    ending = section(html, "Ending within 90 days")
    expired = section(html, "Expired, with no later lease for the mine")
    assert lease_links(ending) == ["L5"]  # 2025-08-30 is day 90; L6 ends on day 91
    assert "ends in 90 days" in ending
    assert lease_links(expired) == ["L7"]  # M1B has L3 after L0; M2C is closed
    # L9 ends within the 90 days too, but its mine's renewal (L2) is already recorded.
    # The bureau sees the conflicting leases from here too.
    assert '<a href="/leases/conflicts">1 pair of leases conflicts.</a>' in html


def test_lease_list_filters_expired_and_current(as_role, attention_leases):
    client = as_role("bureau")
    assert lease_links(client.get("/leases/?state=expired").text) == ["L0", "L7", "L8"]
    assert lease_links(client.get("/leases/?state=current").text) == [
        "L1",
        "L2",
        "L3",
        "L5",
        "L6",
        "L9",
    ]
    assert lease_links(client.get("/leases/?enterprise_code=E2&state=current").text) == [
        "L2",
        "L5",
        "L9",
    ]
    page = client.get("/leases/L7").text
    assert "expired 5 months ago" in page  # 2024-12-31 to 2025-06-01: 152 days
    assert (TODAY - date(2024, 12, 31)).days == 152


# ---------------------------------------------------------------------------------------------
# disputes: validation, editing, who may read


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "resolved"}, "Resolved on: is required when the dispute is resolved."),
        (
            {"status": "resolved", "opened_on": "2025-05-20", "resolved_on": "2025-05-19"},
            "Resolved on: must not be before the opening date (2025-05-20).",
        ),
        ({"lease_b": "L1"}, "Lease B: must be another lease than lease A."),
        ({"lease_a": "NOPE"}, "Lease A: no lease has permit number NOPE."),
        ({"lease_b": "NOPE"}, "Lease B: no lease has permit number NOPE."),
        ({"ref": "D1"}, "Reference: D1 is already taken."),
        ({"description": ""}, "Description: is required."),
    ],
)
def test_dispute_form_refuses_bad_values_naming_the_field(as_role, leases, changes, message):
    html = post_refused(as_role("president"), "/disputes/new", dispute_form(**changes))
    assert message in problems(html)
    assert DISPUTES.get("D2") is None


def test_dispute_is_mediated_then_resolved(as_role, leases):
    client = as_role("president")
    edit = client.get("/disputes/D1/edit").text
    assert (selected(edit, "lease_a"), selected(edit, "lease_b")) == ("L1", "L2")
    base = dispute_form(ref="D1", opened_on="2024-01-01", lease_a="L1", lease_b="L2")
    response = client.post(
        "/disputes/D1/edit",
        data=base | {"status": "mediating", "resolution": "Meeting at the county office."},
    )
    assert response.status_code == 302, problems(response.text)
    response = client.post(
        "/disputes/D1/edit",
        data=base
        | {
            "status": "resolved",
            "resolved_on": "2025-05-30",
            "resolution": "M2A keeps the eastern half; L1 is to be amended.",
        },
    )
    assert response.status_code == 302, problems(response.text)
    page = client.get("/disputes/D1").text
    assert "D1 saved." in flashed(page)
    assert "May 30, 2025" in page
    assert "M2A keeps the eastern half; L1 is to be amended." in page
    dispute = DISPUTES.get("D1")
    assert (dispute.status, dispute.resolved_on) == ("resolved", date(2025, 5, 30))
    entries = audit("disputes", "D1")
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[0].after["lease_a"] == "L1" and entries[0].after["lease_b"] == "L2"
    assert (entries[1].before["status"], entries[1].after["status"]) == ("open", "mediating")
    assert (entries[2].before["status"], entries[2].after["status"]) == ("mediating", "resolved")
    assert entries[2].after["resolved_on"] == "2025-05-30"
    # The conflicts page shows the dispute's new status.
    assert '<a href="/disputes/D1">D1</a> (resolved)' in client.get("/leases/conflicts").text


def test_switching_a_disputes_lease_is_logged_by_permit(as_role, leases):
    client = as_role("admin")
    response = client.post(
        "/disputes/D1/edit",
        data=dispute_form(ref="D1", opened_on="2024-01-01", lease_a="L1", lease_b="L3"),
    )
    assert response.status_code == 302, problems(response.text)
    last = audit("disputes", "D1")[-1]
    assert (last.before["lease_b"], last.after["lease_b"]) == ("L2", "L3")


@pytest.fixture
def e2_dispute(leases):
    """D2: between two leases of E2 (L2 and L5 of M2A), none of E1's. Not conftest's e2_dispute:
    here L5 overlaps L2 (and touches L1's east edge), and D2 is being mediated."""
    with acting_as("test"):
        save_lease(
            {
                "permit_no": "L5",
                "mine_code": "M2A",
                "valid_from": date(2020, 1, 1),
                "valid_to": date(2030, 12, 31),
                "boundary": square(107.41, 26.10),
                "crs": "EPSG:4490",
            }
        )
        save_dispute(
            {
                "ref": "D2",
                "opened_on": date(2025, 2, 1),
                "lease_a": "L2",
                "lease_b": "L5",
                "description": "Inside E2: which shaft is whose.",
                "status": "mediating",
            }
        )
        db.session.commit()


def test_operators_read_disputes_of_their_own_enterprise_only(as_role, e2_dispute):
    client = as_role("operator_b")
    assert dispute_links(client.get("/disputes/").text) == ["D2", "D1"]
    assert client.get("/disputes/D1").status_code == 200
    assert client.get("/disputes/D2").status_code == 200

    client = as_role("operator")
    assert client.get("/disputes/D1").status_code == 200
    assert client.get("/disputes/D2").status_code == 403
    listing = client.get("/disputes/").text
    assert dispute_links(listing) == ["D1"]
    assert "D2" not in listing
    assert dispute_links(client.get("/disputes/?q=shaft").text) == []
    # Leases are everyone's to read, but the lease pages do not show E2's own dispute to E1.
    l2 = client.get("/leases/L2")
    assert l2.status_code == 200
    assert dispute_links(l2.text) == ["D1"]
    assert "/disputes/D2" not in l2.text
    assert "/disputes/D2" not in client.get("/leases/L5").text
    assert "/disputes/D2" not in client.get("/leases/conflicts").text


@pytest.mark.parametrize("role", ["bureau", "president"])
def test_bureau_and_president_read_every_dispute(as_role, e2_dispute, role):
    client = as_role(role)
    assert dispute_links(client.get("/disputes/").text) == ["D2", "D1"]
    assert client.get("/disputes/D2").status_code == 200
    assert dispute_links(client.get("/disputes/?status=mediating").text) == ["D2"]


@pytest.mark.parametrize("role", ["operator", "operator_b", "bureau"])
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/leases/new", lambda: lease_form(mine_code="M1A")),
        ("/leases/L1/edit", lambda: lease_form(permit_no="L1", mine_code="M1A")),
        ("/leases/L2/edit", lambda: lease_form(permit_no="L2", mine_code="M2A")),
        ("/disputes/new", lambda: dispute_form()),
        ("/disputes/D1/edit", lambda: dispute_form(ref="D1", status="mediating")),
    ],
    ids=["new lease", "edit L1", "edit L2", "new dispute", "edit D1"],
)
def test_operators_and_bureau_write_no_lease_or_dispute(as_role, leases, role, url, data):
    client = as_role(role)
    before = snapshot()
    boundary = lease_by_permit("L1").boundary
    assert client.get(url).status_code == 403
    assert client.post(url, data=data()).status_code == 403
    assert snapshot() == before
    assert lease_by_permit("L1").boundary == boundary
    assert DISPUTES.get("D1").status == "open"


@pytest.mark.parametrize("role", ["operator", "bureau"])
def test_no_write_links_for_readers(as_role, leases, role):
    client = as_role(role)
    assert 'href="/leases/new"' not in client.get("/leases/").text
    assert 'href="/leases/L1/edit"' not in client.get("/leases/L1").text
    assert "/disputes/new" not in client.get("/leases/L1").text
    assert 'href="/disputes/new"' not in client.get("/disputes/").text
    assert 'href="/disputes/D1/edit"' not in client.get("/disputes/D1").text


def test_unknown_permit_and_ref_are_404(as_role, leases):
    client = as_role("president")
    for url in ("/leases/NOPE", "/leases/NOPE/edit", "/disputes/NOPE", "/disputes/NOPE/edit"):
        assert client.get(url).status_code == 404


def test_edit_form_saved_unchanged_changes_nothing(as_role, leases):
    """The edit form shows the stored GeoJSON in its CRS; saving it as it is writes no change."""
    client = as_role("president")
    edit = client.get("/leases/L1/edit").text
    boundary = unescape(
        re.search(r'<textarea[^>]*name="boundary"[^>]*>(.*?)</textarea>', edit, re.S).group(1)
    ).strip()
    lease = lease_by_permit("L1")
    assert json.loads(boundary) == json.loads(lease.boundary)
    before = len(audit("leases", "L1"))
    data = lease_form(
        permit_no="L1",
        mine_code="M1A",
        valid_from="2020-01-01",
        valid_to="2030-12-31",
        boundary=boundary,
    )
    response = client.post("/leases/L1/edit", data=data)
    assert response.status_code == 302, problems(response.text)
    assert len(audit("leases", "L1")) == before
    # Changing valid_to logs that and nothing else.
    response = client.post("/leases/L1/edit", data=data | {"valid_to": "2032-06-30"})
    assert response.status_code == 302, problems(response.text)
    last = audit("leases", "L1")[-1]
    assert last.action == "update"
    assert last.before == {"valid_to": "2030-12-31"}
    assert last.after == {"valid_to": "2032-06-30"}


def test_a_gauss_kruger_lease_edited_without_changes_stays_as_it_was(as_role, members):
    """Its edit form shows the stored lon/lat (corners added along the edges) in EPSG:4490;
    saving that form again changes nothing, and logs nothing."""
    client = as_role("president")
    response = client.post("/leases/new", data=lease_form(crs=GK_CRS, boundary=GK_TABLE))
    assert response.status_code == 302, problems(response.text)
    stored = lease_by_permit("L9")
    boundary, area = stored.boundary, stored.area_m2
    assert len(vertices(boundary)) > 5  # corners every 100 m along the 1 km edges
    edit = client.get("/leases/L9/edit").text
    assert selected(edit, "crs") == "EPSG:4490"
    shown = unescape(
        re.search(r'<textarea[^>]*name="boundary"[^>]*>(.*?)</textarea>', edit, re.S).group(1)
    ).strip()
    before = len(audit("leases", "L9"))
    response = client.post("/leases/L9/edit", data=lease_form(boundary=shown))
    assert response.status_code == 302, problems(response.text)
    assert len(audit("leases", "L9")) == before
    lease = lease_by_permit("L9")
    assert (lease.boundary, lease.area_m2, lease.crs) == (boundary, area, "EPSG:4490")


def test_lease_list_counts_conflicting_pairs_not_leases(as_role, leases):
    """L1 and L2 overlap: one pair, two leases."""
    html = as_role("bureau").get("/leases/").text
    assert 'Conflicts <span class="badge text-bg-danger">1</span>' in html
    assert html.count("overlaps L") == 2  # each of the two leases is marked


def test_mine_pages_list_their_leases_disputes_and_map(as_role, e2_dispute):
    """A dispute shows on both mines' pages; each mine's page lists its leases with their
    overlaps, and draws its map from the map's GeoJSON for that mine."""
    client = as_role("president")
    m1a = client.get("/mines/M1A").text
    assert lease_links(m1a) == ["L1"]
    assert "overlaps L2" in m1a
    assert dispute_links(m1a) == ["D1"]
    assert 'data-url="/map/leases.geojson?mine_code=M1A"' in m1a
    assert 'href="/leases/new?mine_code=M1A"' in m1a
    m2a = client.get("/mines/M2A").text
    assert sorted(lease_links(m2a)) == ["L2", "L5"]
    assert dispute_links(m2a) == ["D2", "D1"]
    assert dispute_links(client.get("/mines/M1B").text) == []


def test_mine_page_shows_an_operator_only_disputes_they_may_read(as_role, e2_dispute):
    page = as_role("operator").get("/mines/M2A").text
    assert sorted(lease_links(page)) == ["L2", "L5"]  # leases are everyone's to read
    assert dispute_links(page) == ["D1"]  # D2 is between two of E2's leases
    assert 'href="/leases/new' not in page


def test_lease_page_draws_its_map(as_role, leases):
    page = as_role("bureau").get("/leases/L1").text
    assert 'data-url="/map/leases.geojson?permit_no=L1"' in page
    assert "vendor/leaflet-1.9.4/leaflet.js" in page
