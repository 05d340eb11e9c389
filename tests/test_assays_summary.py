"""The assay summary (docs/design.md "Production and assays"): coop.services.assays, the page
/assays/, its charts and GET /api/v1/assays/summary, with figures worked out by hand."""

import itertools
import re
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from coop import create_app
from coop.audit import acting_as
from coop.extensions import db
from coop.models import ApiToken
from coop.services import assays
from coop.services.accounts import user_by_name
from coop.services.production import save_production, save_sample
from tests.conftest import base_config

_codes = itertools.count(1)


def add_samples(mine, day, kind, *grades):
    """One sample of kind at each zn grade, taken on day ("YYYY-MM-DD") at mine."""
    with acting_as("test"):
        for grade in grades:
            save_sample(
                {
                    "sample_code": f"T{next(_codes):06d}",
                    "mine_code": mine,
                    "sampled_on": date.fromisoformat(day),
                    "sample_type": kind,
                    "zn_pct": grade,
                }
            )
        db.session.commit()


def add_production(mine, month, processed=None, concentrate=None, mined=None):
    with acting_as("test"):
        save_production(
            {
                "mine_code": mine,
                "month": month,
                "ore_mined_t": mined,
                "ore_processed_t": processed,
                "concentrate_t": concentrate,
            }
        )
        db.session.commit()


def item(items, mine, period):
    found = [i for i in items if i["mine_code"] == mine and i["period"] == period]
    assert len(found) == 1, f"{mine} {period}: {len(found)} items"
    return found[0]


def api_items(client, **query):
    response = client.get("/api/v1/assays/summary", query_string=query)
    assert response.status_code == 200, response.text
    return response.json["items"]


@pytest.fixture
def march(members):
    """M1A in 2005-03: feed 3.0 and 4.0 (mean 3.5), concentrate 50, tailings 0.3; 1,000 t of ore
    processed gave 64 t of concentrate."""
    add_samples("M1A", "2005-03-10", "feed", 3.0, 4.0)
    add_samples("M1A", "2005-03-12", "concentrate", 50.0)
    add_samples("M1A", "2005-03-14", "tailings", 0.3)
    add_production("M1A", "2005-03", processed=1000.0, concentrate=64.0, mined=1100.0)


# --- one mine, one month -----------------------------------------------------------------------


def test_two_product_and_mass_balance_of_a_month(march):
    (only,) = [i for i in assays.summary(period="month") if i["mine_code"] == "M1A"]
    assert only["period"] == "2005-03"
    assert only["samples"] == {"feed": 2, "concentrate": 1, "tailings": 1, "waste": 0}
    assert only["feed_zn_pct"] == pytest.approx(3.5)
    assert only["concentrate_zn_pct"] == 50.0
    assert only["tailings_zn_pct"] == 0.3
    assert only["waste_zn_pct"] is None
    # 100 * 50 * (3.5 - 0.3) / (3.5 * (50 - 0.3)) = 16000 / 173.95 = 91.98045...
    assert only["recovery_two_product_pct"] == pytest.approx(16000 / 173.95)
    assert only["recovery_two_product_pct"] == pytest.approx(91.98045, abs=1e-5)
    # 100 * 64 * 50 / (1000 * 3.5) = 320000 / 3500 = 91.428571...
    assert only["recovery_mass_balance_pct"] == pytest.approx(91.428571, abs=1e-6)
    assert only["recovery_mass_balance_method"] == "mass_balance"
    assert only["recovery_note"] is None  # both computed, 0.55 points apart
    assert only["warnings"] == []


def test_the_api_answers_the_same(march, as_role):
    client = as_role("operator")
    items = api_items(client, period="month")
    assert [(i["mine_code"], i["period"]) for i in items] == [(None, "2005-03"), ("M1A", "2005-03")]
    mine = items[1]
    assert sorted(mine) == sorted(
        [
            "mine_code",
            "period",
            "samples",
            "feed_zn_pct",
            "concentrate_zn_pct",
            "tailings_zn_pct",
            "waste_zn_pct",
            "recovery_two_product_pct",
            "recovery_mass_balance_pct",
            "recovery_mass_balance_method",
            "recovery_note",
        ]
    )
    assert mine["samples"] == {"feed": 2, "concentrate": 1, "tailings": 1, "waste": 0}
    assert mine["recovery_two_product_pct"] == pytest.approx(91.98045, abs=1e-5)
    assert mine["recovery_mass_balance_pct"] == pytest.approx(91.428571, abs=1e-6)
    # One mine: the association's figures are the mine's (weighted by one weight).
    association = items[0]
    assert association["recovery_two_product_pct"] == mine["recovery_two_product_pct"]
    assert association["recovery_mass_balance_pct"] == pytest.approx(91.428571, abs=1e-6)
    assert association["recovery_mass_balance_method"] == "feed_metal_weighted"


