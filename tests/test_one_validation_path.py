"""One validation path: for every record kind that is exchanged, a row that imports from a CSV file
also posts through the JSON API and saves through the kind's form, with the same record as the
result; blank text is no value everywhere (docs/design.md "Import and export"; coop.schemas.base).

A kind is given by its row (as a spreadsheet holds it: text, empty cells blank) and by how its
form is posted; a kind registered without them fails test_every_kind_has_a_row."""

import csv
import io
from datetime import date

import pytest

from coop import registry
from coop.audit import acting_as
from coop.extensions import db
from coop.services import meetings
from tests.helpers import flashed, problems, square, upload

# Three meetings, one for each path, so that attendance and actions have a meeting of their own.
DAYS = {"import": date(2024, 3, 15), "api": date(2024, 4, 12), "form": date(2024, 5, 10)}


def rows(path):
    """Each kind's row for path (import, api or form): the same values but the key, which each
    path gives its own record."""
    n = list(DAYS).index(path) + 1
    day = DAYS[path].isoformat()
    return {
        "enterprises": {
            "code": f"E9{n}",
            "name": "Enterprise nine",
            "legal_representative": "张伟",
            "business_license_no": "",
            "joined_on": "2020-01-01",
            "left_on": "",
            "contact_phone": "",
        },
        "mines": {
            "code": f"M9{n}",
            "enterprise_code": "E1",
            "name": "Mine nine",
            "minerals": "zn, pb",
            "mining_method": "underground",
            "processing_method": "",
            "status": "active",
            "opened_on": "2001-05-01",
            "closed_on": "",
        },
        "leases": {
            "permit_no": f"L9{n}",
            "mine_code": "M1B",
            "valid_from": "2021-01-01",
            "valid_to": "2031-12-31",
            "boundary": square(107.60, 26.10),  # the same land: conflicts are saved
            "crs": "EPSG:4490",
            "elevation_top_m": "1200",
            "elevation_bottom_m": "",
        },
        "disputes": {
            "ref": f"D9{n}",
            "opened_on": "2024-06-01",
            "lease_a": "L1",
            "lease_b": "L3",
            "description": "A drift across the shared edge.",
            "status": "open",
            "resolved_on": "",
            "resolution": "",
        },
        "samples": {
            "sample_code": f"S9{n}",
            "mine_code": "M1A",
            "sampled_on": "2024-05-02",
            "sample_type": "feed",
            "zn_pct": "3.48",
            "pb_pct": "",
            "lab": "",
            "notes": "",
        },
        "production": {
            "mine_code": "M1A",
            "month": f"2023-0{n}",
            "ore_mined_t": "1200.5",
            "ore_processed_t": "1000",
            "concentrate_t": "",
            "revenue_rmb": "",
        },
        "meetings": {
            "held_on": f"2023-0{n}-10",
            "kind": "monthly",
            "location": "the office",
            "chair": "",
            "agenda": "",
            "minutes": "",
        },
        "attendance": {
            "held_on": day,
            "kind": "monthly",
            "enterprise_code": "E2",
            "status": "present",
            "representative": "",
        },
        "actions": {
            "held_on": day,
            "kind": "monthly",
            "description": "Clean the drainage ditch.",
            "owner_enterprise_code": "",
            "due_on": "",
            "done_on": "",
        },
    }


def form_post(kind, row):
    """(url, form data) of the kind's page that creates a record of row."""
    key = f"{row.get('held_on')}:monthly"
    if kind == "attendance":
        data = {f"rows-0-{name}": row[name] for name in ("enterprise_code", "status")}
        return f"/meetings/{key}/attendance", data | {"rows-0-representative": ""}
    if kind == "actions":
        return f"/meetings/{key}/actions/new", {
            k: v for k, v in row.items() if k not in ("held_on", "kind")
        }
    pages = {
        "enterprises": "/enterprises/new",
        "mines": "/mines/new",
        "leases": "/leases/new",
        "disputes": "/disputes/new",
        "samples": "/samples/new",
        "production": "/production/new",
        "meetings": "/meetings/new",
    }
    return pages[kind], row


def csv_of(kind, row):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(kind.columns)
    writer.writerow([row[name] for name in kind.columns])
    return buffer.getvalue().encode()


def test_every_kind_has_a_row():
    """A new exchanged kind needs its row here, so that this module checks it too."""
    assert set(rows("import")) == set(registry.exchanged())


