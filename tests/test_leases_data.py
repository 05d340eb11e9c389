"""Leases and disputes in and out as files (docs/design.md "Leases", "Import and export"): CSV, XLSX
and GeoJSON FeatureCollections, through the pages under /data/ and the flask commands."""

import csv
import io
import json
from datetime import date
from functools import partial

import openpyxl
import pytest
import sqlalchemy as sa
from pyproj import Transformer

from coop.audit import acting_as
from coop.extensions import db
from coop.models import AuditEntry, Dispute, Lease
from coop.services.leases import lease_by_permit, save_lease
from tests import helpers
from tests.helpers import flashed, polygon, problems, rectangle_area, square, upload

LEASE_COLUMNS = [
    "permit_no",
    "mine_code",
    "valid_from",
    "valid_to",
    "boundary",
    "crs",
    "elevation_top_m",
    "elevation_bottom_m",
]
DISPUTE_COLUMNS = [
    "ref",
    "opened_on",
    "lease_a",
    "lease_b",
    "description",
    "status",
    "resolved_on",
    "resolution",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A 1 km square of zone 36 (EPSG:4524, eastings with the zone prefix) as a permit's corner table:
# point number, X (northing), Y (easting).
GK_TABLE = (
    "J1 2950000.00 36450000.00\n"
    "J2 2950000.00 36451000.00\n"
    "J3 2951000.00 36451000.00\n"
    "J4 2951000.00 36450000.00"
)
BOW_TIE = "POLYGON((107.5 26.5, 107.51 26.51, 107.51 26.5, 107.5 26.51, 107.5 26.5))"
BOW_TIE_PROBLEM = "crosses itself: edge 1–2 meets edge 3–4 at 26.505000°N, 107.505000°E."


# Files as a clerk or a GIS program makes them ----------------------------------------------------


def csv_file(rows, header=LEASE_COLUMNS):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def lease_row(permit, mine="M1A", boundary=None, crs="EPSG:4490", **other):
    values = {
        "permit_no": permit,
        "mine_code": mine,
        "valid_from": "2021-01-01",
        "valid_to": "2031-12-31",
        "boundary": square(107.60, 26.30) if boundary is None else boundary,
        "crs": crs,
    } | other
    return [values.get(c, "") for c in LEASE_COLUMNS]


def feature(permit, geometry, mine="M1A", **properties):
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "permit_no": permit,
            "mine_code": mine,
            "valid_from": "2021-01-01",
            "valid_to": "2031-12-31",
        }
        | properties,
    }


def collection(*features, **extra):
    return json.dumps({"type": "FeatureCollection", "features": list(features)} | extra).encode()


def imported(client, kind, content, filename):
    """Upload; expect success; the flashed summary."""
    response = upload(client, kind, content, filename)
    assert response.status_code == 302, problems(response)
    return flashed(client.get(response.headers["Location"]))


snapshot = partial(helpers.snapshot, Lease, Dispute, AuditEntry)


def permits():
    db.session.expire_all()
    return db.session.execute(sa.select(Lease.permit_no).order_by(Lease.permit_no)).scalars().all()


def gk_lonlat(x_northing, y_easting, crs="EPSG:4524"):
    return Transformer.from_crs(crs, "EPSG:4490", always_xy=True).transform(y_easting, x_northing)


def has_vertex(geojson, lon, lat):
    geometry = json.loads(geojson) if isinstance(geojson, str) else geojson
    [ring] = geometry["coordinates"]
    return any(abs(x - lon) < 1e-8 and abs(y - lat) < 1e-8 for x, y in ring)


def csv_rows(content):
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture
def more_leases(leases):
    """Beside the fixture's L1-L3 (lon/lat squares): G1, given as a Gauss-Kruger corner table
    with an elevation range, whose stored boundary has the corners added along its edges."""
    with acting_as("test"):
        save_lease(
            {
                "permit_no": "G1",
                "mine_code": "M2A",
                "valid_from": date(2019, 7, 1),
                "valid_to": date(2029, 6, 30),
                "boundary": GK_TABLE,
                "crs": "EPSG:4524",
                "elevation_top_m": 1250.0,
                "elevation_bottom_m": 980.5,
            }
        )
        db.session.commit()


# Templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "columns"), [("leases", LEASE_COLUMNS), ("disputes", DISPUTE_COLUMNS)]
)
def test_templates_have_domain_headers_in_order(as_role, kind, columns):
    client = as_role("bureau")
    assert csv_rows(client.get(f"/data/{kind}/template.csv").data) == [columns]
    assert xlsx_rows(client.get(f"/data/{kind}/template.xlsx").data) == [columns]


def test_import_page_offers_geojson_for_leases_only(as_role):
    client = as_role("president")
    assert "GeoJSON FeatureCollection imports too" in client.get("/data/leases/import").text
    assert "GeoJSON" not in client.get("/data/disputes/import").text
    assert client.get("/data/disputes/export.geojson").status_code == 404


# Importing CSV and XLSX -----------------------------------------------------------------------


def test_csv_import_reads_corner_tables_wkt_and_geojson(as_role, members):
    client = as_role("president")
    lonlat = json.dumps(polygon(107.70, 26.30))
    content = csv_file(
        [
            lease_row("P1", boundary=GK_TABLE, crs="EPSG:4524", elevation_top_m="1250"),
            lease_row("P2", mine="M1B", boundary=square(107.60, 26.30), crs="epsg:4490"),
            lease_row("P3", mine="M2A", boundary=lonlat, crs=""),  # the default: lon/lat WGS84
        ]
    )
    assert imported(client, "leases", content, "leases.csv") == [
        "Leases imported: 3 created, 0 updated."
    ]
    p1, p2, p3 = (lease_by_permit(p) for p in ("P1", "P2", "P3"))
    assert (p1.mine_code, p1.crs, p1.elevation_top_m) == ("M1A", "EPSG:4490", 1250)
    assert p1.area_m2 == pytest.approx(1_000_000, rel=0.005)
    assert has_vertex(p1.boundary, *gk_lonlat(2950000, 36450000))
    assert p2.crs == "EPSG:4490"
    assert p2.area_m2 == pytest.approx(rectangle_area(107.60, 26.30, 107.61, 26.31), rel=1e-9)
    assert p3.crs == "EPSG:4326"
    assert p3.area_m2 == pytest.approx(rectangle_area(107.70, 26.30, 107.71, 26.31), rel=1e-9)
    entries = db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.record_type == "leases").order_by(AuditEntry.id)
    ).scalars()
    assert [(e.record_key, e.after["mine_code"], e.actor) for e in entries] == [
        ("P1", "M1A", "president"),
        ("P2", "M1B", "president"),
        ("P3", "M2A", "president"),
    ]


