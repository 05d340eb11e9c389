"""Leases and disputes through the JSON API (docs/design.md "Leases"; "Command line and JSON"): the
same rules as the pages, lon/lat GeoJSON out, the conflicts list, and who may read and write."""

import json
from datetime import date
from functools import partial

import pytest
from pyproj import Transformer

from coop.extensions import db
from coop.manifests.leases import DISPUTES
from coop.models import AuditEntry, Dispute, Lease
from coop.services.leases import lease_by_permit
from tests import helpers
from tests.helpers import audit, rectangle_area, square

TODAY = date(2025, 6, 1)
M2_PER_MU = 10000 / 15

# Its diagonals (edges 1-2 and 3-4) cross at 107.505E, 26.505N.
BOW_TIE = "POLYGON((107.5 26.5, 107.51 26.51, 107.51 26.5, 107.5 26.51, 107.5 26.5))"
LEASE_FIELDS = [
    "area_ha",
    "area_m2",
    "area_mu",
    "boundary",
    "crs",
    "days_to_expiry",
    "elevation_bottom_m",
    "elevation_top_m",
    "mine_code",
    "permit_no",
    "state",
    "valid_from",
    "valid_to",
]
DISPUTE_FIELDS = [
    "description",
    "lease_a",
    "lease_b",
    "opened_on",
    "ref",
    "resolution",
    "resolved_on",
    "status",
]


@pytest.fixture
def config():
    return {"TODAY": TODAY.isoformat()}


def assert_error(response, status):
    assert response.status_code == status, response.text
    assert response.is_json
    assert set(response.json) == {"error", "details"}
    return response.json["details"]


snapshot = partial(helpers.snapshot, Lease, Dispute, AuditEntry)


def ring_of(geojson):
    assert geojson["type"] == "Polygon"
    [ring] = geojson["coordinates"]
    return ring


def new_lease(**changes):
    return {
        "permit_no": "L9",
        "mine_code": "M1B",
        "valid_from": "2021-01-01",
        "valid_to": "2031-12-31",
        "boundary": {
            "type": "Polygon",
            "coordinates": [
                [
                    [107.60, 26.30],
                    [107.61, 26.30],
                    [107.61, 26.31],
                    [107.60, 26.31],
                    [107.60, 26.30],
                ]
            ],
        },
        "crs": "EPSG:4490",
    } | changes


def new_dispute(**changes):
    return {
        "ref": "D2",
        "opened_on": "2025-05-20",
        "lease_a": "L1",
        "lease_b": "L3",
        "description": "Where does the adit run?",
    } | changes


# Reading ---------------------------------------------------------------------------------------


def test_list_leases(as_api, leases):
    body = as_api("operator").get("/api/v1/leases").json  # operators read every lease
    assert (body["total"], body["page"]) == (3, 1)
    assert [lease["permit_no"] for lease in body["items"]] == ["L1", "L2", "L3"]
    assert sorted(body["items"][0]) == LEASE_FIELDS
    assert [lease["mine_code"] for lease in body["items"]] == ["M1A", "M2A", "M1B"]


def test_lease_json_has_areas_and_lon_lat_geojson(api, leases):
    response = api.get("/api/v1/leases/L1")
    assert response.status_code == 200
    lease = response.json
    expected = rectangle_area(107.40, 26.10, 107.41, 26.11)
    assert lease["area_m2"] == pytest.approx(expected, rel=1e-9)
    assert lease["area_mu"] == pytest.approx(expected / M2_PER_MU, rel=1e-9)
    assert lease["area_ha"] == pytest.approx(expected / 10000, rel=1e-9)
    assert 1.0e6 < lease["area_m2"] < 1.2e6  # about 1.0 km by 1.1 km at 26N
    assert lease["days_to_expiry"] == (date(2030, 12, 31) - TODAY).days
    assert (lease["valid_from"], lease["valid_to"]) == ("2020-01-01", "2030-12-31")
    assert (lease["crs"], lease["mine_code"]) == ("EPSG:4490", "M1A")
    assert lease["elevation_top_m"] is None and lease["elevation_bottom_m"] is None
    ring = ring_of(lease["boundary"])  # an object, not text
    assert ring[0] == ring[-1]
    corners = {(round(lon, 9), round(lat, 9)) for lon, lat in ring}
    assert corners == {(107.40, 26.10), (107.41, 26.10), (107.41, 26.11), (107.40, 26.11)}


