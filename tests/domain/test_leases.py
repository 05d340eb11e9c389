"""Lease boundaries and the overlap rule (coop/domain: leases, crs, boundaries, overlap), against
values worked out
independently: the GRS80 meridian arc integrated numerically, Gauss-Kruger scale by hand, pyproj's
Geod used directly, and a brute-force pairwise overlap check."""

import itertools
import json
import math
from datetime import date

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS, Geod
from shapely.geometry import Polygon, box

from coop.domain.boundaries import geodesic_area_m2, load_geometry, parse_boundary
from coop.domain.crs import (
    ACCEPTED_CRS,
    crs_label,
    gauss_kruger_zone,
    gk_to_lonlat,
    guess_crs,
    lonlat_to_gk,
    normalise_crs,
    stored_crs,
)
from coop.domain.leases import (
    IN_FORCE,
    M2_PER_MU,
    BoundaryInvalid,
    area_ha,
    area_km2,
    area_mu,
    days_to_expiry,
    lease_problems,
    lease_state,
    periods_overlap,
)
from coop.domain.overlap import (
    LeaseExtent,
    conflicts_with,
    elevations_overlap,
    find_conflicts,
)

GRS80 = Geod(ellps="GRS80")
# A point near the DAOA's mines, in zone 36 (CM 108E): X northing, Y easting.
NORTH, EAST = 2_877_000.0, 500_000.0
FROM, TO = date(2005, 1, 1), date(2025, 12, 31)


def gk_table(corners, prefix=0, numbers=True):
    """A permit's corner table: point number, X (northing), Y (easting, optionally prefixed)."""
    rows = []
    for i, (x, y) in enumerate(corners, 1):
        row = f"{x:.2f} {prefix * 1_000_000 + y:.2f}"
        rows.append(f"{i} {row}" if numbers else row)
    return "\n".join(rows)


def gk_square(north=NORTH, east=EAST, side=1000.0):
    """Corners (X, Y) of a square, counter-clockwise seen on a map."""
    return [(north, east), (north, east + side), (north + side, east + side), (north + side, east)]


def refused(text, crs="EPSG:4326"):
    with pytest.raises(BoundaryInvalid) as caught:
        parse_boundary(text, crs)
    problems = caught.value.problems
    assert problems
    for problem in problems:
        problem.message % problem.params  # the placeholders and the params agree
    return problems


def lease(key, geometry, start=FROM, end=TO, top=None, bottom=None):
    return LeaseExtent(key, geometry, start, end, top, bottom)


def meridian_arc_m(lat_deg, steps=2000):
    """GRS80 meridian arc from the equator, by Simpson's rule on M = a(1-e2)/(1-e2 sin2)^1.5."""
    a, f = 6_378_137.0, 1 / 298.257222101
    e2 = f * (2 - f)
    h = math.radians(lat_deg) / steps

    def m(phi):
        return a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5

    total = m(0) + m(steps * h)
    total += sum((4 if k % 2 else 2) * m(k * h) for k in range(1, steps))
    return total * h / 3


# --- CRS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (None, "EPSG:4326"),
        ("", "EPSG:4326"),
        ("epsg:4545", "EPSG:4545"),
        ("4490", "EPSG:4490"),
        (" EPSG:4513 ", "EPSG:4513"),
        ("urn:ogc:def:crs:EPSG::4554", "EPSG:4554"),
        ("CRS84", "EPSG:4326"),
    ],
)
def test_crs_normalised(text, code):
    assert normalise_crs(text) == code


@pytest.mark.parametrize("text", ["EPSG:3857", "EPSG:4512", "EPSG:4555", "EPSG:32648", "GK36"])
def test_other_crs_refused(text):
    problems = refused("1 2 3", text)
    assert problems[0].field == "crs"
    assert problems[0].params == {"crs": text}


def test_zones_and_stored_crs():
    assert gauss_kruger_zone("EPSG:4513") == (25, 75, True)
    assert gauss_kruger_zone("EPSG:4524") == (36, 108, True)
    assert gauss_kruger_zone("EPSG:4545") == (36, 108, False)
    assert gauss_kruger_zone("EPSG:4554") == (45, 135, False)
    assert gauss_kruger_zone("EPSG:4490") is None
    assert stored_crs("EPSG:4326") == "EPSG:4326"
    assert stored_crs("EPSG:4490") == stored_crs("EPSG:4545") == "EPSG:4490"
    assert len(ACCEPTED_CRS) == 44
    assert crs_label("EPSG:4545") == (
        "CGCS2000 3-degree Gauss-Kruger CM %(meridian)s°E",
        {"meridian": 108},
    )
    assert crs_label("EPSG:4524") == ("CGCS2000 3-degree Gauss-Kruger zone %(zone)s", {"zone": 36})
    assert crs_label("4490")[0] == "CGCS2000, longitude and latitude"


