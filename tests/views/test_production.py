"""Samples and monthly production through the pages and the JSON API, with every role
(docs/design.md "Production and assays"; "Who uses it": operators write their own enterprise's
mines' records only). The recovery formulas are tested in tests/domain/test_assays.py."""

import re
from datetime import date

import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.manifests.production import SAMPLES
from coop.models import ApiToken, AuditEntry, Production, Sample
from coop.services.accounts import user_by_name
from coop.services.production import production_of, save_production, save_sample
from tests.helpers import problem_rows, upload

TODAY = date(2025, 6, 1)


@pytest.fixture
def config():
    return {"TODAY": TODAY.isoformat()}


@pytest.fixture
def records(members):
    """S1 (feed, of E1's mine M1A) and S2 (of E2's mine M2A); production of M1A and M2A in
    2025-04."""
    with acting_as("test"):
        for code, mine in (("S1", "M1A"), ("S2", "M2A")):
            save_sample(
                {
                    "sample_code": code,
                    "mine_code": mine,
                    "sampled_on": date(2025, 4, 10),
                    "sample_type": "feed",
                    "zn_pct": 3.48,
                    "lab": "Duyun lab",
                }
            )
            save_production(
                {
                    "mine_code": mine,
                    "month": "2025-04",
                    "ore_mined_t": 1200.0,
                    "ore_processed_t": 1000.0,
                    "concentrate_t": 61.0,
                }
            )
        db.session.commit()


def sample_form(**changes):
    form = {
        "sample_code": "S9",
        "mine_code": "M1A",
        "sampled_on": "2025-05-20",
        "sample_type": "tailings",
        "zn_pct": "0.28",
        "pb_pct": "",
        "lab": "Duyun lab",
        "notes": "",
    }
    return form | changes


def production_form(**changes):
    form = {
        "mine_code": "M1A",
        "month": "2025-05",
        "ore_mined_t": "1500",
        "ore_processed_t": "1400",
        "concentrate_t": "85.5",
        "revenue_rmb": "612345.67",
    }
    return form | changes


def count(model):
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def sample_codes(html):
    return re.findall(r'<td[^>]*><a href="/samples/([^"]+)">', html)


def error_of(html):
    return [m.strip() for m in re.findall(r'<div class="invalid-feedback">([^<]*)</div>', html)]


# the quick sample form -----------------------------------------------------------------------


def test_operator_enters_a_sample_for_their_own_mine(as_role, records):
    client = as_role("operator")
    page = client.get("/samples/new").text
    options = re.findall(r'<option (?:selected )?value="(M[^"]*)"', page)
    assert options == ["M1A", "M1B"]  # E1's mines only
    assert 'value="2025-06-01"' in page  # today, the usual case
    assert 'inputmode="decimal"' in page  # a number pad on a phone
    response = client.post("/samples/new", data=sample_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/samples/S9"
    sample = SAMPLES.get("S9")
    assert (sample.mine_code, sample.sample_type, sample.zn_pct, sample.pb_pct) == (
        "M1A",
        "tailings",
        0.28,
        None,
    )
    [entry] = db.session.execute(
        db.select(AuditEntry).filter_by(record_type="samples", record_key="S9")
    ).scalars()
    assert (entry.action, entry.actor, entry.after["mine_code"]) == ("create", "operator", "M1A")


def test_save_and_add_another_keeps_mine_date_type_and_lab(as_role, records):
    client = as_role("operator")
    response = client.post("/samples/new", data=sample_form(another="1"))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/samples/new?")
    page = client.get(location).text
    assert '<option selected value="M1A">' in page
    assert '<option selected value="tailings">' in page
    assert 'value="2025-05-20"' in page
    assert 'value="Duyun lab"' in page
    assert 'name="sample_code" type="text" value=""' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"zn_pct": "101"}, "zn_pct", "must be from 0 to 100."),
        ({"zn_pct": "-1"}, "zn_pct", "must be from 0 to 100."),
        ({"zn_pct": "nan"}, "zn_pct", "must be a finite number."),
        ({"pb_pct": "100.5"}, "pb_pct", "must be from 0 to 100."),
        (
            {"sample_type": "slag"},
            "sample_type",
            "must be one of: feed, concentrate, tailings, waste.",
        ),
        ({"sampled_on": "2025-06-02"}, "sampled_on", "must not be after today (2025-06-01)."),
        ({"mine_code": "M9"}, "mine_code", "no mine has code M9."),
        ({"sample_code": "S1"}, "sample_code", "S1 is already taken."),
        ({"sample_code": "new"}, "sample_code", "new names a page of its own; choose another."),
    ],
)
def test_bad_samples_are_refused_with_the_reason(as_role, records, changes, field, message):
    client = as_role("president")
    before = (count(Sample), count(AuditEntry))
    response = client.post("/samples/new", data=sample_form(**changes))
    assert response.status_code == 400
    assert any(message in e for e in error_of(response.text)), error_of(response.text)
    assert (count(Sample), count(AuditEntry)) == before