def test_xlsx_import_with_date_cells(as_role, members):
    book = openpyxl.Workbook()
    book.active.append(LEASE_COLUMNS)
    book.active.append(
        ["X1", "M1A", date(2021, 1, 1), date(2031, 12, 31), GK_TABLE, "EPSG:4524", 1250, 980.5]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    assert imported(as_role("president"), "leases", buffer.getvalue(), "leases.xlsx") == [
        "Leases imported: 1 created, 0 updated."
    ]
    lease = lease_by_permit("X1")
    assert (lease.valid_from, lease.valid_to) == (date(2021, 1, 1), date(2031, 12, 31))
    assert (lease.elevation_top_m, lease.elevation_bottom_m) == (1250, 980.5)


def test_one_bad_boundary_writes_nothing_and_names_the_row(as_role, leases):
    client = as_role("president")
    before = snapshot()
    content = csv_file(
        [
            lease_row("P1", boundary=square(107.60, 26.30)),
            lease_row("P2", boundary=BOW_TIE),
            lease_row("P3", boundary=square(107.70, 26.30)),
        ]
    )
    response = upload(client, "leases", content, "leases.csv")
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert problems(response) == [("3", "boundary", BOW_TIE_PROBLEM)]
    assert snapshot() == before
    assert permits() == ["L1", "L2", "L3"]


def test_every_bad_lease_row_is_listed(as_role, leases):
    client = as_role("president")
    content = csv_file(
        [
            lease_row("P1"),
            lease_row("P2", boundary="1 107.5 26.5\n2 107.51 26.5\n3 107.5 26.5"),  # line 3
            lease_row("P3", mine="M9"),  # line 4
            lease_row("P4", valid_from="2031-01-01", valid_to="2030-01-01"),  # line 5
            lease_row("P5", boundary=GK_TABLE.replace("36451000", "451000", 1), crs="EPSG:4524"),
            lease_row("P6", crs="EPSG:3857"),  # line 7
            lease_row("P1"),  # line 8: P1 again
            lease_row("P7", boundary="J1 107.5 26.5\nJ2 107.51 26.5\nJ3 140.5 26.51"),  # line 9
        ]
    )
    response = upload(client, "leases", content, "leases.csv")
    assert response.status_code == 400
    found = problems(response)
    assert [(line, column) for line, column, _ in found] == [
        ("3", "boundary"),
        ("4", "mine_code"),
        ("5", "valid_to"),
        ("6", "boundary"),
        ("7", "crs"),
        ("8", "permit_no"),
        ("9", "boundary"),
    ]
    reasons = [reason for _line, _column, reason in found]
    assert reasons[0] == "has only 2 distinct corners; a boundary needs at least 3."
    assert reasons[1] == "no mine has code M9."
    assert reasons[3].startswith("corner J2: the easting (Y) 451000 lacks the zone prefix 36")
    assert reasons[4].startswith("EPSG:3857 is not accepted")
    assert reasons[5] == "P1 is already on line 2."
    assert reasons[6].startswith("corner J3 lies outside the area of EPSG:4490")
    assert permits() == ["L1", "L2", "L3"]


def test_csv_import_updates_by_permit(as_role, leases):
    client = as_role("president")
    content = csv_file([lease_row("L3", mine="M1B", boundary=square(107.40, 26.105))])
    assert imported(client, "leases", content, "leases.csv") == [
        "Leases imported: 0 created, 1 updated."
    ]
    assert lease_by_permit("L3").area_m2 == pytest.approx(
        rectangle_area(107.40, 26.105, 107.41, 26.115), rel=1e-9
    )
    last = (
        db.session.execute(
            sa.select(AuditEntry)
            .where(AuditEntry.record_key == "L3")
            .order_by(AuditEntry.id.desc())
        )
        .scalars()
        .first()
    )
    assert last.action == "update"
    assert {"boundary", "area_m2", "valid_from", "valid_to"} <= set(last.after)


# Importing GeoJSON ----------------------------------------------------------------------------


def test_geojson_feature_collection_imports(as_role, members):
    client = as_role("president")
    content = collection(
        feature("F1", polygon(107.60, 26.30), crs="EPSG:4490", elevation_top_m=1300),
        feature("F2", polygon(107.70, 26.30), mine="M2A", qgis_fid=7),  # extra properties ignored
    )
    assert imported(client, "leases", content, "leases.geojson") == [
        "Leases imported: 2 created, 0 updated."
    ]
    f1, f2 = lease_by_permit("F1"), lease_by_permit("F2")
    assert (f1.crs, f1.elevation_top_m, f1.mine_code) == ("EPSG:4490", 1300, "M1A")
    assert (f2.crs, f2.mine_code) == ("EPSG:4326", "M2A")  # RFC 7946: lon/lat WGS84
    assert f2.area_m2 == pytest.approx(rectangle_area(107.70, 26.30, 107.71, 26.31), rel=1e-9)


def test_geojson_in_a_gauss_kruger_zone_from_the_collections_crs_member(as_role, members):
    """QGIS writes the older "crs" member for projected data; GeoJSON gives the easting first."""
    corners = [(36450000, 2950000), (36451000, 2950000), (36451000, 2951000), (36450000, 2951000)]
    geometry = {"type": "Polygon", "coordinates": [[*map(list, corners), list(corners[0])]]}
    content = collection(
        feature("G1", geometry),
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4524"}},
    )
    assert imported(as_role("admin"), "leases", content, "zone36.json") == [
        "Leases imported: 1 created, 0 updated."
    ]
    lease = lease_by_permit("G1")
    assert lease.crs == "EPSG:4490"
    assert lease.area_m2 == pytest.approx(1_000_000, rel=0.005)
    for easting, northing in corners:
        assert has_vertex(lease.boundary, *gk_lonlat(northing, easting))


def test_bad_feature_is_named_by_its_number_and_nothing_written(as_role, leases):
    client = as_role("president")
    before = snapshot()
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [[107.5, 26.5], [107.51, 26.51], [107.51, 26.5], [107.5, 26.51], [107.5, 26.5]]
        ],
    }
    content = collection(
        feature("F1", polygon(107.60, 26.30)),
        feature("F2", bow_tie),
        feature("F3", polygon(107.70, 26.30), mine="M9"),
        feature("F4", None),
    )
    response = upload(client, "leases", content, "leases.geojson")
    assert response.status_code == 400
    assert problems(response) == [
        ("2", "boundary", BOW_TIE_PROBLEM),
        ("3", "mine_code", "no mine has code M9."),
        ("4", "boundary", "is required."),
    ]
    assert "problems are numbered by feature" in response.text
    assert "<th>Feature</th>" in response.text
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "Feature", "geometry": null}', "The file is not a GeoJSON FeatureCollection."),
        (b'{"type": "FeatureCollection"', "The file is not valid JSON (line 1, column 29)."),
        (b'{"type": "FeatureCollection", "features": 3}', "The FeatureCollection has no list"),
        ("{}".encode("utf-16"), "The GeoJSON file is not UTF-8 text."),
    ],
)
def test_unreadable_geojson_is_refused(as_role, members, content, message):
    response = upload(as_role("president"), "leases", content, "leases.geojson")
    assert response.status_code == 400
    [(_line, _column, reason)] = problems(response)
    assert reason.startswith(message), reason