def test_crs_labels_say_what_proj_names():
    """The labels' zones and meridians are PROJ's, for every accepted CRS."""
    for code in ACCEPTED_CRS[2:]:
        message, params = crs_label(code)
        proj = CRS(code).name.replace(" / ", " ").replace("E", "°E")
        assert message % params == proj, code


# The corners of issue 11: a permit's table in zone 36 with the prefix, X about 2,900,000.
ZONE_36_TABLE = [(2900000.00, 36512345.67), (2900000.00, 36513345.67), (2901000.00, 36513345.67)]


@pytest.mark.parametrize(
    ("columns", "kind", "guessed"),
    [
        # X then Y, Y with zone prefix 36: zone 36's prefixed CRS, 4488 + 36.
        (ZONE_36_TABLE, "table", "EPSG:4524"),
        # The same corners in GeoJSON or WKT order, easting first.
        ([(y, x) for x, y in ZONE_36_TABLE], "wkt", "EPSG:4524"),
        # Zone 35 (CM 105E): 4488 + 35.
        ([(2900000.0, 35500000.0), (2901000.0, 35501000.0)], "table", "EPSG:4523"),
        # Longitude then latitude, inside China: CGCS2000 lon/lat.
        ([(107.5, 26.5), (107.51, 26.51)], "table", "EPSG:4490"),
        # Eastings without a prefix fit every zone: no guess.
        ([(2900000.0, 512345.67), (2901000.0, 513345.67)], "table", None),
        # Two zone prefixes in one boundary: no guess.
        ([(2900000.0, 36500000.0), (2900000.0, 37500000.0)], "table", None),
        # Prefix 36 but a northing of 900 km, at 8N, outside the zone's area (from 18.19N).
        ([(900000.0, 36500000.0), (901000.0, 36501000.0)], "table", None),
        # Latitude first: not lon/lat in CGCS2000's area (from 73.62E).
        ([(26.5, 107.5), (26.51, 107.51)], "table", None),
    ],
)
def test_the_crs_is_guessed_from_the_numbers(columns, kind, guessed):
    first, second = zip(*columns, strict=True)
    assert guess_crs(first, second, kind) == guessed


def test_a_gauss_kruger_table_given_as_lon_lat_is_refused_with_its_zone_offered():
    table = "\n".join(f"J{i} {x:.2f} {y:.2f}" for i, (x, y) in enumerate(ZONE_36_TABLE, 1))
    for crs in ("EPSG:4326", "EPSG:4490"):
        with pytest.raises(BoundaryInvalid) as caught:
            parse_boundary(table, crs)
        assert caught.value.suggested_crs == "EPSG:4524"
        outside, guess = caught.value.problems
        assert outside.message.startswith("corners %(corners)s lie outside the area")
        assert guess.field == "crs"
        assert guess.message % guess.params == (
            "these look like CGCS2000 3-degree Gauss-Kruger zone 36 (EPSG:4524) coordinates."
        )
    # The zone without the prefix: its own message names EPSG:4524 already, and it is offered.
    with pytest.raises(BoundaryInvalid) as caught:
        parse_boundary(table, "EPSG:4545")
    assert [p.params["suggested"] for p in caught.value.problems] == ["EPSG:4524"]
    assert caught.value.suggested_crs == "EPSG:4524"
    # Given in the right CRS, nothing is guessed; a refusal of another kind suggests nothing.
    assert parse_boundary(table, "EPSG:4524").crs == "EPSG:4490"
    with pytest.raises(BoundaryInvalid) as caught:
        parse_boundary("J1 2900000 36512345\nJ2 2900000 36512345", "EPSG:4524")
    assert caught.value.suggested_crs is None


def test_central_meridian_by_hand():
    # On the central meridian the easting is the false easting, 500000 m (plus 36 000000 for
    # the zone prefix), and with scale factor 1 the northing is the meridian arc.
    x, y = lonlat_to_gk(108.0, 26.0, "EPSG:4545")
    assert y == pytest.approx(500_000.0, abs=1e-6)
    assert x == pytest.approx(meridian_arc_m(26.0), abs=0.001)
    x_prefixed, y_prefixed = lonlat_to_gk(108.0, 26.0, "EPSG:4524")
    assert (x_prefixed, y_prefixed) == pytest.approx((x, 36_500_000.0), abs=1e-6)
    lon, lat = gk_to_lonlat(x, 500_000.0, "EPSG:4545")
    assert (lon, lat) == pytest.approx((108.0, 26.0), abs=1e-10)