def test_a_gap_over_5_points_is_a_warning(members):
    """The same grades as `march`, but 50 t of concentrate: 100 * 50 * 50 / 3500 = 71.43 %,
    20.55 points below the two-product 91.98 %."""
    add_samples("M1A", "2005-03-10", "feed", 3.0, 4.0)
    add_samples("M1A", "2005-03-12", "concentrate", 50.0)
    add_samples("M1A", "2005-03-14", "tailings", 0.3)
    add_production("M1A", "2005-03", processed=1000.0, concentrate=50.0)
    mine = item(assays.summary(period="month"), "M1A", "2005-03")
    assert mine["recovery_mass_balance_pct"] == pytest.approx(71.428571, abs=1e-6)
    assert mine["recovery_two_product_pct"] == pytest.approx(91.98045, abs=1e-5)
    assert mine["recovery_note"] == (
        "Warning: the two-product recovery (91.98 %) and the mass-balance recovery (71.43 %) "
        "differ by 20.55 points, more than 5: check the grades and the tonnages."
    )
    assert len(mine["warnings"]) == 1


def test_a_period_without_concentrate_has_no_two_product_recovery(members):
    add_samples("M1B", "2005-03-02", "feed", 3.0)
    add_samples("M1B", "2005-03-03", "tailings", 0.3)
    add_production("M1B", "2005-03", processed=500.0, concentrate=30.0)
    for period, label in (("month", "2005-03"), ("quarter", "2005-Q1"), ("year", "2005")):
        mine = item(assays.summary(period=period), "M1B", label)
        assert mine["recovery_two_product_pct"] is None
        assert mine["two_product_reason"] == f"no concentrate assay in {label}."
        # the mass balance needs the concentrate grade too
        assert mine["recovery_mass_balance_pct"] is None
        assert mine["mass_balance_reason"] == "no concentrate assay."
        assert mine["recovery_note"] == (
            f"Two-product recovery: no concentrate assay in {label}. "
            "Mass-balance recovery: no concentrate assay."
        )


def test_tailings_not_below_feed_has_no_two_product_recovery(members):
    add_samples("M1A", "2005-06-01", "feed", 0.5)
    add_samples("M1A", "2005-06-01", "concentrate", 50.0)
    add_samples("M1A", "2005-06-01", "tailings", 0.6)
    mine = item(assays.summary(), "M1A", "2005")
    assert mine["recovery_two_product_pct"] is None
    assert mine["two_product_reason"] == "tailings grade 0.6 % is not below the feed grade 0.5 %."
    assert mine["mass_balance_reason"] == "no production is recorded for 2005."
    assert mine["recovery_note"] == (
        "Two-product recovery: tailings grade 0.6 % is not below the feed grade 0.5 %. "
        "Mass-balance recovery: no production is recorded for 2005."
    )


def test_a_month_without_a_tonnage_leaves_the_period_without_mass_balance(march):
    add_production("M1A", "2005-02", processed=None, concentrate=10.0, mined=900.0)
    mine = item(assays.summary(period="quarter"), "M1A", "2005-Q1")
    assert mine["recovery_two_product_pct"] == pytest.approx(91.98045, abs=1e-5)
    assert mine["recovery_mass_balance_pct"] is None
    assert mine["mass_balance_reason"] == "no tonnage of ore processed is recorded for 2005-02."


# --- months rolled into quarters and years -----------------------------------------------------


@pytest.fixture
def first_half(members):
    """M1A, 2005. January: feed 3.0, tailings 0.2; February: feed 4.0 three times, concentrate
    50 and 54; March: tailings 0.4 twice; April: feed 5.0, concentrate 50, tailings 0.5.
    Production: January to March 1,000 t processed each, giving 60, 70 and 65 t."""
    add_samples("M1A", "2005-01-15", "feed", 3.0)
    add_samples("M1A", "2005-01-16", "tailings", 0.2)
    add_samples("M1A", "2005-02-15", "feed", 4.0, 4.0, 4.0)
    add_samples("M1A", "2005-02-16", "concentrate", 50.0, 54.0)
    add_samples("M1A", "2005-03-15", "tailings", 0.4, 0.4)
    add_samples("M1A", "2005-04-15", "feed", 5.0)
    add_samples("M1A", "2005-04-16", "concentrate", 50.0)
    add_samples("M1A", "2005-04-16", "tailings", 0.5)
    for month, concentrate in (("2005-01", 60.0), ("2005-02", 70.0), ("2005-03", 65.0)):
        add_production("M1A", month, processed=1000.0, concentrate=concentrate)