def test_operator_may_not_enter_or_change_another_enterprises_samples(as_role, records):
    client = as_role("operator")
    before = (count(Sample), count(AuditEntry))
    assert client.post("/samples/new", data=sample_form(mine_code="M2A")).status_code == 403
    assert client.get("/samples/S2/edit").status_code == 403
    assert client.post("/samples/S2/edit", data=sample_form(sample_code="S2")).status_code == 403
    # nor move their own sample to another enterprise's mine
    response = client.post("/samples/S1/edit", data=sample_form(sample_code="S1", mine_code="M2A"))
    assert response.status_code == 403
    assert (count(Sample), count(AuditEntry)) == before
    assert SAMPLES.get("S1").mine_code == "M1A"


def test_operators_read_only_their_own_enterprises_samples(as_role, records):
    assert sample_codes(as_role("operator").get("/samples/").text) == ["S1"]
    assert as_role("operator").get("/samples/S2").status_code == 403
    assert sample_codes(as_role("bureau").get("/samples/").text) == ["S1", "S2"]
    assert sample_codes(as_role("bureau").get("/samples/?mine_code=M2A").text) == ["S2"]
    assert sample_codes(as_role("bureau").get("/samples/?sample_type=tailings").text) == []


def test_president_edits_any_sample(as_role, records):
    client = as_role("president")
    response = client.post("/samples/S2/edit", data=sample_form(sample_code="S2", zn_pct="3.5"))
    assert response.status_code == 302
    assert SAMPLES.get("S2").zn_pct == 3.5
    last = (
        db.session.execute(
            db.select(AuditEntry).filter_by(record_key="S2").order_by(AuditEntry.id.desc())
        )
        .scalars()
        .first()
    )
    assert (last.action, last.before["zn_pct"], last.after["zn_pct"]) == ("update", 3.48, 3.5)


# monthly production ---------------------------------------------------------------------------


def test_operator_records_a_month_of_production(as_role, records):
    client = as_role("operator")
    response = client.post("/production/new", data=production_form())
    assert response.status_code == 302
    row = production_of("M1A", "2025-05")
    assert (row.ore_processed_t, row.concentrate_t, str(row.revenue_rmb)) == (
        1400.0,
        85.5,
        "612345.67",
    )
    page = client.get("/production/?mine_code=M1A").text
    assert 'href="/production/M1A:2025-05/edit"' in page
    response = client.post("/production/M1A:2025-05/edit", data=production_form(concentrate_t="90"))
    assert response.status_code == 302
    assert production_of("M1A", "2025-05").concentrate_t == 90.0


@pytest.mark.parametrize(
    ("changes", "field_text"),
    [
        ({"month": "2025-04"}, "M1A already has production for 2025-04."),
        ({"month": "2025-07"}, "must not be after the current month (2025-06)."),
        ({"month": "2025-13"}, "is not a valid month (use YYYY-MM)."),
        ({"concentrate_t": "1500"}, "must not exceed the ore processed (1400 t)"),
        ({"ore_mined_t": "-5"}, "must be from 0 to"),
        ({"revenue_rmb": "-1"}, "must be from 0 to"),
        ({"revenue_rmb": "1e13"}, "must be from 0 to"),
    ],
)
def test_bad_production_is_refused(as_role, records, changes, field_text):
    client = as_role("operator")
    before = (count(Production), count(AuditEntry))
    response = client.post("/production/new", data=production_form(**changes))
    assert response.status_code == 400
    assert field_text in response.text
    assert (count(Production), count(AuditEntry)) == before


def test_a_production_form_shows_every_problem_at_once(as_role, records):
    """A negative revenue (the schema's) and a concentrate above the ore processed (a rule
    across fields) are both said, each beside its field, in words: no raw column name."""
    client = as_role("operator")
    response = client.post(
        "/production/new", data=production_form(revenue_rmb="-1", concentrate_t="1500")
    )
    assert response.status_code == 400
    concentrate, revenue = error_of(response.text)  # in the form's order
    assert concentrate == (
        "Concentrate (t): must not exceed the ore processed (1400 t): the concentrate is made "
        "from the ore processed, so it cannot weigh more."
    )
    assert revenue.startswith("Revenue (RMB): must be from 0 to")
    # a field the schema refused is blank to the rules: no rule speaks of it twice
    response = client.post(
        "/production/new", data=production_form(ore_processed_t="x", concentrate_t="1500")
    )
    assert [e.split(":")[0] for e in error_of(response.text)] == ["Ore processed (t)"]