def test_gk_round_trip():
    lon, lat = gk_to_lonlat(2_890_123.456, 37_456_789.012, "EPSG:4525")
    assert 109.5 < lon < 111 and 26 < lat < 26.2
    assert lonlat_to_gk(lon, lat, "EPSG:4525") == pytest.approx(
        (2_890_123.456, 37_456_789.012), abs=1e-4
    )
    with pytest.raises(ValueError):
        gk_to_lonlat(1, 2, "EPSG:4490")


# --- Reading -----------------------------------------------------------------------------------


def test_gk_square_is_a_square_kilometre():
    boundary = parse_boundary(gk_table(gk_square()), "EPSG:4545")
    assert boundary.crs == "EPSG:4490"
    assert boundary.area_m2 == pytest.approx(1_000_000, rel=0.005)
    assert boundary.area_km2 == 1.0
    assert boundary.area_mu == pytest.approx(1500, rel=0.005)
    assert boundary.area_ha == pytest.approx(100, rel=0.005)
    lon, lat = boundary.geometry.exterior.coords[0]
    assert lon == pytest.approx(108.0, abs=1e-9) and 26.0 < lat < 26.01


def test_gk_scale_away_from_central_meridian():
    # 100 km east of the CM the projection enlarges lengths by m = 1 + y2 / 2R2, so a square
    # kilometre on the map is 1e6 / m2 on the ground.
    boundary = parse_boundary(gk_table(gk_square(east=600_000.0)), "EPSG:4545")
    radius = math.sqrt(6_378_137.0 * 6_356_752.3)
    m = 1 + 100_000.0**2 / (2 * radius**2)
    assert boundary.area_m2 == pytest.approx(1_000_000 / m**2, rel=1e-5)


def test_gk_edges_stay_straight_in_the_plane():
    # A permit's edges are straight on the Gauss-Kruger map; in lon/lat a 1 km east-west edge
    # bows by about 1 cm, so the stored boundary has a corner every 100 m along it.
    boundary = parse_boundary(gk_table(gk_square()), "EPSG:4545")
    coords = list(boundary.geometry.exterior.coords)
    assert len(coords) == 4 * 10 + 1
    square = shapely.box(EAST, NORTH, EAST + 1000, NORTH + 1000).exterior
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(coords):
        north, east = lonlat_to_gk((lon0 + lon1) / 2, (lat0 + lat1) / 2, "EPSG:4545")
        assert square.distance(shapely.Point(east, north)) < 0.001
    for (lon, lat), corner in zip(coords[::10], gk_square(), strict=False):
        assert lonlat_to_gk(lon, lat, "EPSG:4545") == pytest.approx(corner, abs=2e-4)


def test_lonlat_square_area_is_geods():
    square = box(107.45, 26.10, 107.46, 26.11)
    boundary = parse_boundary(square.wkt, "EPSG:4326")
    assert boundary.crs == "EPSG:4326"
    assert boundary.area_m2 == pytest.approx(abs(GRS80.geometry_area_perimeter(square)[0]))


def test_orientation_does_not_matter():
    counter = [(107.45, 26.10), (107.46, 26.10), (107.46, 26.11), (107.45, 26.11)]
    clockwise = counter[::-1]
    areas = []
    for ring in (counter, clockwise):
        text = json.dumps({"type": "Polygon", "coordinates": [[list(c) for c in ring]]})
        boundary = parse_boundary(text, "EPSG:4490")
        areas.append(boundary.area_m2)
        assert boundary.geometry.exterior.is_ccw  # stored counter-clockwise either way
    assert areas[0] > 0
    assert areas[0] == pytest.approx(areas[1], rel=1e-12)


def test_hole_subtracts_and_parts_add():
    outer = box(107.40, 26.10, 107.42, 26.12)
    hole = box(107.405, 26.105, 107.41, 26.11)
    other = box(107.45, 26.10, 107.46, 26.11)
    measure = [abs(GRS80.geometry_area_perimeter(g)[0]) for g in (outer, hole, other)]
    holed = Polygon(outer.exterior.coords, [hole.exterior.coords])
    assert parse_boundary(holed.wkt).area_m2 == pytest.approx(measure[0] - measure[1])
    multi = shapely.MultiPolygon([holed, other])
    assert parse_boundary(shapely.to_geojson(multi)).area_m2 == pytest.approx(
        measure[0] - measure[1] + measure[2]
    )
    assert geodesic_area_m2(shapely.orient_polygons(holed, exterior_cw=True)) == pytest.approx(
        measure[0] - measure[1]
    )