def test_quarters_weigh_months_by_their_samples(first_half):
    q1 = item(assays.summary(period="quarter"), "M1A", "2005-Q1")
    assert q1["samples"] == {"feed": 4, "concentrate": 2, "tailings": 3, "waste": 0}
    # feed (3 + 4 + 4 + 4) / 4 = 3.75, not the mean of the monthly means (3 + 4) / 2 = 3.5
    assert q1["feed_zn_pct"] == pytest.approx(3.75)
    assert q1["concentrate_zn_pct"] == pytest.approx(52.0)
    # tailings (0.2 + 0.4 + 0.4) / 3 = 1/3, not (0.2 + 0.4) / 2 = 0.3
    assert q1["tailings_zn_pct"] == pytest.approx(1 / 3)
    # f = 15/4, c = 52, t = 1/3: 100 * 52 * (41/12) / ((15/4) * (155/3)) = 213200 / 2325
    assert q1["recovery_two_product_pct"] == pytest.approx(213200 / 2325)  # 91.698924...
    # 100 * (60 + 70 + 65) * 52 / ((3 * 1000) * 3.75) = 1014000 / 11250 = 90.1333...
    assert q1["recovery_mass_balance_pct"] == pytest.approx(1014000 / 11250)
    q2 = item(assays.summary(period="quarter"), "M1A", "2005-Q2")
    assert q2["mass_balance_reason"] == "no production is recorded for 2005-Q2."


def test_a_year_adds_its_quarters(first_half):
    year = item(assays.summary(period="year"), "M1A", "2005")
    assert year["samples"] == {"feed": 5, "concentrate": 3, "tailings": 4, "waste": 0}
    assert year["feed_zn_pct"] == pytest.approx(20 / 5)  # 3 + 12 + 5
    assert year["concentrate_zn_pct"] == pytest.approx(154 / 3)  # 50 + 54 + 50
    assert year["tailings_zn_pct"] == pytest.approx(1.5 / 4)  # 0.2 + 0.8 + 0.5
    f, c, t = 4.0, 154 / 3, 0.375
    assert year["recovery_two_product_pct"] == pytest.approx(100 * c * (f - t) / (f * (c - t)))
    # April has samples but no production: the year's tonnages are January to March's.
    assert year["recovery_mass_balance_pct"] == pytest.approx(100 * 195 * c / (3000 * f))


def test_months_keep_their_own_figures(first_half):
    items = assays.summary(period="month")
    january = item(items, "M1A", "2005-01")
    assert january["two_product_reason"] == "no concentrate assay in 2005-01."
    assert january["mass_balance_reason"] == "no concentrate assay."
    february = item(items, "M1A", "2005-02")
    assert february["two_product_reason"] == "no tailings assay in 2005-02."
    # 100 * 70 * 52 / (1000 * 4) = 91
    assert february["recovery_mass_balance_pct"] == pytest.approx(91.0)
    assert [i["period"] for i in items if i["mine_code"] is None] == [
        "2005-01",
        "2005-02",
        "2005-03",
        "2005-04",
    ]


# --- the association ---------------------------------------------------------------------------


@pytest.fixture
def two_mines(members):
    """2006. M1A: feed 3.8 and 4.2 (mean 4), concentrate 50, tailings 0.4; 1,000 t processed,
    70 t of concentrate: 100 * 70 * 50 / (1000 * 4) = 87.5 %.
    M2A: feed 2, concentrate 40, tailings 0.1 and 0.3 (mean 0.2); 3,000 t processed, 135 t of
    concentrate: 100 * 135 * 40 / (3000 * 2) = 90 %."""
    add_samples("M1A", "2006-05-01", "feed", 3.8, 4.2)
    add_samples("M1A", "2006-05-02", "concentrate", 50.0)
    add_samples("M1A", "2006-05-03", "tailings", 0.4)
    add_production("M1A", "2006-05", processed=1000.0, concentrate=70.0)
    add_samples("M2A", "2006-07-01", "feed", 2.0)
    add_samples("M2A", "2006-07-02", "concentrate", 40.0)
    add_samples("M2A", "2006-07-03", "tailings", 0.1, 0.3)
    add_production("M2A", "2006-07", processed=3000.0, concentrate=135.0)