def test_lease_list_filters(api, leases):
    def permits(query):
        response = api.get(f"/api/v1/leases?{query}")
        assert response.status_code == 200, response.text
        return [item["permit_no"] for item in response.json["items"]]

    assert permits("mine_code=M2A") == ["L2"]
    assert permits("q=l3") == ["L3"]
    assert permits("from=2031-01-01") == []
    assert permits("to=2019-12-31") == []
    assert permits("from=2030-12-31&to=2030-12-31") == ["L1", "L2", "L3"]


def test_conflicts_endpoint_answers_the_pairs_with_their_intersection(as_api, leases):
    for role in ("operator", "bureau", "president"):
        response = as_api(role).get("/api/v1/leases/conflicts")
        assert response.status_code == 200
        body = response.json
        assert set(body) == {"items"}
        [item] = body["items"]  # L1 and L3 only share an edge
        assert set(item) == {"lease_a", "lease_b", "intersection_m2"}
        assert (item["lease_a"], item["lease_b"]) == ("L1", "L2")
        expected = rectangle_area(107.405, 26.10, 107.41, 26.11)
        assert item["intersection_m2"] == pytest.approx(expected, abs=0.01)


def test_conflicts_endpoint_needs_login_and_refuses_writes(client, as_api, leases):
    assert assert_error(client.get("/api/v1/leases/conflicts"), 401) is None
    response = as_api("president").post("/api/v1/leases/conflicts", json={})
    assert response.status_code == 405


def test_dispute_json(api, leases):
    response = api.get("/api/v1/disputes/D1")
    assert response.status_code == 200
    assert response.json == {
        "ref": "D1",
        "opened_on": "2024-01-01",
        "lease_a": "L1",
        "lease_b": "L2",
        "description": "L1 and L2 overlap.",
        "status": "open",
        "resolved_on": None,
        "resolution": None,
    }


# Creating ---------------------------------------------------------------------------------------


def test_create_lease_with_a_geojson_object(api, leases):
    before = snapshot()
    response = api.post(
        "/api/v1/leases", json=new_lease(elevation_top_m=1200, elevation_bottom_m=900)
    )
    assert response.status_code == 201, response.text
    body = response.json
    assert sorted(body) == LEASE_FIELDS
    expected = rectangle_area(107.60, 26.30, 107.61, 26.31)
    assert body["area_m2"] == pytest.approx(expected, rel=1e-9)
    assert body["area_mu"] == pytest.approx(expected / M2_PER_MU, rel=1e-9)
    assert body["area_ha"] == pytest.approx(expected / 10000, rel=1e-9)
    assert (body["elevation_top_m"], body["elevation_bottom_m"]) == (1200, 900)
    assert api.get("/api/v1/leases/L9").json == body
    assert snapshot()["Lease"] == before["Lease"] + 1
    [entry] = audit("leases", "L9")
    assert entry.action == "create" and entry.actor == "president"
    assert entry.after["mine_code"] == "M1B"
    assert "mine_id" not in entry.after