def test_a_non_feature_is_named_by_its_number(as_role, members):
    content = collection(feature("F1", polygon(107.6, 26.3)), {"type": "Polygon"})
    response = upload(as_role("president"), "leases", content, "leases.geojson")
    assert response.status_code == 400
    assert problems(response) == [("2", "", "is not a GeoJSON Feature.")]


# Exporting, and importing the export back -----------------------------------------------------


def test_geojson_export(as_role, more_leases):
    response = as_role("operator").get("/data/leases/export.geojson")  # everyone reads leases
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert 'filename="leases.geojson"' in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == ["G1", "L1", "L2", "L3"]
    g1 = data["features"][0]
    assert g1["type"] == "Feature"
    assert g1["properties"] == {
        "permit_no": "G1",
        "mine_code": "M2A",
        "valid_from": "2019-07-01",
        "valid_to": "2029-06-30",
        "crs": "EPSG:4490",
        "elevation_top_m": 1250.0,
        "elevation_bottom_m": 980.5,
    }
    # RFC 7946: lon/lat, whatever the permit gave.
    assert g1["geometry"]["type"] == "Polygon"
    assert has_vertex(g1["geometry"], *gk_lonlat(2951000, 36451000))
    l1 = data["features"][1]["geometry"]
    assert {tuple(p) for p in l1["coordinates"][0]} == {
        (107.40, 26.10),
        (107.41, 26.10),
        (107.41, 26.11),
        (107.40, 26.11),
    }


@pytest.mark.parametrize("fmt", ["geojson", "csv", "xlsx"])
def test_export_imports_back_unchanged(as_role, more_leases, fmt):
    client = as_role("president")
    exported = client.get(f"/data/leases/export.{fmt}")
    assert exported.status_code == 200
    stored = {p: lease_by_permit(p).boundary for p in permits()}
    before = snapshot()
    assert imported(client, "leases", exported.data, f"leases.{fmt}") == [
        "Leases imported: 0 created, 0 updated. 4 already up to date."
    ]
    assert snapshot() == before  # no audit entry either
    assert {p: lease_by_permit(p).boundary for p in permits()} == stored


def test_csv_and_xlsx_exports_have_the_domain_columns(as_role, more_leases):
    client = as_role("bureau")
    rows = csv_rows(client.get("/data/leases/export.csv").data)
    assert rows[0] == LEASE_COLUMNS
    assert [r[:2] for r in rows[1:]] == [["G1", "M2A"], ["L1", "M1A"], ["L2", "M2A"], ["L3", "M1B"]]
    g1 = dict(zip(LEASE_COLUMNS, rows[1], strict=True))
    assert g1["crs"] == "EPSG:4490"
    assert json.loads(g1["boundary"])["type"] == "Polygon"
    assert float(g1["elevation_bottom_m"]) == 980.5
    sheet = xlsx_rows(client.get("/data/leases/export.xlsx").data)
    assert sheet[0] == LEASE_COLUMNS
    assert [r[0] for r in sheet[1:]] == ["G1", "L1", "L2", "L3"]
    assert json.loads(sheet[2][4]) == json.loads(rows[2][4])