def test_association_pools_grades_and_weighs_mass_balance_by_feed_metal(two_mines):
    items = assays.summary(period="year")
    assert [i["mine_code"] for i in items] == [None, "M1A", "M2A"]
    assert item(items, "M1A", "2006")["recovery_mass_balance_pct"] == pytest.approx(87.5)
    assert item(items, "M2A", "2006")["recovery_mass_balance_pct"] == pytest.approx(90.0)
    whole = item(items, None, "2006")
    assert whole["samples"] == {"feed": 3, "concentrate": 2, "tailings": 3, "waste": 0}
    # pooled: f = (3.8 + 4.2 + 2) / 3 = 10/3, c = (50 + 40) / 2 = 45, t = 0.8 / 3 = 4/15
    assert whole["feed_zn_pct"] == pytest.approx(10 / 3)
    assert whole["concentrate_zn_pct"] == pytest.approx(45.0)
    assert whole["tailings_zn_pct"] == pytest.approx(4 / 15)
    # 100 * 45 * (46/15) / ((10/3) * (671/15)) = 621000 / 6710 = 92.548...
    assert whole["recovery_two_product_pct"] == pytest.approx(621000 / 6710)
    # weights ore processed x feed grade: 1000 * 4 = 4000 and 3000 * 2 = 6000;
    # (4000 * 87.5 + 6000 * 90) / 10000 = 89
    assert whole["recovery_mass_balance_pct"] == pytest.approx(89.0)
    assert whole["recovery_note"] is None  # 3.55 points apart


def test_association_mass_balance_needs_every_assayed_mines_tonnage(two_mines):
    add_samples("M1B", "2006-09-01", "feed", 3.0)
    whole = item(assays.summary(period="year"), None, "2006")
    assert whole["recovery_two_product_pct"] is not None
    assert whole["recovery_mass_balance_pct"] is None
    assert whole["mass_balance_reason"] == "mine M1B has no tonnage of ore processed."
    assert whole["recovery_note"] == (
        "Feed-metal-weighted recovery: mine M1B has no tonnage of ore processed."
    )


def test_waste_samples_alone_do_not_hold_the_association_back(two_mines):
    add_samples("M1B", "2006-09-01", "waste", 0.55)
    whole = item(assays.summary(period="year"), None, "2006")
    assert whole["recovery_mass_balance_pct"] == pytest.approx(89.0)
    assert whole["waste_zn_pct"] == 0.55


def test_daoa_2005_both_methods(members):
    """docs/design.md: with f = 3.48 and t = 0.28 the two-product formula cannot give less than
    100 (3.48 - 0.28) / 3.48 = 91.95 %, yet the DAOA reported 91.25 %: only tonnages give it.

    Two mines with the DAOA's grades (c = 52) and 5,200 t of ore processed each; 316.68 t of
    concentrate at one, 318.42 t at the other: 100 * 316.68 * 52 / (5200 * 3.48) = 91.0 % and
    100 * 318.42 * 52 / (5200 * 3.48) = 91.5 %; equal feed metal, so the association's
    weighted mass balance is (91.0 + 91.5) / 2 = 91.25 %. Waste: 0.55 %, as the DAOA reported."""
    for mine, concentrate in (("M1A", 316.68), ("M2A", 318.42)):
        add_samples(mine, "2005-06-01", "feed", 3.48)
        add_samples(mine, "2005-06-01", "concentrate", 52.0)
        add_samples(mine, "2005-06-01", "tailings", 0.28)
        add_samples(mine, "2005-06-01", "waste", 0.55)
        add_production(mine, "2005-06", processed=5200.0, concentrate=concentrate)
    items = assays.summary(period="year")
    assert item(items, "M1A", "2005")["recovery_mass_balance_pct"] == pytest.approx(91.0)
    assert item(items, "M2A", "2005")["recovery_mass_balance_pct"] == pytest.approx(91.5)
    whole = item(items, None, "2005")
    floor = 100 * (3.48 - 0.28) / 3.48
    assert floor == pytest.approx(91.954, abs=1e-3)
    # 100 * 52 * 3.2 / (3.48 * 51.72) = 16640 / 179.9856 = 92.452...
    assert whole["recovery_two_product_pct"] == pytest.approx(16640 / 179.9856)
    assert whole["recovery_two_product_pct"] > floor
    assert whole["recovery_mass_balance_pct"] == pytest.approx(91.25)
    assert whole["recovery_mass_balance_pct"] < floor
    assert whole["waste_zn_pct"] == pytest.approx(0.55)
    assert whole["recovery_note"] is None  # 1.2 points apart