def test_area_units():
    assert round(M2_PER_MU, 4) == 666.6667
    assert area_mu(10_000) == pytest.approx(15)
    assert area_ha(10_000) == 1
    assert area_mu(1_000_000) == pytest.approx(1500)
    # The DAOA's 169.8 mu of green area is 113,200 m2, 11.32 ha.
    assert area_mu(113_200) == pytest.approx(169.8)
    assert area_ha(113_200) == pytest.approx(11.32)
    assert area_km2(1_234_567.89) == 1.2346
    assert area_km2(1_234_550) == 1.2346  # half up, as the registry rounds
    assert area_km2(1_234_549.9) == 1.2345


def test_prefixed_and_unprefixed_tables_agree():
    prefixed = parse_boundary(gk_table(gk_square(), prefix=36), "EPSG:4524")
    unprefixed = parse_boundary(gk_table(gk_square()), "EPSG:4545")
    assert prefixed.geometry.equals_exact(unprefixed.geometry, tolerance=1e-9)
    assert prefixed.crs == unprefixed.crs == "EPSG:4490"


def test_table_is_northing_first_geojson_easting_first():
    table = parse_boundary(gk_table(gk_square()), "EPSG:4545")
    positions = [[y, x] for x, y in gk_square()]  # GeoJSON: easting, northing
    geojson = json.dumps({"type": "Polygon", "coordinates": [positions]})
    assert parse_boundary(geojson, "EPSG:4545").geometry.equals_exact(table.geometry, 1e-9)
    wkt = "POLYGON ((" + ", ".join(f"{y} {x}" for x, y in gk_square()) + "))"
    assert parse_boundary(wkt, "EPSG:4545").geometry.equals_exact(table.geometry, 1e-9)
    # X is the northing: the square spans 1 km of latitude (about 1/110.7 degree at 26N).
    lats = [lat for _, lat in table.geometry.exterior.coords]
    assert max(lats) - min(lats) == pytest.approx(1000 / 110_700, rel=0.01)


def test_spreadsheet_and_pdf_pastes():
    square = gk_square()
    expected = parse_boundary(gk_table(square, prefix=36), "EPSG:4524").geometry
    spreadsheet = "点号\tX坐标\tY坐标\n" + "\n".join(
        f"J{i}\t{x:,.2f}\t{36e6 + y:,.2f}" for i, (x, y) in enumerate(square, 1)
    )
    csv = "point_no,X,Y\n" + "\n".join(
        f'"{i}","{x}","{36e6 + y}"' for i, (x, y) in enumerate(square, 1)
    )
    pdf = "\n\n".join(f"{i}， {x}， {36e6 + y}" for i, (x, y) in enumerate(square, 1))  # full-width
    unnumbered = gk_table(square, prefix=36, numbers=False)
    closed = gk_table([*square, square[0]], prefix=36)
    for text in (spreadsheet, csv, pdf, unnumbered, closed):
        assert parse_boundary(text, "EPSG:4524").geometry.equals_exact(expected, 1e-9), text


def test_lonlat_table_columns_and_dms():
    text = "点号 经度 纬度\n1 107.4 26.1\n2 107°30' 26°6'\n3 107°30'00\" 26°12′00″\n4 107.4 26.2"
    boundary = parse_boundary(text, "EPSG:4490")
    assert list(boundary.geometry.exterior.coords)[:4] == [
        (107.4, 26.1),
        (107.5, 26.1),
        (107.5, 26.2),
        (107.4, 26.2),
    ]