def test_edited_geojson_export_updates_only_what_changed(as_role, more_leases):
    client = as_role("president")
    data = json.loads(client.get("/data/leases/export.geojson").data)
    data["features"][1]["properties"]["valid_to"] = "2035-12-31"  # L1
    assert imported(client, "leases", json.dumps(data).encode(), "leases.geojson") == [
        "Leases imported: 0 created, 1 updated. 3 already up to date."
    ]
    assert lease_by_permit("L1").valid_to == date(2035, 12, 31)
    last = (
        db.session.execute(
            sa.select(AuditEntry)
            .where(AuditEntry.record_key == "L1")
            .order_by(AuditEntry.id.desc())
        )
        .scalars()
        .first()
    )
    assert (last.action, last.before, last.after) == (
        "update",
        {"valid_to": "2030-12-31"},
        {"valid_to": "2035-12-31"},
    )


# Disputes -------------------------------------------------------------------------------------


def test_disputes_import_by_permit_and_export_back(as_role, leases):
    client = as_role("president")
    content = csv_file(
        [
            [
                "D2",
                "2025-03-01",
                "L1",
                "L3",
                "The shaft near the shared edge.",
                "mediating",
                "",
                "",
            ],
            ["D3", "2025-03-02", "L2", "L3", "Access road.", "resolved", "2025-04-01", "Shared."],
        ],
        header=DISPUTE_COLUMNS,
    )
    assert imported(client, "disputes", content, "disputes.csv") == [
        "Disputes imported: 2 created, 0 updated."
    ]
    entry = db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.record_key == "D2")
    ).scalar_one()
    assert (entry.after["lease_a"], entry.after["lease_b"]) == ("L1", "L3")
    rows = csv_rows(client.get("/data/disputes/export.csv").data)
    assert rows[0] == DISPUTE_COLUMNS
    assert [r[:4] for r in rows[1:]] == [
        ["D3", "2025-03-02", "L2", "L3"],
        ["D2", "2025-03-01", "L1", "L3"],
        ["D1", "2024-01-01", "L1", "L2"],
    ]
    for fmt in ("csv", "xlsx"):
        exported = client.get(f"/data/disputes/export.{fmt}").data
        assert imported(client, "disputes", exported, f"disputes.{fmt}") == [
            "Disputes imported: 0 created, 0 updated. 3 already up to date."
        ]


def test_bad_dispute_rows_are_named(as_role, leases):
    client = as_role("president")
    before = snapshot()
    content = csv_file(
        [
            ["D2", "2025-03-01", "L1", "NOPE", "x", "open", "", ""],
            ["D3", "2025-03-01", "L2", "L2", "x", "open", "", ""],
            ["D4", "2025-03-01", "L1", "L3", "x", "resolved", "", ""],
            ["D5", "2025-03-01", "L1", "L3", "x", "resolved", "2025-02-01", ""],
        ],
        header=DISPUTE_COLUMNS,
    )
    response = upload(client, "disputes", content, "disputes.csv")
    assert response.status_code == 400
    assert problems(response) == [
        ("2", "lease_b", "no lease has permit number NOPE."),
        ("3", "lease_b", "must be another lease than lease A."),
        ("4", "resolved_on", "is required when the dispute is resolved."),
        ("5", "resolved_on", "must not be before the opening date (2025-03-01)."),
    ]
    assert snapshot() == before


def test_operators_export_every_lease_but_only_their_own_disputes(as_role, e2_dispute):
    client = as_role("operator")
    leases = csv_rows(client.get("/data/leases/export.csv").data)
    assert [r[0] for r in leases[1:]] == ["L1", "L2", "L3", "L5"]
    disputes = csv_rows(client.get("/data/disputes/export.csv").data)
    assert [r[0] for r in disputes[1:]] == ["D1"]