# --- filters -----------------------------------------------------------------------------------


def test_mine_code_filter_gives_that_mines_items_only(two_mines, as_role):
    client = as_role("president")
    items = api_items(client, mine_code="M2A")
    assert [(i["mine_code"], i["period"]) for i in items] == [("M2A", "2006")]
    assert api_items(client, mine_code="M1B") == []  # a mine with no samples


def test_from_and_to_filter_samples_and_production(first_half, as_role):
    client = as_role("bureau")
    items = api_items(client, period="month", **{"from": "2005-02-01", "to": "2005-03-31"})
    assert sorted({i["period"] for i in items}) == ["2005-02", "2005-03"]
    items = api_items(client, period="year", **{"from": "2005-04-01"})
    year = item(items, "M1A", "2005")
    assert year["samples"] == {"feed": 1, "concentrate": 1, "tailings": 1, "waste": 0}
    assert year["recovery_note"].endswith("no production is recorded for 2005.")
    # from in the middle of a month: that month's production counts, its earlier samples not
    items = api_items(client, period="quarter", **{"from": "2005-02-16", "to": "2005-02-28"})
    q1 = item(items, "M1A", "2005-Q1")
    assert q1["samples"] == {"feed": 0, "concentrate": 2, "tailings": 0, "waste": 0}
    assert "no production" not in (q1["recovery_note"] or "")


def test_nothing_in_the_range_is_no_items(first_half, as_role):
    assert api_items(as_role("admin"), **{"from": "2010-01-01"}) == []


@pytest.mark.parametrize(
    "query, field",
    [
        ({"period": "week"}, "period"),
        ({"period": ""}, "period"),
        ({"from": "2005-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2005-03-01", "to": "2005-02-01"}, "to"),
        ({"period": ["year", "month"]}, "period"),
    ],
)
def test_bad_arguments_are_400_json(members, as_role, query, field):
    response = as_role("president").get("/api/v1/assays/summary", query_string=query)
    assert response.status_code == 400
    assert set(response.json) == {"error", "details"}
    assert list(response.json["details"]) == [field]


@pytest.mark.parametrize("code", ["NOPE", "M1A%00", "%FF", "%ED%B3%BF"])
def test_unknown_mine_is_404_json(members, as_role, code):
    response = as_role("president").get(f"/api/v1/assays/summary?mine_code={code}")
    assert response.status_code == 404
    assert set(response.json) == {"error", "details"}


def test_openapi_documents_the_summary(client):
    doc = client.get("/api/v1/openapi.json").json
    operation = doc["paths"]["/api/v1/assays/summary"]["get"]
    assert {"200", "400", "401", "404"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} == {"mine_code", "from", "to", "period"}
    item = doc["components"]["schemas"]["AssaySummary"]["properties"]
    assert item["recovery_two_product_pct"]["maximum"] == 100


# Generated requests against a database with figures in it (tests/views/test_api.py runs the
# whole document over empty tables): every answer as documented, numbers within 0..100.
summary_schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app(base_config("sqlite://"))
).include(path="/api/v1/assays/summary")


@summary_schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_summary_answers_as_documented(app, users, first_half, two_mines, case):
    with acting_as("test"):
        record, token = ApiToken.issue(user_by_name("operator"))
        db.session.add(record)
        db.session.commit()
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"})


def test_anonymous_gets_401(members, client):
    response = client.get("/api/v1/assays/summary")
    assert response.status_code == 401
    assert set(response.json) == {"error", "details"}
    assert client.get("/assays/").status_code == 302


@pytest.mark.parametrize("role", ["operator", "operator_b", "bureau", "president", "admin"])
def test_every_role_reads_every_mines_figures(two_mines, as_role, role):
    """An association-wide report: the operator of E1 sees E2's mine M2A too."""
    items = api_items(as_role(role))
    assert [i["mine_code"] for i in items] == [None, "M1A", "M2A"]