def test_operator_may_not_record_production_of_another_enterprise(as_role, records):
    client = as_role("operator")
    before = count(Production)
    response = client.post("/production/new", data=production_form(mine_code="M2A"))
    assert response.status_code == 403
    assert client.get("/production/M2A:2025-04/edit").status_code == 403
    assert count(Production) == before
    page = client.get("/production/").text
    assert "M2A" not in re.findall(r'<td[^>]*><a href="/mines/([^"]+)">', page)


def test_the_bureau_reads_but_writes_no_production(as_role, records):
    client = as_role("bureau")
    assert client.get("/production/").status_code == 200
    assert client.post("/production/new", data=production_form()).status_code == 403
    assert client.post("/samples/new", data=sample_form()).status_code == 403


# the JSON API ---------------------------------------------------------------------------------


@pytest.fixture
def api(client, users):
    def as_(username):
        with acting_as("test"):
            record, token = ApiToken.issue(user_by_name(username))
            db.session.add(record)
            db.session.commit()
        headers = {"Authorization": f"Bearer {token}"}

        class Api:
            def get(self, url):
                return client.get(url, headers=headers)

            def post(self, url, body):
                return client.post(url, json=body, headers=headers)

            def patch(self, url, body):
                return client.patch(url, json=body, headers=headers)

        return Api()

    return as_


SAMPLE_JSON = {
    "sample_code": "S9",
    "mine_code": "M1A",
    "sampled_on": "2025-05-20",
    "sample_type": "concentrate",
    "zn_pct": 51.2,
}


def test_api_samples_for_the_operators_own_mines_only(api, records):
    operator = api("operator")
    response = operator.post("/api/v1/samples", SAMPLE_JSON)
    assert response.status_code == 201
    assert response.json == {
        "sample_code": "S9",
        "mine_code": "M1A",
        "sampled_on": "2025-05-20",
        "sample_type": "concentrate",
        "zn_pct": 51.2,
        "pb_pct": None,
        "lab": None,
        "notes": None,
    }
    refused = operator.post(
        "/api/v1/samples", SAMPLE_JSON | {"sample_code": "S8", "mine_code": "M2A"}
    )
    assert refused.status_code == 403
    assert operator.patch("/api/v1/samples/S2", {"zn_pct": 4}).status_code == 403
    assert operator.get("/api/v1/samples/S2").status_code == 403
    assert [s["sample_code"] for s in operator.get("/api/v1/samples").json["items"]] == ["S9", "S1"]
    assert SAMPLES.get("S8") is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"zn_pct": 100.01}, "zn_pct"),
        ({"sample_type": "slag"}, "sample_type"),
        ({"sampled_on": "2025-06-02"}, "sampled_on"),
        ({"mine_code": "NOPE"}, "mine_code"),
    ],
)
def test_api_refuses_bad_samples(api, records, changes, field):
    response = api("president").post("/api/v1/samples", SAMPLE_JSON | changes)
    assert response.status_code == 400
    assert field in response.json["details"]
    assert SAMPLES.get("S9") is None


def test_api_production_by_mine_and_month(api, records):
    president = api("president")
    body = president.get("/api/v1/production/M2A:2025-04").json
    assert body == {
        "mine_code": "M2A",
        "month": "2025-04",
        "ore_mined_t": 1200.0,
        "ore_processed_t": 1000.0,
        "concentrate_t": 61.0,
        "revenue_rmb": None,
    }
    assert president.get("/api/v1/production/M2A:2025-05").status_code == 404
    assert president.get("/api/v1/production/M2A").status_code == 404
    created = president.post(
        "/api/v1/production", {"mine_code": "M2A", "month": "2025-05", "revenue_rmb": "12.5"}
    )
    assert created.status_code == 201
    assert created.json["revenue_rmb"] == "12.50"
    again = president.post("/api/v1/production", {"mine_code": "M2A", "month": "2025-05"})
    assert again.status_code == 409
    patched = president.patch("/api/v1/production/M2A:2025-05", {"ore_processed_t": 900})
    assert patched.status_code == 200
    assert patched.json["ore_processed_t"] == 900.0
    listed = president.get("/api/v1/production?mine_code=M2A&from=2025-05-01").json["items"]
    assert [(p["mine_code"], p["month"]) for p in listed] == [("M2A", "2025-05")]
    operator = api("operator")
    assert operator.get("/api/v1/production/M2A:2025-04").status_code == 403
    assert (
        operator.patch("/api/v1/production/M1A:2025-04", {"concentrate_t": 2000}).status_code == 400
    )


