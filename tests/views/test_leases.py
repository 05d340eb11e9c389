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
from tests.helpers import audit, geodesic_area, rectangle_area, square, square_area

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
    found = re.search(r"Days to expiry</dt><dd[^>]*>\s*(-?\d+)", html)
    assert found, "no days to expiry on the page"
    return int(found.group(1))


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
    [problem] = problems(html)
    assert problem.startswith(message), problem
    assert invalid_fields(html) == {"boundary"}
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
            "Valid to: must not be before valid_from (2030-01-01).",
            "valid_to",
        ),
        (
            {"elevation_top_m": "900", "elevation_bottom_m": "1000"},
            "Bottom elevation (m): must be below elevation_top_m (900.0).",
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


def test_conflict_link_opens_a_dispute_with_both_leases_filled_in(as_role, leases):
    client = as_role("president")
    response = client.post(
        "/leases/new", data=lease_form(permit_no="L4", boundary=square(107.395, 26.095))
    )
    assert response.status_code == 302
    conflicts = client.get("/leases/conflicts").text
    links = re.findall(r'href="(/disputes/new\?[^"]+)"', conflicts)
    assert [unescape(link) for link in links] == ["/disputes/new?lease_a=L1&lease_b=L4"]
    form = client.get(unescape(links[0])).text
    assert (selected(form, "lease_a"), selected(form, "lease_b")) == ("L1", "L4")
    assert f'value="{TODAY.isoformat()}"' in form  # opened today by default

    response = client.post(
        "/disputes/new",
        data=dispute_form(
            ref="D2", lease_a="L1", lease_b="L4", description="L4 takes L1's corner."
        ),
    )
    assert response.status_code == 302, problems(response.text)
    assert response.headers["Location"] == "/disputes/D2"
    page = client.get("/disputes/D2").text
    assert "D2 saved." in flashed(page)
    assert "Dispute D2" in page
    assert '<a href="/leases/L1">L1</a>' in page and '<a href="/leases/L4">L4</a>' in page
    assert "L4 takes L1&#39;s corner." in page
    # The conflicts page now links the dispute instead of offering to open one.
    conflicts = client.get("/leases/conflicts").text
    assert '<a href="/disputes/D2">D2</a> (open)' in conflicts
    assert "/disputes/new?" not in conflicts
    # And the lease's page lists it.
    assert dispute_links(client.get("/leases/L4").text) == ["D2"]
    [entry] = audit("disputes", "D2")
    assert entry.action == "create"
    assert (entry.after["lease_a"], entry.after["lease_b"]) == ("L1", "L4")
    assert "first_lease_id" not in entry.after and "second_lease_id" not in entry.after


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
        for n, (permit, mine, start, end) in enumerate(
            [
                ("L5", "M2D", date(2015, 9, 1), date(2025, 8, 30)),
                ("L6", "M1A", date(2015, 9, 1), date(2025, 8, 31)),
                ("L7", "M2B", date(2010, 1, 1), date(2024, 12, 31)),
                ("L8", "M2C", date(2005, 1, 1), date(2018, 12, 31)),
                ("L0", "M1B", date(2005, 1, 1), date(2019, 12, 31)),
                ("L9", "M2A", date(2015, 9, 1), date(2025, 7, 1)),
            ]
        ):
            save_lease(
                {
                    "permit_no": permit,
                    "mine_code": mine,
                    "valid_from": start,
                    "valid_to": end,
                    "boundary": square(107.0 + n * 0.05, 26.5),
                    "crs": "EPSG:4490",
                }
            )
        db.session.commit()


@pytest.mark.parametrize("role", ["president", "bureau"])
def test_attention_page_lists_leases_ending_within_90_days_and_expired_ones(
    as_role, attention_leases, role
):
    page = as_role(role).get("/leases/attention")
    assert page.status_code == 200
    html = page.text
    assert "As of 2025-06-01." in html
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
    assert "expired 152 days ago" in page  # 2024-12-31 to 2025-06-01
    assert (TODAY - date(2024, 12, 31)).days == 152


# ---------------------------------------------------------------------------------------------
# disputes: validation, editing, who may read


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "resolved"}, "Resolved on: is required when the dispute is resolved."),
        (
            {"status": "resolved", "opened_on": "2025-05-20", "resolved_on": "2025-05-19"},
            "Resolved on: must not be before opened_on (2025-05-20).",
        ),
        ({"lease_b": "L1"}, "Lease B: must be another lease than lease_a."),
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
    assert "2025-05-30" in page
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