def test_recoveries_stay_within_0_and_100(members):
    """Metal in the concentrate exceeding the feed's is refused with a reason, not 104 %."""
    add_samples("M1A", "2005-03-01", "feed", 3.0)
    add_samples("M1A", "2005-03-01", "concentrate", 50.0)
    add_samples("M1A", "2005-03-01", "tailings", 0.0)
    add_production("M1A", "2005-03", processed=1000.0, concentrate=62.5)
    mine = item(assays.summary(), "M1A", "2005")
    assert mine["recovery_two_product_pct"] == 100.0  # t = 0: all the metal recovered
    assert mine["recovery_mass_balance_pct"] is None  # 31.25 t of zinc from 30 t
    assert mine["mass_balance_reason"].startswith("the metal in concentrate (31.25 t) exceeds")
    for any_item in assays.summary(period="month"):
        for key in ("recovery_two_product_pct", "recovery_mass_balance_pct"):
            assert any_item[key] is None or 0 <= any_item[key] <= 100


# --- data quality ------------------------------------------------------------------------------


def test_quality_flags(members):
    # M1A 2005-01: produced, no tailings sample; M1A 2005-02: tailings 0.6 >= feed 0.5 and
    # concentrate 0.4 below feed; M2A 2005-01: produced (ore mined only), no sample at all.
    add_samples("M1A", "2005-01-10", "feed", 3.0)
    add_production("M1A", "2005-01", processed=100.0, concentrate=5.0)
    add_samples("M1A", "2005-02-10", "feed", 0.5)
    add_samples("M1A", "2005-02-10", "tailings", 0.6)
    add_samples("M1A", "2005-02-10", "concentrate", 0.4)
    add_production("M2A", "2005-01", mined=200.0)
    flags = assays.report().flags
    assert [(f["mine_code"], f["month"], f["message"]) for f in flags] == [
        ("M1A", "2005-01", "M1A produced in 2005-01 but has no tailings sample that month."),
        (
            "M1A",
            "2005-02",
            "M1A, 2005-02: the mean tailings grade 0.6 % is not below the mean feed grade 0.5 %.",
        ),
        (
            "M1A",
            "2005-02",
            "M1A, 2005-02: the mean concentrate grade 0.4 % is below the mean feed grade 0.5 %.",
        ),
        ("M2A", "2005-01", "M2A produced in 2005-01 but has no feed sample that month."),
        ("M2A", "2005-01", "M2A produced in 2005-01 but has no tailings sample that month."),
    ]


# --- the page and its charts ---------------------------------------------------------------------


def test_page_shows_the_association_first_and_both_methods(two_mines, as_role):
    add_samples("M1B", "2006-09-01", "feed", 3.0)
    page = as_role("operator").get("/assays/?period=year")
    assert page.status_code == 200
    html = page.text
    assert html.index("Association (all mines)") < html.index(">M1A<") < html.index(">M2A<")
    assert "Recovery, two-product formula (%)" in html
    assert "Recovery, mass balance (%)" in html
    assert "feed-metal-weighted mean of the mines" in html
    # pooled with M1B's feed: f = 13/4, c = 45, t = 4/15; 100 * 45 * (179/60) / ((13/4) *
    # (671/15)) = 805500 / 8723 = 92.342...
    assert "92.34" in html
    assert "87.50" in html and "90.00" in html
    # the reasons in place of the values
    assert "mine M1B has no tonnage of ore processed." in html
    assert "no concentrate or tailings assay in 2006." in html
    # charts: the first mine's, and the association's per year
    assert "/assays/chart/grades.svg?mine_code=M1A" in html
    assert "/assays/chart/association.svg?period=year" in html
    # no inline script or style (the CSP allows neither)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html


def test_page_highlights_warnings_and_lists_flags(members, as_role):
    add_samples("M1A", "2005-03-10", "feed", 3.0, 4.0)
    add_samples("M1A", "2005-03-12", "concentrate", 50.0)
    add_production("M1A", "2005-03", processed=1000.0, concentrate=50.0)
    add_samples("M1A", "2005-04-10", "feed", 3.0)
    add_samples("M1A", "2005-04-10", "concentrate", 50.0)
    add_samples("M1A", "2005-04-10", "tailings", 0.3)
    add_production("M1A", "2005-04", processed=1000.0, concentrate=40.0)
    html = as_role("bureau").get("/assays/?period=month&mine_code=M1A").text
    assert "table-warning" in html
    assert "differ by" in html
    assert "M1A produced in 2005-03 but has no tailings sample that month." in html
    assert "/samples/?mine_code=M1A&amp;from=2005-03-01&amp;to=2005-03-31" in html
    assert "Association (all mines)" not in html  # one mine's figures only