def test_feature_accepted_collection_refused():
    geometry = box(107.45, 26.10, 107.46, 26.11)
    feature = {
        "type": "Feature",
        "properties": {"permit_no": "C52"},
        "geometry": json.loads(shapely.to_geojson(geometry)),
    }
    assert parse_boundary(json.dumps(feature)).area_m2 == pytest.approx(geodesic_area_m2(geometry))
    problems = refused(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert "FeatureCollection" in problems[0].message
    assert "no geometry" in refused(json.dumps({"type": "Feature", "geometry": None}))[0].message


def test_unclosed_rings_closed_silently():
    wkt = parse_boundary("POLYGON ((107.45 26.10, 107.46 26.10, 107.46 26.11, 107.45 26.11))")
    geojson = parse_boundary(
        '{"type": "Polygon", "coordinates": [[[107.45, 26.10], [107.46, 26.10], [107.46, 26.11],'
        " [107.45, 26.11]]]}"
    )
    assert wkt.geometry.normalize().equals_exact(box(107.45, 26.10, 107.46, 26.11).normalize(), 0)
    assert geojson == wkt


def test_ewkt_and_z_accepted():
    text = "SRID=4490;POLYGON Z ((107.45 26.10 900, 107.46 26.10 900, 107.46 26.11 900))"
    assert parse_boundary(text, "EPSG:4490").geometry.equals_exact(
        Polygon([(107.45, 26.10), (107.46, 26.10), (107.46, 26.11)]), 1e-12
    )


def test_table_rings_become_holes_and_parts():
    text = """地块1
1 107.40 26.10
2 107.50 26.10
3 107.50 26.20
4 107.40 26.20
1 107.40 26.10
5 107.42 26.12
6 107.44 26.12
7 107.44 26.14
地块二
8 107.60 26.10
9 107.70 26.10
10 107.70 26.20"""
    geometry = parse_boundary(text, "EPSG:4490").geometry
    assert geometry.geom_type == "MultiPolygon"
    first, second = geometry.geoms
    assert len(first.interiors) == 1 and len(second.interiors) == 0
    assert first.contains(shapely.Point(107.41, 26.11)) and not first.contains(
        shapely.Point(107.435, 26.125)
    )


def test_stored_boundary_reimports_unchanged():
    for text, crs in [
        (gk_table(gk_square(), prefix=36), "EPSG:4524"),
        ("1 107.123456789123 26.1\n2 107.2 26.1\n3 107.2 26.2", "EPSG:4326"),
    ]:
        boundary = parse_boundary(text, crs)
        again = parse_boundary(boundary.geojson, boundary.crs)
        assert again == boundary
        assert again.geojson == boundary.geojson
        assert parse_boundary(boundary.wkt, boundary.crs) == boundary
        assert load_geometry(boundary.geojson).equals_exact(boundary.geometry, 0)


# --- Refusals ----------------------------------------------------------------------------------


def test_bow_tie_names_its_crossing_edges():
    (problem,) = refused(
        "1 107.40 26.10\n2 107.41 26.11\n3 107.41 26.10\n4 107.40 26.11", "EPSG:4490"
    )
    assert problem.field == "boundary"
    assert problem.message.startswith("crosses itself")
    assert (problem.params["edge_a"], problem.params["edge_b"]) == ("1–2", "3–4")
    assert problem.params["location"] == "26.105000°N, 107.405000°E"


def test_crossing_in_a_permit_table_names_point_numbers():
    corners = [
        (NORTH, EAST),
        (NORTH + 1000, EAST + 1000),
        (NORTH, EAST + 1000),
        (NORTH + 1000, EAST),
    ]
    text = "\n".join(f"J{i} {x} {36e6 + y}" for i, (x, y) in enumerate(corners, 1))
    (problem,) = refused(text, "EPSG:4524")
    assert (problem.params["edge_a"], problem.params["edge_b"]) == ("J1–J2", "J3–J4")


def test_crossing_parts_of_a_multipolygon():
    text = shapely.MultiPolygon(
        [box(107.40, 26.10, 107.42, 26.12), box(107.41, 26.11, 107.43, 26.13)]
    ).wkt
    (problem,) = refused(text)
    assert problem.message.startswith("crosses itself")


def test_other_invalid_polygons_named():
    outside = Polygon(
        box(107.40, 26.10, 107.41, 26.11).exterior.coords,
        [box(107.5, 26.5, 107.51, 26.51).exterior.coords],
    )
    assert "hole outside" in refused(outside.wkt)[0].message
    nested = shapely.MultiPolygon(
        [box(107.40, 26.10, 107.44, 26.14), box(107.41, 26.11, 107.42, 26.12)]
    )
    assert "one part inside another" in refused(nested.wkt)[0].message


def test_two_distinct_corners_refused():
    (problem,) = refused("1 107.40 26.10\n2 107.41 26.10\n3 107.40 26.10\n4 107.41 26.10")
    assert problem.params["count"] == 2
    assert "at least 3" in problem.message


def test_corners_on_one_line_refused():
    (problem,) = refused("POLYGON ((107.40 26.10, 107.41 26.10, 107.42 26.10))")
    assert "no area" in problem.message


def test_repeated_corner_refused():
    text = "1 107.40 26.10\n2 107.42 26.10\n3 107.41 26.11\n4 107.40 26.12\n5 107.42 26.10\n"
    text += "6 107.42 26.12"
    (problem,) = refused(text)
    assert (problem.params["first"], problem.params["second"]) == ("2", "5")


@pytest.mark.parametrize(
    ("text", "crs", "corner"),
    [
        ("1 107.4 26.1\n2 107.5 26.1\n3 107.5 95", "EPSG:4326", "3"),
        ("A 190 26.1\nB 107.5 26.1\nC 107.5 26.2", "EPSG:4326", "A"),
        ("1 107.4 26.1\n2 107.5 26.1\n3 107.5 55", "EPSG:4490", "3"),  # north of China
        # 400 km east of CM 108E: far outside zone 36 (106.5E-109.5E)
        (gk_table([gk_square()[0], gk_square()[1], (NORTH, 900_000)]), "EPSG:4545", "3"),
    ],
)
def test_corner_outside_crs_area_named(text, crs, corner):
    (problem,) = refused(text, crs)
    assert problem.params["corner"] == corner
    assert problem.params["crs"] == crs
    assert "outside the area" in problem.message


def test_several_corners_outside_named_together():
    corners = [(NORTH, 900_000), (NORTH, 901_000), (NORTH + 1000, 901_000), (NORTH + 1000, 500_000)]
    (problem,) = refused(gk_table(corners), "EPSG:4545")
    assert problem.params["corners"] == "1, 2, 3"


def test_zone_prefix_missing_wrong_or_unwanted():
    (problem,) = refused(gk_table(gk_square()), "EPSG:4524")
    assert "lacks the zone prefix" in problem.message
    assert problem.params["suggested"] == "EPSG:4545"
    (problem,) = refused(gk_table(gk_square(), prefix=37), "EPSG:4524")
    assert (problem.params["found"], problem.params["zone"]) == (37, 36)
    assert problem.params["suggested"] == "EPSG:4525"
    (problem,) = refused(gk_table(gk_square(), prefix=36), "EPSG:4545")
    assert "carries a zone prefix" in problem.message
    assert problem.params["suggested"] == "EPSG:4524"


def test_swapped_axes_named():
    swapped = "\n".join(f"{i} {y} {x}" for i, (x, y) in enumerate(gk_square(), 1))
    assert refused(swapped, "EPSG:4545")[0].message.startswith("X and Y seem swapped")
    latitude_first = "1 26.10 107.40\n2 26.10 107.41\n3 26.11 107.41"
    assert "longitude first" in refused(latitude_first, "EPSG:4490")[0].message
    assert "longitude first" in refused(latitude_first, "EPSG:4326")[0].message
    geojson = (
        '{"type": "Polygon", "coordinates": [[[26.10, 107.40], [26.10, 107.41], [26.11, 107.41]]]}'
    )
    assert "GeoJSON and WKT" in refused(geojson, "EPSG:4490")[0].message


def test_non_finite_refused():
    for text in (
        "1 107.4 26.1\n2 nan 26.1\n3 107.5 26.2",
        '{"type": "Polygon", "coordinates": [[[107.4, 26.1], [107.5, Infinity], [107.5, 26.2]]]}',
        "POLYGON ((107.4 26.1, 107.5 26.1, 107.5 inf))",
    ):
        (problem,) = refused(text)
        assert "not a finite number" in problem.message
    assert refused("1 107.4 26.1\n2 nan 26.1\n3 107.5 26.2")[0].params["corner"] == "2"


def test_unparseable_lines_named():
    problems = refused("点号 X Y\n1 107.4 26.1\n2 107,5x 26.1\n\n3 107.5\t26.2\t9\t9\n4 107.4 26.2")
    assert [p.params["line"] for p in problems] == [3, 5]
    assert problems[0].params["text"] == "2 107,5x 26.1"
    assert "longitude, latitude" in problems[0].message
    assert "X (northing)" in refused("1 2877000 500000 7 8", "EPSG:4545")[0].message


@pytest.mark.parametrize(
    ("text", "fragment", "params"),
    [
        ("", "is required", {}),
        ("点号 X Y", "has no corners", {}),
        ("POLYGON EMPTY", "has no corners", {}),
        ('{"type": "Polygon", ', "not valid GeoJSON", {"line": 1, "column": 21}),
        ('{"type": "Point", "coordinates": [1, 2]}', "Polygon or MultiPolygon", {"kind": "Point"}),
        (
            '{"type": "Polygon", "coordinates": [[[1, 2], [3]]]}',
            "malformed",
            {"where": "coordinates[0][1]"},
        ),
        (
            '{"type": "Polygon", "coordinates": [[[1, 2], [3, "4"]]]}',
            "malformed",
            {"where": "coordinates[0][1]"},
        ),
        ("LINESTRING (1 2, 3 4)", "Polygon or MultiPolygon", {"kind": "LINESTRING"}),
        ("POLYGON ((1 2, 3 4, 5))", "not valid WKT", {"found": '")"', "position": 22}),
        ("POLYGON ((1 2, 3 4, 5 6)", "ends before", {}),
        ("POLYGON ((1 2, 3 4, 5 6)) x", "not valid WKT", {"found": '"x"', "position": 27}),
        ("POLYGON ((1 2, 3 four, 5 6))", "not valid WKT", {"found": '"four"', "position": 18}),
    ],
)
def test_malformed_text_refused(text, fragment, params):
    (problem,) = refused(text)
    assert fragment in problem.message
    assert problem.params == params


# --- Validity and elevations -------------------------------------------------------------------


def test_validity_helpers():
    assert days_to_expiry(date(2025, 12, 31), date(2025, 12, 1)) == 30
    assert days_to_expiry(date(2025, 12, 31), date(2025, 12, 31)) == 0
    assert days_to_expiry(date(2025, 12, 31), date(2026, 1, 2)) == -2
    start, end = date(2005, 1, 1), date(2025, 12, 31)
    assert lease_state(start, end, start) in IN_FORCE and lease_state(start, end, end) in IN_FORCE
    assert lease_state(start, end, date(2004, 12, 31)) not in IN_FORCE
    assert lease_state(start, end, date(2026, 1, 1)) not in IN_FORCE
    # an extent open at both ends overlaps every other period (the overlap rule's None)
    open_ended = lease("b", None, None, None)
    assert periods_overlap(open_ended, lease("c", None, date(1900, 1, 1), date(1900, 1, 1)))


def test_lease_problems():
    assert lease_problems({"valid_from": FROM, "valid_to": FROM, "elevation_top_m": 900}) == []
    problems = lease_problems(
        {
            "valid_from": date(2010, 1, 1),
            "valid_to": date(2009, 12, 31),
            "elevation_top_m": 800,
            "elevation_bottom_m": 800,
        }
    )
    assert [p.field for p in problems] == ["valid_to", "elevation_bottom_m"]
    assert problems[0].params == {"valid_from": "2010-01-01"}


def test_period_and_elevation_rules():
    a = lease("a", None, date(2005, 1, 1), date(2010, 12, 31), 1200, 900)
    assert periods_overlap(a, lease("b", None, date(2010, 12, 31), date(2020, 1, 1)))  # one day
    assert not periods_overlap(a, lease("b", None, date(2011, 1, 1), None))
    assert periods_overlap(a, lease("b", None, None, None))
    assert elevations_overlap(a, lease("b", None, top=950, bottom=500))
    assert not elevations_overlap(a, lease("b", None, top=900, bottom=500))  # touching
    assert not elevations_overlap(a, lease("b", None, top=1500, bottom=1200))
    assert elevations_overlap(a, lease("b", None))  # no elevations: not considered
    assert elevations_overlap(a, lease("b", None, top=1000))  # open below
    assert not elevations_overlap(a, lease("b", None, bottom=1200))  # open above, touching


# --- Overlap -----------------------------------------------------------------------------------


def gk_lease(key, north=NORTH, east=EAST, side=1000.0, **kwargs):
    boundary = parse_boundary(gk_table(gk_square(north, east, side)), "EPSG:4545")
    return lease(key, boundary.geometry, **kwargs)


def keyed(conflicts):
    return {(c.a, c.b) for c in conflicts}


def test_shared_edge_and_corner_touch_do_not_conflict():
    leases = [
        gk_lease("a"),
        gk_lease("edge", east=EAST + 1000),
        gk_lease("corner", north=NORTH + 1000, east=EAST + 1000),
        gk_lease("half-edge", north=NORTH + 1000, east=EAST - 500),
    ]
    assert find_conflicts(leases) == []


def test_containment_conflicts_with_the_inner_area():
    outer = gk_lease("outer")
    inner = gk_lease("inner", north=NORTH + 300, east=EAST + 300, side=200)
    (conflict,) = find_conflicts([outer, inner])
    assert (conflict.a, conflict.b) == ("outer", "inner")
    assert conflict.area_m2 == pytest.approx(40_000, rel=0.005)
    assert conflict.area_m2 == pytest.approx(geodesic_area_m2(inner.geometry), rel=1e-9)
    assert conflict.intersection.equals(inner.geometry)


def test_half_overlap_has_half_the_area():
    (conflict,) = find_conflicts([gk_lease("a"), gk_lease("b", east=EAST + 500)])
    assert conflict.area_m2 == pytest.approx(500_000, rel=0.005)
    assert conflict.area_mu == pytest.approx(750, rel=0.005)
    assert conflict.intersection.geom_type == "Polygon"
    assert geodesic_area_m2(conflict.intersection) == pytest.approx(conflict.area_m2)


def test_periods_must_overlap():
    a = gk_lease("a", start=date(2005, 1, 1), end=date(2010, 12, 31))
    later = gk_lease("later", east=EAST + 500, start=date(2011, 1, 1), end=date(2020, 1, 1))
    same_day = gk_lease("same-day", east=EAST + 500, start=date(2010, 12, 31), end=date(2020, 1, 1))
    assert find_conflicts([a, later]) == []
    assert keyed(find_conflicts([a, same_day])) == {("a", "same-day")}


def test_elevations_must_overlap_where_both_give_them():
    a = gk_lease("a", top=1200, bottom=900)
    below = gk_lease("below", east=EAST + 500, top=900, bottom=600)
    deeper = gk_lease("deeper", east=EAST + 500, top=800, bottom=600)
    crossing = gk_lease("crossing", east=EAST + 500, top=1000, bottom=600)
    unknown = gk_lease("unknown", east=EAST + 500)
    assert find_conflicts([a, below]) == []
    assert find_conflicts([a, deeper]) == []
    assert keyed(find_conflicts([a, crossing])) == {("a", "crossing")}
    assert keyed(find_conflicts([a, unknown])) == {("a", "unknown")}


def test_conflicts_with_one_lease():
    leases = [
        gk_lease("a"),
        gk_lease("b", east=EAST + 500),
        gk_lease("c", east=EAST + 1000),
        gk_lease("d", east=EAST - 300, north=NORTH + 300, side=200),
        lease("no-boundary", None),
    ]
    mine = gk_lease("new", east=EAST + 800)
    found = conflicts_with(mine, leases)
    assert [(c.a, c.b) for c in found] == [("new", "a"), ("new", "b"), ("new", "c")]
    assert found[0].area_m2 == pytest.approx(200_000, rel=0.005)
    # The lease itself among the others (as when it is re-saved) is skipped.
    assert keyed(conflicts_with(leases[0], leases)) == {("a", "b")}
    everything = find_conflicts([*leases, mine])
    assert {(c.b, c.a) for c in everything if c.b == "new"} == keyed(found)
    assert conflicts_with(lease("x", None), leases) == []
    assert find_conflicts([]) == find_conflicts(leases[:1]) == []


GRID = 0.001  # degrees: about 100 m, so any overlap is far above the 1 m2 threshold


@st.composite
def grid_leases(draw):
    count = draw(st.integers(2, 9))
    leases = []
    for i in range(count):
        x, y = draw(st.integers(0, 8)), draw(st.integers(0, 8))
        w, h = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        geometry = box(
            107.45 + x * GRID, 26.1 + y * GRID, 107.45 + (x + w) * GRID, 26.1 + (y + h) * GRID
        )
        start = draw(st.integers(2000, 2030))
        end = start + draw(st.integers(0, 10))
        top = bottom = None
        if draw(st.booleans()):
            bottom = draw(st.integers(0, 4)) * 100
            top = bottom + draw(st.integers(1, 3)) * 100
        leases.append(lease(i, geometry, date(start, 1, 1), date(end, 12, 31), top, bottom))
    return leases


def brute_force(leases):
    found = set()
    for i, a in enumerate(leases):
        for b in leases[i + 1 :]:
            if a.valid_from > b.valid_to or b.valid_from > a.valid_to:
                continue
            if (
                a.elevation_top_m is not None
                and b.elevation_top_m is not None
                and not (
                    a.elevation_bottom_m < b.elevation_top_m
                    and b.elevation_bottom_m < a.elevation_top_m
                )
            ):
                continue
            meet = a.geometry.intersection(b.geometry)
            area = abs(GRS80.geometry_area_perimeter(meet)[0]) if meet.geom_type == "Polygon" else 0
            if area > 1:
                found.add((a.key, b.key))
    return found


@settings(max_examples=150, deadline=None)
@given(grid_leases())
def test_scan_equals_brute_force(leases):
    conflicts = find_conflicts(leases)
    assert keyed(conflicts) == brute_force(leases)
    assert all(c.a < c.b for c in conflicts)
    for one in leases:
        mine = {(c.a, c.b) for c in conflicts_with(one, leases)}
        assert mine == {
            (one.key, b if a == one.key else a) for a, b in keyed(conflicts) if one.key in (a, b)
        }


def test_corner_count_counts_each_rings_corners_once():
    from coop.domain.boundaries import corner_count

    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    assert corner_count(json.dumps(square)) == 4
    holed_and_triangle = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [3, 0], [3, 3], [0, 3], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]],
            [[[5, 5], [6, 5], [6, 6], [5, 5]]],
        ],
    }
    assert corner_count(json.dumps(holed_and_triangle)) == 4 + 3 + 3