def test_create_lease_from_a_gauss_kruger_corner_table(api, members):
    """A 1 km square in zone 36 with the zone prefix (EPSG:4524): X northing, Y easting."""
    table = "1, 2950000, 36450000\n2, 2950000, 36451000\n3, 2951000, 36451000\n4, 2951000, 36450000"
    response = api.post(
        "/api/v1/leases", json=new_lease(permit_no="GK1", crs="EPSG:4524", boundary=table)
    )
    assert response.status_code == 201, response.text
    body = response.json
    assert body["crs"] == "EPSG:4490"  # stored in CGCS2000 lon/lat
    assert body["area_m2"] == pytest.approx(1_000_000, rel=0.005)
    ring = ring_of(body["boundary"])
    to_lonlat = Transformer.from_crs("EPSG:4524", "EPSG:4490", always_xy=True)
    for x, y in ((2950000, 36450000), (2950000, 36451000), (2951000, 36451000)):
        lon, lat = to_lonlat.transform(y, x)
        assert any(abs(a - lon) < 1e-8 and abs(b - lat) < 1e-8 for a, b in ring), (x, y)
    # Every stored position is lon/lat near 107.5E, 26.66N, none a projected metre value.
    assert all(107.4 < lon < 107.6 and 26.6 < lat < 26.7 for lon, lat in ring)


def test_create_conflicting_lease_is_allowed_and_listed(api, leases):
    response = api.post(
        "/api/v1/leases", json=new_lease(permit_no="L4", boundary=square(107.395, 26.095))
    )
    assert response.status_code == 201, response.text
    items = api.get("/api/v1/leases/conflicts").json["items"]
    assert [(i["lease_a"], i["lease_b"]) for i in items] == [("L1", "L2"), ("L1", "L4")]
    assert items[1]["intersection_m2"] == pytest.approx(
        rectangle_area(107.40, 26.10, 107.405, 26.105), abs=0.01
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"boundary": BOW_TIE},
            "boundary",
            "crosses itself: edge 1–2 meets edge 3–4 at 26.505000°N, 107.505000°E.",
        ),
        (
            {"boundary": {"type": "Polygon", "coordinates": [[[107.5, 26.5], [107.6, 26.5]]]}},
            "boundary",
            "has only 2 distinct corners; a boundary needs at least 3.",
        ),
        (
            {"boundary": "1 107.5 26.5\n2 107.51 26.5\n3 140.5 26.51"},
            "boundary",
            "corner 3 lies outside the area of EPSG:4490",
        ),
        (
            {"boundary": {"type": "Point", "coordinates": [107.5, 26.5]}},
            "boundary",
            "must be a Polygon",
        ),
        ({"boundary": 42}, "boundary", "must be a GeoJSON geometry object or text"),
        ({"crs": "EPSG:3857"}, "crs", "EPSG:3857 is not accepted"),
        ({"mine_code": "M9"}, "mine_code", "no mine has code M9."),
        ({"valid_to": "2020-12-31"}, "valid_to", "must not be before the start date (2021-01-01)."),
    ],
)
def test_create_lease_refuses_bad_values_naming_the_field(api, leases, changes, field, message):
    before = snapshot()
    details = assert_error(api.post("/api/v1/leases", json=new_lease(**changes)), 400)
    assert list(details) == [field]
    assert details[field][0].startswith(message), details
    assert snapshot() == before


def test_duplicate_permit_is_409(api, leases):
    details = assert_error(api.post("/api/v1/leases", json=new_lease(permit_no="L1")), 409)
    assert details == {"permit_no": ["L1 is already taken."]}


def test_create_dispute(api, leases):
    response = api.post("/api/v1/disputes", json=new_dispute())
    assert response.status_code == 201, response.text
    assert response.json == {
        "ref": "D2",
        "opened_on": "2025-05-20",
        "lease_a": "L1",
        "lease_b": "L3",
        "description": "Where does the adit run?",
        "status": "open",
        "resolved_on": None,
        "resolution": None,
    }
    [entry] = audit("disputes", "D2")
    assert (entry.after["lease_a"], entry.after["lease_b"]) == ("L1", "L3")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"status": "resolved"}, "resolved_on", "is required when the dispute is resolved."),
        (
            {"status": "resolved", "resolved_on": "2025-05-19"},
            "resolved_on",
            "must not be before the opening date (2025-05-20).",
        ),
        ({"lease_b": "L1"}, "lease_b", "must be another lease than lease A."),
        ({"lease_a": "NOPE"}, "lease_a", "no lease has permit number NOPE."),
        ({"status": "closed"}, "status", "must be one of"),
    ],
)
def test_create_dispute_refuses_bad_values_naming_the_field(api, leases, changes, field, message):
    before = snapshot()
    details = assert_error(api.post("/api/v1/disputes", json=new_dispute(**changes)), 400)
    assert field in details
    assert details[field][0].startswith(message), details
    assert snapshot() == before