def test_page_filters(two_mines, as_role):
    client = as_role("president")
    assert client.get("/assays/?mine_code=NOPE").status_code == 404
    bad = client.get("/assays/?period=week")
    assert bad.status_code == 400
    assert "must be one of: month, quarter, year." in bad.text
    html = client.get("/assays/?from=2006-06-01&period=quarter").text
    assert "2006-Q3" in html and "2006-Q2" not in html
    empty = client.get("/assays/?from=2030-01-01").text
    assert "No samples or production in this period." in empty


@pytest.mark.parametrize(
    "url",
    [
        "/assays/chart/grades.svg?mine_code=M1A&period=month",
        "/assays/chart/recovery.svg?mine_code=M2A",
        "/assays/chart/association.svg",
        "/assays/chart/association.svg?from=2030-01-01",
        "/assays/chart/recovery.svg?mine_code=M1B",
    ],
)
def test_charts_are_svg_with_their_own_policy(two_mines, as_role, url):
    response = as_role("operator").get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert (
        response.headers["Content-Security-Policy"]
        == "default-src 'none'; style-src 'unsafe-inline'"
    )
    svg = response.text
    assert "<svg" in svg and "<script" not in svg
    assert "<text" in svg  # text left to the browser's fonts, not paths


def test_chart_texts_are_translated(two_mines, as_role, monkeypatch):
    from coop.views import assays as views

    monkeypatch.setattr(
        views, "_", lambda message, **params: "«" + (message % params if params else message) + "»"
    )
    svg = as_role("operator").get("/assays/chart/recovery.svg?mine_code=M1A").text
    assert "«Recovery of M1A»" in svg
    assert "«Two-product formula»" in svg


@pytest.mark.parametrize(
    "url, status",
    [
        ("/assays/chart/pie.svg", 404),
        ("/assays/chart/grades.svg", 400),
        ("/assays/chart/grades.svg?mine_code=NOPE", 404),
        ("/assays/chart/association.svg?period=week", 400),
    ],
)
def test_bad_chart_requests(members, as_role, url, status):
    assert as_role("operator").get(url).status_code == status


def test_mine_page_shows_its_recent_years(two_mines, as_role):
    html = as_role("operator_b").get("/mines/M2A").text
    assert "Grades and recovery" in html
    assert "90.00" in html
    assert "/assays/?mine_code=M2A" in html


def test_samples_and_production_pages_link_to_the_summary(members, as_role):
    client = as_role("operator")
    for url in ("/samples/", "/production/"):
        assert 'href="/assays/' in client.get(url).text


def test_nothing_recorded_is_nothing_to_report(members):
    assert assays.summary() == []
    assert assays.summary("NOPE") == []  # the service: no items; the API and page: 404
    empty = assays.report()
    assert (empty.items, empty.flags) == ([], [])


# --- the page's layout, the charts' time axis and their cache (issue 11) -------------------------


def test_charts_come_first_then_the_tables_then_the_checks_folded_and_counted(two_mines, as_role):
    add_production("M1A", "2006-08", processed=500.0, concentrate=30.0)  # no samples: 2 flags
    html = as_role("bureau").get("/assays/?period=year").text
    assert html.index('src="/assays/chart/') < html.index("<table") < html.index('id="quality"')
    quality = html[html.index('<details class="mb-4" id="quality">') :]
    summary = quality[: quality.index("</summary>")]
    assert "Data quality: 2 problems to check" in summary
    assert quality.index("M1A produced in 2006-08 but has no feed sample") < quality.index(
        "</details>"
    )


def test_the_latest_period_is_open_the_earlier_ones_folded(two_mines, as_role):
    add_samples("M1A", "2007-02-01", "feed", 3.0)
    html = as_role("operator").get("/assays/?period=year").text
    assert '<details class="assay-period mb-2" open id="period-2007">' in html
    assert '<details class="assay-period mb-2" id="period-2006">' in html
    # the association's recoveries in the folded period's summary line
    summary = html[html.index('id="period-2006">') :]
    summary = summary[: summary.index("</summary>")]
    assert "87.50" not in summary and "92.34" not in summary
    assert "Two-product formula" in summary and "Mass balance" in summary


