"""A rule of docs/design.md and its SQL twin (on the model, for queries) give the same answer on
every engine; and a list's filters are one schema, which its page and its API endpoint both load."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coop.audit import acting_as
from coop.domain.leases import LEASE_STATES, Period, periods_overlap
from coop.domain.meetings import is_overdue
from coop.domain.members import was_member, was_member_during
from coop.extensions import db
from coop.models import Action, Enterprise, Lease
from coop.services import actions
from coop.services.members import save_enterprise
from tests.helpers import add_leases

TODAY = date(2025, 6, 1)


@pytest.fixture
def config():
    return {"TODAY": TODAY}


@pytest.fixture
def lease_history(members):
    """Leases of every state on TODAY: M1A's A1 expired, A2 in force and renewed by B2, not yet
    valid; M1B's B1 ending; M2A's C1 valid, and C0 in force, renewed by C1."""
    with acting_as("test"):
        add_leases(
            [
                ("A1", "M1A", date(2010, 1, 1), date(2019, 12, 31)),
                ("A2", "M1A", date(2020, 1, 1), date(2029, 12, 31)),
                ("B1", "M1B", date(2015, 1, 1), date(2025, 7, 15)),
                ("B2", "M1A", date(2030, 1, 1), date(2035, 7, 15)),
                ("C1", "M2A", date(2021, 1, 1), date(2031, 12, 31)),
                ("C0", "M2A", date(2021, 1, 1), date(2025, 8, 30)),
            ]
        )
        db.session.commit()


DAYS = [
    date(2009, 12, 31),
    date(2015, 1, 1),
    date(2019, 12, 31),
    date(2020, 1, 1),
    date(2025, 4, 16),
    date(2025, 4, 17),
    date(2025, 6, 1),
    date(2025, 7, 15),
    date(2025, 7, 16),
    date(2029, 10, 2),
    date(2029, 10, 3),
    date(2029, 12, 31),
    date(2030, 1, 1),
]


@pytest.mark.parametrize("within", [90, 0, 365])
def test_a_leases_state_in_sql_is_its_state(lease_history, within):
    leases = db.session.execute(sa.select(Lease)).scalars().all()
    seen = set()
    for day in DAYS:
        python = {lease.permit_no: lease.state(day, within) for lease in leases}
        query = sa.select(Lease.permit_no, Lease.state_on(day, within))
        assert dict(db.session.execute(query).all()) == python, day
        seen.update(python.values())
    assert seen == set(LEASE_STATES)


def test_membership_in_sql_is_membership(app):
    with acting_as("test"):
        for code, joined, left in (
            ("E1", date(1999, 6, 1), None),
            ("E2", date(2003, 3, 1), date(2010, 6, 30)),
            ("E3", date(2010, 6, 30), date(2010, 6, 30)),
        ):
            save_enterprise({"code": code, "name": code, "joined_on": joined, "left_on": left})
        db.session.commit()
    enterprises = db.session.execute(sa.select(Enterprise)).scalars().all()
    edges = [date(1999, 5, 31), date(2003, 3, 1), date(2010, 6, 30), date(2010, 7, 1), None]
    for start in edges:
        for end in edges:
            query = sa.select(Enterprise.code).where(Enterprise.member_during(start, end))
            expected = {
                e.code for e in enterprises if was_member_during(e.joined_on, e.left_on, start, end)
            }
            assert set(db.session.execute(query).scalars()) == expected, (start, end)
        if start is not None:
            query = sa.select(Enterprise.code).where(Enterprise.member_on(start))
            expected = {e.code for e in enterprises if was_member(e.joined_on, e.left_on, start)}
            assert set(db.session.execute(query).scalars()) == expected, start


def permits(response):
    return sorted(item["permit_no"] for item in response.json["items"])


def test_the_api_filters_leases_by_state_as_the_page_does(lease_history, api, as_role):
    assert permits(api.get("/api/v1/leases?state=expired")) == ["A1"]
    assert permits(api.get("/api/v1/leases?state=not_yet_valid")) == ["B2"]
    assert permits(api.get("/api/v1/leases?state=ending")) == ["B1"]
    assert permits(api.get("/api/v1/leases?state=renewed")) == ["A2", "C0"]
    assert permits(api.get("/api/v1/leases?state=valid")) == ["C1"]
    assert permits(api.get("/api/v1/leases?state=current")) == ["A2", "B1", "C0", "C1"]
    page = as_role("bureau").get("/leases/?state=renewed").text
    assert 'href="/leases/A2"' in page and 'href="/leases/C0"' in page
    assert 'href="/leases/B1"' not in page


@pytest.mark.parametrize(
    "query",
    ["/leases/?state=gone", "/mines/?status=sleeping", "/samples/?sample_type=slag",
     "/actions/?state=later", "/enterprises/?member=maybe", "/meetings/?kind=weekly"],
)  # fmt: skip
def test_a_filter_value_that_is_not_one_is_400_on_the_page_and_in_the_api(
    members, as_role, api, query
):
    page = as_role("bureau").get(query)
    assert page.status_code == 400
    assert "must be one of:" in page.text
    path, _, filters = query.partition("?")
    response = api.get(f"/api/v1{path.rstrip('/')}?{filters}")
    assert response.status_code == 400
    (name,) = response.json["details"]
    assert response.json["details"][name][0].startswith("must be one of:")


def test_marking_done_twice_keeps_the_first_day(app, config, actions_fixture):
    action = actions_fixture
    assert actions.mark_done(action, TODAY - timedelta(days=3)) is True
    assert actions.mark_done(action) is False
    assert action.done_on == TODAY - timedelta(days=3)
    assert actions.mark_done(action, TODAY) is True  # a day given changes it
    assert action.done_on == TODAY


@pytest.fixture
def actions_fixture(members):
    from coop.services.meetings import save_meeting

    with acting_as("test"):
        save_meeting({"held_on": date(2025, 5, 9), "kind": "monthly"})
        action = actions.save_action(
            {"held_on": date(2025, 5, 9), "kind": "monthly", "description": "Fix the ditch."}
        )
        db.session.commit()
    return action


def test_a_lease_valid_during_a_period_in_sql_is_periods_overlap(lease_history):
    leases = db.session.execute(sa.select(Lease)).scalars().all()
    edges = [date(2009, 12, 31), date(2019, 12, 31), date(2020, 1, 1), date(2025, 7, 16), None]
    for start in edges:
        for end in edges:
            query = sa.select(Lease.permit_no).where(Lease.valid_during(start, end))
            expected = {
                lease.permit_no for lease in leases if periods_overlap(lease, Period(start, end))
            }
            assert set(db.session.execute(query).scalars()) == expected, (start, end)


def test_an_overdue_action_in_sql_is_is_overdue(members):
    from coop.services.meetings import save_meeting

    held = date(2025, 5, 9)
    with acting_as("test"):
        save_meeting({"held_on": held, "kind": "monthly"})
        for n, (due, done) in enumerate(
            [
                (None, None),
                (date(2025, 5, 31), None),
                (date(2025, 6, 1), None),
                (date(2025, 5, 20), date(2025, 5, 30)),
                (None, date(2025, 5, 12)),
            ]
        ):
            actions.save_action(
                {
                    "held_on": held,
                    "kind": "monthly",
                    "description": f"Action {n}",
                    "due_on": due,
                    "done_on": done,
                }
            )
        db.session.commit()
    every = db.session.execute(sa.select(Action)).scalars().all()
    seen = set()
    for today in (date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2)):
        query = sa.select(Action.description).where(Action.overdue_on(today))
        expected = {a.description for a in every if is_overdue(a.due_on, a.done_on, today)}
        assert set(db.session.execute(query).scalars()) == expected, today
        seen.add(len(expected))
    assert seen == {0, 1, 2}


def test_the_assay_summarys_counts_and_means_are_mean_grades(demo_app):
    """The summary adds up sums and counts in pandas; each mine's year is mean_grades of its
    samples, on the demonstration association's thousands of samples."""
    from collections import defaultdict

    from coop.domain.assays import SAMPLE_TYPES, mean_grades
    from coop.models import Mine, Sample
    from coop.services import assays

    with demo_app.app_context():
        rows = db.session.execute(
            sa.select(Mine.code, Sample.sampled_on, Sample.sample_type, Sample.zn_pct).join(
                Sample.mine
            )
        ).all()
        by_mine_year = defaultdict(list)
        for code, day, kind, grade in rows:
            by_mine_year[(code, str(day.year))].append((kind, grade))
        items = [i for i in assays.summary(period="year") if i["mine_code"] is not None]
    assert len(items) == len(by_mine_year) > 50
    for item in items:
        expected = mean_grades(by_mine_year[(item["mine_code"], item["period"])])
        assert item["samples"] == expected.counts, item["period"]
        for kind in SAMPLE_TYPES:
            mean = expected.means[kind]
            got = item[f"{kind}_zn_pct"]
            assert (got is None) == (mean is None)
            assert mean is None or got == pytest.approx(mean, abs=1e-9)