# Updating ---------------------------------------------------------------------------------------


def test_patch_valid_to(api, leases):
    response = api.patch("/api/v1/leases/L1", json={"valid_to": "2035-12-31"})
    assert response.status_code == 200, response.text
    assert response.json["valid_to"] == "2035-12-31"
    assert response.json["days_to_expiry"] == (date(2035, 12, 31) - TODAY).days
    last = audit("leases", "L1")[-1]
    assert (last.action, last.before, last.after) == (
        "update",
        {"valid_to": "2030-12-31"},
        {"valid_to": "2035-12-31"},
    )


def test_patch_crs_alone_may_not_change_the_crs(api, leases):
    """L1 is stored in EPSG:4490: saying EPSG:4326 without a boundary in it would relabel the
    coordinates, so it is refused; a boundary given with it is read in it."""
    before = snapshot()
    details = assert_error(api.patch("/api/v1/leases/L1", json={"crs": "EPSG:4326"}), 400)
    assert list(details) == ["crs"]
    assert snapshot() == before
    assert lease_by_permit("L1").crs == "EPSG:4490"
    response = api.patch(
        "/api/v1/leases/L1", json={"crs": "EPSG:4326", "boundary": square(107.40, 26.10)}
    )
    assert response.status_code == 200, response.text
    assert response.json["crs"] == "EPSG:4326"


def test_patch_with_a_bad_boundary_is_400_with_details_boundary(api, leases):
    before = snapshot()
    stored = lease_by_permit("L1").boundary
    details = assert_error(
        api.patch("/api/v1/leases/L1", json={"boundary": "1 107.4 26.1\n2 107.41 26.1"}), 400
    )
    assert details == {"boundary": ["has only 2 distinct corners; a boundary needs at least 3."]}
    assert snapshot() == before
    assert lease_by_permit("L1").boundary == stored


def test_patch_boundary_in_a_gauss_kruger_zone(api, leases):
    """The new boundary is read in the CRS given with it; the lease stays in lon/lat."""
    table = "J1 2950000 450000\nJ2 2950000 451000\nJ3 2951000 451000\nJ4 2951000 450000"
    response = api.patch("/api/v1/leases/L3", json={"crs": "EPSG:4545", "boundary": table})
    assert response.status_code == 200, response.text
    assert response.json["crs"] == "EPSG:4490"
    assert response.json["area_m2"] == pytest.approx(1_000_000, rel=0.005)
    to_lonlat = Transformer.from_crs("EPSG:4545", "EPSG:4490", always_xy=True)
    lon, lat = to_lonlat.transform(450000, 2950000)
    ring = ring_of(response.json["boundary"])
    assert any(abs(a - lon) < 1e-8 and abs(b - lat) < 1e-8 for a, b in ring)


def test_patch_dispute_to_resolved(api, leases):
    details = assert_error(api.patch("/api/v1/disputes/D1", json={"status": "resolved"}), 400)
    assert list(details) == ["resolved_on"]
    response = api.patch(
        "/api/v1/disputes/D1",
        json={"status": "resolved", "resolved_on": "2025-05-01", "resolution": "Boundary moved."},
    )
    assert response.status_code == 200, response.text
    assert (response.json["status"], response.json["resolved_on"]) == ("resolved", "2025-05-01")
    details = assert_error(
        api.patch("/api/v1/disputes/D1", json={"resolved_on": "2023-12-31"}), 400
    )
    assert details == {"resolved_on": ["must not be before the opening date (2024-01-01)."]}
    details = assert_error(api.patch("/api/v1/disputes/D1", json={"lease_b": "L1"}), 400)
    assert details == {"lease_b": ["must be another lease than lease A."]}
    last = audit("disputes", "D1")[-1]
    assert (last.before["status"], last.after["status"]) == ("open", "resolved")
    assert DISPUTES.get("D1").resolution == "Boundary moved."