def test_on_a_phone_the_grades_fold_and_both_recoveries_stay(two_mines, as_role):
    html = as_role("operator").get("/assays/?period=year").text
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert head.count('class="text-end d-none d-md-table-cell"') == 4  # the grades hide
    assert "Feed Zn (%)" in head
    recoveries = re.findall(r"<th scope=\"col\">(.*?)</th>", head)
    assert len(recoveries) == 3  # Mine and both recoveries: shown at every width
    assert "Recovery, two-product formula (%)" in recoveries[1]
    assert "Recovery, mass balance (%)" in recoveries[2]
    # the grades, folded under the mine, for a phone
    assert '<span class="d-block d-md-none small text-muted fw-normal">' in html
    assert '<span class="text-nowrap">Feed 4.00</span>' in html
    # the mine selector takes the phone's whole width
    assert (
        '<div class="col-12 col-md-5 col-lg-4">\n    <select class="form-select" name="mine_code"'
        in html
    )


def test_the_time_axis_is_to_scale_with_gaps():
    from coop.views.assays import time_series

    first, third = {"period": "2005-11"}, {"period": "2006-01"}
    days, slots = time_series([first, third])
    assert days == [date(2005, 11, 1), date(2005, 12, 1), date(2006, 1, 1)]
    assert slots == [first, None, third]  # December leaves a gap in the lines
    assert time_series([]) == ([], [])


def test_a_chart_over_distant_years_labels_the_years_between(two_mines, as_role):
    add_samples("M1A", "2024-03-01", "feed", 3.0)
    add_samples("M1A", "2024-03-01", "concentrate", 50.0)
    add_samples("M1A", "2024-03-01", "tailings", 0.3)
    svg = as_role("operator").get("/assays/chart/recovery.svg?mine_code=M1A&period=year").text
    ticks = set(re.findall(r"<text[^>]*>(\d{4})</text>", svg))
    # 2006 and 2024 stand 18 years apart: the axis marks the years between, without data
    assert ticks & {"2010", "2012", "2015", "2016", "2020"}, ticks


@pytest.fixture
def draws(monkeypatch):
    """How many charts were drawn (turned into SVG)."""
    from coop import charts

    count = {"n": 0}
    drawing = charts.svg_of

    def counted(fig):
        count["n"] += 1
        return drawing(fig)

    monkeypatch.setattr(charts, "svg_of", counted)
    return count


def test_an_unchanged_chart_is_not_drawn_again_a_change_is_drawn_at_once(two_mines, as_role, draws):
    client = as_role("operator")
    url = "/assays/chart/recovery.svg?mine_code=M1A&period=year"
    first = client.get(url)
    assert (first.status_code, draws["n"]) == (200, 1)
    again = client.get(url)
    assert (again.text, draws["n"]) == (first.text, 1)
    # the browser may keep it too
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    # other arguments, another language: other charts
    client.get(url.replace("year", "quarter"))
    client.get(url, headers={"Accept-Language": "zh-CN"})
    assert draws["n"] == 3
    # a new sample: drawn again, with it
    add_samples("M1A", "2007-03-01", "feed", 3.0)
    changed = client.get(url)
    assert draws["n"] == 4 and changed.text != first.text
    assert client.get(url).text == changed.text and draws["n"] == 4


def test_an_edited_or_deleted_sample_draws_the_chart_again(two_mines, as_role, draws):
    from coop.models import Sample

    client = as_role("operator")
    url = "/assays/chart/grades.svg?mine_code=M2A&period=year"
    client.get(url)
    with acting_as("test"):
        sample = db.session.scalar(db.select(Sample).where(Sample.zn_pct == 0.3))
        sample.zn_pct = 0.5
        db.session.commit()
    client.get(url)
    with acting_as("test"):
        db.session.delete(sample)
        db.session.commit()
    client.get(url)
    assert draws["n"] == 3


def test_one_mine_is_one_table_a_row_per_period(two_mines, as_role):
    add_samples("M1A", "2006-07-01", "feed", 3.0)
    html = as_role("operator").get("/assays/?mine_code=M1A&period=month").text
    assert "assay-period" not in html  # nothing folded: a row each
    assert html.count("<table") == 1
    assert html.index('<span id="period-2006-07">Jul 2006</span>') < html.index(
        '<span id="period-2006-05">May 2006</span>'
    )
    assert '<th scope="col">Period</th>' in html