@pytest.fixture
def world(app, users, leases):
    """The fixtures' members, leases and accounts, and the three meetings."""
    with acting_as("test"):
        for day in DAYS.values():
            meetings.save_meeting({"held_on": day, "kind": "monthly"})
        db.session.commit()


def record_of(kind, row, varying):
    """The record a row made, as the kind's schema dumps it, but for the fields each path gives
    its own value (varying) and surrogate keys."""
    record = kind.existing(kind.schema().load(row))
    assert record is not None, row
    dumped = kind.schema().dump(record)
    return {k: v for k, v in dumped.items() if k not in varying | {"id", "key"}}


@pytest.mark.parametrize("name", sorted(rows("import")))
def test_a_row_imports_posts_and_saves_alike(world, as_role, api, name):
    kind = registry.exchanged()[name]
    client = as_role("president")

    imported = rows("import")[name]
    response = upload(client, name, csv_of(kind, imported), f"{name}.csv")
    assert response.status_code == 302, problems(response)

    posted = rows("api")[name]
    response = api.post(f"/api/v1/{name}", json=posted)
    assert response.status_code == 201, response.json

    saved = rows("form")[name]
    url, data = form_post(name, saved)
    response = client.post(url, data=data)
    assert response.status_code == 302, (response.status_code, flashed(response))

    varying = {k for k, v in imported.items() if posted[k] != v or saved[k] != v}
    by_import, by_api, by_form = (record_of(kind, r, varying) for r in (imported, posted, saved))
    assert by_import == by_api == by_form


@pytest.mark.parametrize(
    ("url", "values", "blank"),
    [
        ("/api/v1/mines", {"code": "M9", "enterprise_code": "E1", "name": "Mine nine",
                           "minerals": "Zn", "mining_method": "underground"}, "closed_on"),
        ("/api/v1/samples", {"sample_code": "S9", "mine_code": "M1A", "sampled_on": "2024-05-02",
                             "sample_type": "feed", "zn_pct": 3.48}, "pb_pct"),
    ],
)  # fmt: skip
def test_blank_text_is_no_value_in_the_api(world, api, url, values, blank):
    """As a CSV's empty cell and a form's empty box: "" and spaces for an optional field."""
    for text in ("", "   "):
        body = values | {blank: text}
        body[next(iter(values))] += text.strip() or str(len(text))
        response = api.post(url, json=body)
        assert response.status_code == 201, response.json
        assert response.json[blank] is None


def test_blank_text_takes_a_fields_default(world, api):
    response = api.post(
        "/api/v1/mines",
        json={
            "code": "M9",
            "enterprise_code": "E1",
            "name": "Mine nine",
            "minerals": "Zn",
            "mining_method": "underground",
            "status": "",
        },
    )
    assert response.status_code == 201, response.json
    assert response.json["status"] == "active"
    # in a PATCH, a field that must have a value is refused blank
    response = api.patch("/api/v1/mines/M9", json={"status": " "})
    assert response.status_code == 400
    assert response.json["details"] == {"status": ["is required."]}
    # an optional field is emptied by blank text, in a PATCH too
    api.patch("/api/v1/mines/M9", json={"opened_on": "2020-01-01"})
    response = api.patch("/api/v1/mines/M9", json={"opened_on": " "})
    assert response.status_code == 200 and response.json["opened_on"] is None


def test_blank_text_of_a_required_field_is_required(world, api):
    response = api.post("/api/v1/enterprises", json={"code": "E9", "name": " ", "joined_on": ""})
    assert response.status_code == 400
    assert response.json["details"] == {
        "name": ["is required."],
        "joined_on": ["is required."],
    }


def test_a_page_names_a_fields_problem_as_the_api_and_the_import_do(world, as_role, api):
    """The same message for the same bad value, whichever way it comes."""
    bad = rows("form")["samples"] | {"zn_pct": "101"}
    assert api.post("/api/v1/samples", json=bad).json["details"] == {
        "zn_pct": ["must be from 0 to 100."]
    }
    kind = registry.exchanged()["samples"]
    client = as_role("president")
    assert problems(upload(client, "samples", csv_of(kind, bad), "s.csv")) == [
        ("2", "zn_pct", "must be from 0 to 100.")
    ]
    page = client.post("/samples/new", data=bad).text
    assert "Zn (%): must be from 0 to 100." in page