# Who may ------------------------------------------------------------------------------------------


def test_operators_read_disputes_of_their_own_enterprise_only(as_api, e2_dispute):
    e1 = as_api("operator")
    assert [d["ref"] for d in e1.get("/api/v1/disputes").json["items"]] == ["D1"]
    assert e1.get("/api/v1/disputes").json["total"] == 1
    assert e1.get("/api/v1/disputes/D1").status_code == 200
    assert_error(e1.get("/api/v1/disputes/D2"), 403)
    assert e1.get("/api/v1/disputes?mine_code=M2A").json["items"] == [
        e1.get("/api/v1/disputes/D1").json
    ]
    e2 = as_api("operator_b")
    assert [d["ref"] for d in e2.get("/api/v1/disputes").json["items"]] == ["D2", "D1"]
    assert e2.get("/api/v1/disputes/D1").status_code == 200
    assert e2.get("/api/v1/disputes/D2").status_code == 200
    bureau = as_api("bureau")
    assert [d["ref"] for d in bureau.get("/api/v1/disputes").json["items"]] == ["D2", "D1"]


@pytest.mark.parametrize("role", ["operator", "operator_b", "bureau"])
def test_operators_and_bureau_write_no_lease_or_dispute(as_api, leases, role):
    client = as_api(role)
    before = snapshot()
    assert_error(client.post("/api/v1/leases", json=new_lease(mine_code="M1A")), 403)
    assert_error(client.post("/api/v1/leases", json=new_lease(mine_code="M2A")), 403)
    assert_error(client.patch("/api/v1/leases/L1", json={"valid_to": "2040-01-01"}), 403)
    assert_error(client.patch("/api/v1/leases/L2", json={"valid_to": "2040-01-01"}), 403)
    assert_error(client.post("/api/v1/disputes", json=new_dispute()), 403)
    assert_error(client.patch("/api/v1/disputes/D1", json={"status": "mediating"}), 403)
    assert snapshot() == before
    assert lease_by_permit("L1").valid_to == date(2030, 12, 31)


def test_anonymous_gets_401(client, leases):
    for url in ("/api/v1/leases", "/api/v1/leases/L1", "/api/v1/disputes", "/api/v1/disputes/D1"):
        assert_error(client.get(url), 401)
    assert_error(client.post("/api/v1/leases", json=new_lease()), 401)


def test_unknown_keys_are_404(api, leases):
    assert_error(api.get("/api/v1/leases/NOPE"), 404)
    assert_error(api.patch("/api/v1/leases/NOPE", json={"valid_to": "2040-01-01"}), 404)
    assert_error(api.get("/api/v1/disputes/NOPE"), 404)


def test_openapi_documents_the_lease_endpoints(api, leases):
    spec = api.get("/api/v1/openapi.json").json
    assert "/api/v1/leases/conflicts" in spec["paths"]
    assert "/api/v1/leases/{key}" in spec["paths"] or any(
        p.startswith("/api/v1/leases/{") for p in spec["paths"]
    )
    assert "/api/v1/disputes" in spec["paths"]
    assert json.dumps(spec)  # serialisable


@pytest.mark.parametrize("permit", ["new", "conflicts", "Attention"])
def test_a_permit_number_that_names_a_page_is_refused(api, members, permit):
    """/leases/new and /leases/conflicts are pages: a lease with such a key could not be reached."""
    body = {
        "permit_no": permit,
        "mine_code": "M1A",
        "valid_from": "2020-01-01",
        "valid_to": "2030-12-31",
        "boundary": "POLYGON((107.6 26.3, 107.61 26.3, 107.61 26.31, 107.6 26.31, 107.6 26.3))",
    }
    response = api.post("/api/v1/leases", json=body)
    assert response.status_code == 400
    assert response.json["details"] == {
        "permit_no": [f"{permit} names a page of its own; choose another."]
    }
    assert db.session.scalar(db.select(db.func.count(Lease.id))) == 0