# Who may import -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["operator", "operator_b", "bureau"])
def test_only_president_and_admin_import_leases_and_disputes(as_role, leases, role):
    client = as_role(role)
    before = snapshot()
    for kind in ("leases", "disputes"):
        assert client.get(f"/data/{kind}/import").status_code == 403
    own_mine = {"operator": "M1A", "operator_b": "M2A", "bureau": "M1A"}[role]
    for content, filename in (
        (csv_file([lease_row("P1", mine=own_mine)]), "leases.csv"),
        (collection(feature("P1", polygon(107.6, 26.3), mine=own_mine)), "leases.geojson"),
        (csv_file([lease_row("L1", mine="M1A", valid_to="2040-01-01")]), "leases.csv"),
    ):
        assert upload(client, "leases", content, filename).status_code == 403
    content = csv_file(
        [["D2", "2025-03-01", "L1", "L2", "x", "open", "", ""]], header=DISPUTE_COLUMNS
    )
    assert upload(client, "disputes", content, "disputes.csv").status_code == 403
    assert snapshot() == before


# The command line -----------------------------------------------------------------------------


def test_cli_imports_a_geojson_file(runner, members, tmp_path):
    path = tmp_path / "leases.geojson"
    path.write_bytes(
        collection(
            feature("F1", polygon(107.60, 26.30), crs="EPSG:4490"),
            feature("F2", polygon(107.605, 26.30), mine="M2A", crs="EPSG:4490"),
        )
    )
    result = runner.invoke(args=["import", "leases", str(path)])
    assert result.exit_code == 0, result.output
    assert "leases: 2 created, 0 updated, 0 unchanged" in result.stdout
    assert permits() == ["F1", "F2"]
    entries = db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.record_type == "leases").order_by(AuditEntry.id)
    ).scalars()
    assert [(e.actor, e.record_key, e.after["mine_code"]) for e in entries] == [
        ("cli", "F1", "M1A"),
        ("cli", "F2", "M2A"),
    ]
    # The two overlap by half: imported all the same, and listed as a conflict.
    result = runner.invoke(args=["import", "leases", str(path)])
    assert "leases: 0 created, 0 updated, 2 unchanged" in result.stdout


def test_cli_import_with_a_bad_feature_writes_nothing(runner, leases, tmp_path):
    path = tmp_path / "leases.geojson"
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[107.5, 26.5], [107.51, 26.51], [107.51, 26.5], [107.5, 26.51]]],
    }
    path.write_bytes(collection(feature("F1", polygon(107.6, 26.3)), feature("F2", bow_tie)))
    before = snapshot()
    result = runner.invoke(args=["import", "leases", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "nothing imported from leases.geojson: 1 problem(s)"
    # the cell is shown, cut: a boundary is long
    value = repr(json.dumps(bow_tie)[:59] + "…")
    assert lines[0] == f"feature 2, column boundary ({value}): {BOW_TIE_PROBLEM}"
    assert snapshot() == before


def test_cli_exports_geojson_that_imports_back(runner, more_leases, tmp_path):
    path = tmp_path / "out.geojson"
    result = runner.invoke(args=["export", "leases", str(path)])
    assert result.exit_code == 0, result.output
    assert f"leases: 4 rows written to {path}" in result.stdout
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [f["properties"]["permit_no"] for f in data["features"]] == ["G1", "L1", "L2", "L3"]
    before = snapshot()
    result = runner.invoke(args=["import", "leases", str(path)])
    assert result.exit_code == 0, result.output
    assert "leases: 0 created, 0 updated, 4 unchanged" in result.stdout
    assert snapshot() == before
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"out.{suffix}"
        assert runner.invoke(args=["export", "leases", str(path)]).exit_code == 0
        result = runner.invoke(args=["import", "leases", str(path)])
        assert "leases: 0 created, 0 updated, 4 unchanged" in result.stdout, result.output


def test_cli_export_of_disputes_refuses_geojson(runner, leases, tmp_path):
    result = runner.invoke(args=["export", "disputes", str(tmp_path / "d.geojson")])
    assert result.exit_code == 1
    assert "the file must end in .csv or .xlsx" in result.stderr
    result = runner.invoke(args=["export", "leases", str(tmp_path / "l.kml")])
    assert result.exit_code == 1
    assert "the file must end in .csv, .xlsx or .geojson" in result.stderr