def test_an_import_row_for_another_enterprises_mine_names_its_column_and_value(as_role, records):
    """The operator of E1 imports production: the row for E2's stored month is refused at
    mine_code, saying whose mine it is; a bad month is shown as given. Nothing is written."""
    client = as_role("operator")
    before = (count(Production), count(AuditEntry))
    content = (
        b"mine_code,month,ore_mined_t,ore_processed_t,concentrate_t,revenue_rmb\n"
        b"M1A,2025-05,1500,1400,85.5,\n"
        b"M1A,2026-13,1500,1400,85.5,\n"
        b"M2A,2025-04,1300,1100,70,\n"
    )
    response = upload(client, "production", content, "production.csv")
    assert response.status_code == 400
    assert problem_rows(response) == [
        ("3", "month", "2026-13", "is not a valid month (use YYYY-MM)."),
        ("4", "mine_code", "M2A", "M2A belongs to E2; you may write only the records of E1."),
    ]
    assert (count(Production), count(AuditEntry)) == before


def reporting_gaps(page):
    """(mine code, [what is missing]) of the start page's reminder."""
    if 'id="reporting-gaps"' not in page:
        return []
    part = page.split('id="reporting-gaps"', 1)[1].split("</div>", 1)[0]
    return [
        (code, re.findall(r'<a href="/(?:production|samples)/new[^"]*">([^<]+)</a>', rest))
        for code, rest in re.findall(r'<li><a href="/mines/([^"]+)">.*?</a>:(.*?)</li>', part, re.S)
    ]


def test_an_operator_is_reminded_of_last_months_missing_records(as_role, records):
    """On 2025-06-01, E1's operator is told that May's production and samples of its active
    mines are missing, with links to enter them; each line goes once they are in."""
    client = as_role("operator")
    page = client.get("/").text
    both = ["production", "feed and tailings samples"]
    assert "Not yet reported for May 2025" in page
    assert reporting_gaps(page) == [("M1A", both), ("M1B", both)]
    assert 'href="/production/new?mine_code=M1A&amp;month=2025-05"' in page
    form = client.get("/production/new?mine_code=M1A&month=2025-05").text
    assert 'value="2025-05"' in form
    assert client.post("/production/new", data=production_form()).status_code == 302
    assert reporting_gaps(client.get("/").text) == [
        ("M1A", ["feed and tailings samples"]),
        ("M1B", both),
    ]
    for code, kind in (("S5", "feed"), ("S6", "tailings")):
        data = sample_form(sample_code=code, sample_type=kind, sampled_on="2025-05-20")
        assert client.post("/samples/new", data=data).status_code == 302
    assert reporting_gaps(client.get("/").text) == [("M1B", both)]
    # each operator its own mines; no reminder for those who do not enter them
    assert [code for code, _ in reporting_gaps(as_role("operator_b").get("/").text)] == ["M2A"]
    assert reporting_gaps(as_role("president").get("/").text) == []


def test_a_sample_code_left_empty_is_generated(as_role, records):
    """The form and an import give a sample without a code the next of its mine and
    day (M1A-20250520-01, -02, ...), the import numbering its rows in the file's order."""
    client = as_role("operator")
    response = client.post(
        "/samples/new", data=sample_form(sample_code="", sampled_on="2025-05-20")
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Sample.sample_code).order_by(Sample.id.desc())) == (
        "M1A-20250520-01"
    )
    content = (
        b"sample_code,mine_code,sampled_on,sample_type,zn_pct,pb_pct,lab,notes\n"
        b",M1A,2025-05-20,tailings,0.3,,,\n"
        b"M1A-20250520-07,M1A,2025-05-20,feed,3.1,,,\n"
        b",M1A,2025-05-20,concentrate,50,,,\n"
        b",M1B,2025-05-21,feed,3,,,\n"
    )
    assert upload(client, "samples", content, "lab.csv").status_code == 302
    codes = db.session.scalars(db.select(Sample.sample_code).where(Sample.lab.is_(None))).all()
    assert sorted(codes) == [
        "M1A-20250520-07",
        "M1A-20250520-08",
        "M1A-20250520-09",
        "M1B-20250521-01",
    ]
