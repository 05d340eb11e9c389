"""Every route, every method, every role: who gets what answer (docs/design.md "Who uses it").

MATRIX lists each (endpoint, method) of app.url_map with a concrete URL built from the `members`
fixture's records and the status each role gets. A route added without an entry here, or an entry
whose route is gone, fails test_matrix_covers_every_route / test_matrix_names_only_real_routes.

Write requests send invalid data on purpose: a role that may write gets the form (or JSON error)
back with 400, a role that may not gets 403, whatever the data. The operator is E1's operator,
and the write URLs name E1's own records: operators may not write members at all."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import pytest

from coop import registry
from coop.audit import acting_as
from coop.demo.accounts import DEMO_PASSWORD
from coop.extensions import db
from coop.models import User
from coop.services import actions as action_service
from coop.services import attendance as attendance_service
from coop.services import meetings
from coop.services import notices as notice_service
from coop.services.production import save_production, save_sample
from tests.conftest import Auth

ROLES = ("anonymous", "operator", "president", "bureau", "admin")
WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
CHECKED_METHODS = {"GET"} | WRITE_METHODS


@dataclass(frozen=True)
class Case:
    url: str  # may name {operator_id}: the id of the operator account
    # the status for each role, in the order of ROLES:
    # anonymous, operator, president, bureau, admin
    statuses: tuple
    form: dict | None = None  # form data for a POST
    json: dict | None = None  # a JSON body for the API
    # where a 302 sends the anonymous (None: to the login page, and back to url after it)
    anonymous_to: str | None = None
    signed_in_to: str | None = None  # where a 302 sends the signed in

    def expected(self):
        return dict(zip(ROLES, self.statuses, strict=True))


NOT_VALID = {"code": ""}  # a form with its required fields empty
BAD_SAMPLE = {"zn_pct": "500"}
BAD_MONTH = {"month": "2024-13"}

#        anonymous  operator  president  bureau  admin
SIGNED_IN = (302, 200, 200, 200, 200)
WRITERS = (302, 403, 200, 403, 200)
WRITERS_REFUSED = (302, 403, 400, 403, 400)  # a write page's POST of invalid data
ADMIN_ONLY = (302, 403, 403, 403, 200)
ADMIN_REFUSED = (302, 403, 403, 403, 400)
AUDIT_READERS = (302, 403, 200, 200, 200)
API_READ = (401, 200, 200, 200, 200)
API_WRITE_REFUSED = (401, 403, 400, 403, 400)
# records an operator writes for their own enterprise (the operator's E1)
OWN_WRITERS = (302, 200, 200, 403, 200)
OWN_REFUSED = (302, 400, 400, 403, 400)
API_OWN_WRITE_REFUSED = (401, 400, 400, 403, 400)

MEETING = "2024-02-16:monthly"
NO_DATE = {"held_on": "", "approved_on": ""}

MATRIX = {
    # the start page: a welcome for the anonymous, the dashboard for the signed in
    ("main.index", "GET"): Case("/", (200, 200, 200, 200, 200)),
    ("main.language", "POST"): Case(
        "/language",
        (302, 302, 302, 302, 302),
        form={"lang": "en", "next": "/mines/"},
        anonymous_to="/mines/",
        signed_in_to="/mines/",
    ),
    # logging in and out, one's own password
    ("auth.login", "GET"): Case("/login", (200, 200, 200, 200, 200)),
    ("auth.login", "POST"): Case(
        "/login", (400, 400, 400, 400, 400), form={"username": "", "password": ""}
    ),
    ("auth.logout", "POST"): Case(
        "/logout", (302, 302, 302, 302, 302), form={}, anonymous_to="/", signed_in_to="/"
    ),
    ("auth.change_password", "GET"): Case("/account/password", SIGNED_IN),
    ("auth.change_password", "POST"): Case(
        "/account/password", (302, 400, 400, 400, 400), form={"current_password": ""}
    ),
    # accounts: the admin's
    ("accounts.index", "GET"): Case("/accounts/", ADMIN_ONLY),
    ("accounts.create", "GET"): Case("/accounts/new", ADMIN_ONLY),
    ("accounts.create", "POST"): Case("/accounts/new", ADMIN_REFUSED, form={"username": ""}),
    ("accounts.edit", "GET"): Case("/accounts/{operator_id}", ADMIN_ONLY),
    ("accounts.edit", "POST"): Case(
        "/accounts/{operator_id}", ADMIN_REFUSED, form={"role": "no-such-role"}
    ),
    ("accounts.reset_password", "POST"): Case(
        "/accounts/{operator_id}/password", ADMIN_REFUSED, form={"reset-password": "short"}
    ),
    # members: everyone signed in reads, the president and admin write
    ("members.enterprises", "GET"): Case("/enterprises/", SIGNED_IN),
    ("members.enterprise", "GET"): Case("/enterprises/E2", SIGNED_IN),
    ("members.create_enterprise", "GET"): Case("/enterprises/new", WRITERS),
    ("members.create_enterprise", "POST"): Case(
        "/enterprises/new", WRITERS_REFUSED, form=NOT_VALID
    ),
    ("members.edit_enterprise", "GET"): Case("/enterprises/E1/edit", WRITERS),
    ("members.edit_enterprise", "POST"): Case(
        "/enterprises/E1/edit", WRITERS_REFUSED, form=NOT_VALID
    ),
    ("members.mines", "GET"): Case("/mines/", SIGNED_IN),
    ("members.mine", "GET"): Case("/mines/M2A", SIGNED_IN),
    ("members.create_mine", "GET"): Case("/mines/new", WRITERS),
    ("members.create_mine", "POST"): Case("/mines/new", WRITERS_REFUSED, form=NOT_VALID),
    ("members.edit_mine", "GET"): Case("/mines/M1A/edit", WRITERS),
    ("members.edit_mine", "POST"): Case("/mines/M1A/edit", WRITERS_REFUSED, form=NOT_VALID),
    # the audit log: read only, not for operators
    ("audit.index", "GET"): Case("/audit/", AUDIT_READERS),
    # import and export
    ("data.index", "GET"): Case("/data/", SIGNED_IN),
    ("data.export", "GET"): Case("/data/mines/export.csv", SIGNED_IN),
    ("data.template", "GET"): Case("/data/mines/template.xlsx", SIGNED_IN),
    ("data.import_", "GET"): Case("/data/mines/import", WRITERS),
    ("data.import_", "POST"): Case("/data/mines/import", WRITERS_REFUSED, form={"submit": "1"}),
    # the JSON API: 401 (not a redirect) for the anonymous
    ("api-docs.openapi_json", "GET"): Case("/api/v1/openapi.json", (200, 200, 200, 200, 200)),
    # leases: everyone signed in reads, the president and admin write
    ("leases.leases", "GET"): Case("/leases/", SIGNED_IN),
    ("leases.lease", "GET"): Case("/leases/L2", SIGNED_IN),
    ("leases.create_lease", "GET"): Case("/leases/new", WRITERS),
    ("leases.create_lease", "POST"): Case("/leases/new", WRITERS_REFUSED, form=NOT_VALID),
    ("leases.edit_lease", "GET"): Case("/leases/L1/edit", WRITERS),
    ("leases.edit_lease", "POST"): Case("/leases/L1/edit", WRITERS_REFUSED, form=NOT_VALID),
    ("leases.conflicts", "GET"): Case("/leases/conflicts", SIGNED_IN),
    ("leases.attention", "GET"): Case("/leases/attention", SIGNED_IN),
    # one click from a conflict: no leases named is a bad request
    ("leases.open_dispute", "POST"): Case("/leases/conflicts/dispute", WRITERS_REFUSED, form={}),
    # disputes: operators read those of their own enterprise's leases (D1 is E1's with E2)
    ("leases.disputes", "GET"): Case("/disputes/", SIGNED_IN),
    ("leases.dispute", "GET"): Case("/disputes/D1", SIGNED_IN),
    ("leases.create_dispute", "GET"): Case("/disputes/new", WRITERS),
    ("leases.create_dispute", "POST"): Case("/disputes/new", WRITERS_REFUSED, form=NOT_VALID),
    ("leases.edit_dispute", "GET"): Case("/disputes/D1/edit", WRITERS),
    ("leases.edit_dispute", "POST"): Case("/disputes/D1/edit", WRITERS_REFUSED, form=NOT_VALID),
    # the map of leases: everyone signed in
    ("maps.map", "GET"): Case("/map", SIGNED_IN),
    ("maps.leases_geojson", "GET"): Case("/map/leases.geojson", SIGNED_IN),
    ("api_leases.Conflicts", "GET"): Case("/api/v1/leases/conflicts", API_READ),
    # samples and production: operators write their own enterprise's (S1 and M1A are E1's,
    # the operator's; S2 and M2A are E2's: the operator reads none of them)
    ("production.samples", "GET"): Case("/samples/", SIGNED_IN),
    ("production.sample", "GET"): Case("/samples/S2", (302, 403, 200, 200, 200)),
    ("production.create_sample", "GET"): Case("/samples/new", OWN_WRITERS),
    ("production.create_sample", "POST"): Case("/samples/new", OWN_REFUSED, form=BAD_SAMPLE),
    ("production.edit_sample", "GET"): Case("/samples/S1/edit", OWN_WRITERS),
    ("production.edit_sample", "POST"): Case("/samples/S1/edit", OWN_REFUSED, form=BAD_SAMPLE),
    ("production.production", "GET"): Case("/production/", SIGNED_IN),
    # production totals: a report every signed-in role reads, of every mine
    ("production.totals", "GET"): Case("/production/totals", SIGNED_IN),
    ("production.totals_chart", "GET"): Case("/production/totals/chart.svg", SIGNED_IN),
    ("production.create_production", "GET"): Case("/production/new", OWN_WRITERS),
    ("production.create_production", "POST"): Case("/production/new", OWN_REFUSED, form=BAD_MONTH),
    ("production.edit_production", "GET"): Case("/production/M1A:2024-01/edit", OWN_WRITERS),
    ("production.edit_production", "POST"): Case(
        "/production/M1A:2024-01/edit", OWN_REFUSED, form=BAD_MONTH
    ),
    # the assay summary: a report every signed-in role reads (docs/design.md "Who uses it")
    ("assays.summary", "GET"): Case("/assays/", SIGNED_IN),
    ("assays.chart", "GET"): Case("/assays/chart/association.svg", SIGNED_IN),
    ("api_assays.Summary", "GET"): Case("/api/v1/assays/summary", API_READ),
    # meetings: everyone signed in reads; the president and admin log meetings, attendance,
    # approvals, amendments and actions (2024-02-16:monthly, with E1 present; action 1 is E1's,
    # the operator's, action 2 is E2's); operators post notices and mark their own actions done
    ("meetings.meetings", "GET"): Case("/meetings/", SIGNED_IN),
    ("meetings.calendar", "GET"): Case("/meetings/calendar", SIGNED_IN),
    ("meetings.meeting", "GET"): Case(f"/meetings/{MEETING}", SIGNED_IN),
    ("meetings.create_meeting", "GET"): Case("/meetings/new", WRITERS),
    ("meetings.create_meeting", "POST"): Case("/meetings/new", WRITERS_REFUSED, form=NO_DATE),
    ("meetings.edit_meeting", "GET"): Case(f"/meetings/{MEETING}/edit", WRITERS),
    ("meetings.edit_meeting", "POST"): Case(
        f"/meetings/{MEETING}/edit", WRITERS_REFUSED, form=NO_DATE
    ),
    ("meetings.attendance", "GET"): Case(f"/meetings/{MEETING}/attendance", WRITERS),
    ("meetings.attendance", "POST"): Case(
        f"/meetings/{MEETING}/attendance",
        WRITERS_REFUSED,
        form={"rows-0-enterprise_code": "E1", "rows-0-status": "maybe"},
    ),
    # approval with no date: the meeting's page again, with the problem
    ("meetings.approve", "POST"): Case(
        f"/meetings/{MEETING}/approve",
        (302, 403, 302, 403, 302),
        form=NO_DATE,
        signed_in_to=f"/meetings/{MEETING}",
    ),
    ("meetings.amend", "GET"): Case(f"/meetings/{MEETING}/amend", WRITERS),
    ("meetings.amend", "POST"): Case(
        f"/meetings/{MEETING}/amend", WRITERS_REFUSED, form={"text": ""}
    ),
    ("meetings.create_action", "GET"): Case(f"/meetings/{MEETING}/actions/new", WRITERS),
    ("meetings.create_action", "POST"): Case(
        f"/meetings/{MEETING}/actions/new", WRITERS_REFUSED, form={"description": ""}
    ),
    ("meetings.actions", "GET"): Case("/actions/", SIGNED_IN),
    ("meetings.edit_action", "GET"): Case("/actions/1/edit", WRITERS),
    ("meetings.edit_action", "POST"): Case(
        "/actions/1/edit", WRITERS_REFUSED, form={"description": ""}
    ),
    # E2's action: not the operator's to mark done
    ("meetings.mark_done", "POST"): Case(
        "/actions/2/done", (302, 403, 302, 403, 302), form={}, signed_in_to="/"
    ),
    ("meetings.notices", "GET"): Case("/notices/", SIGNED_IN),
    ("meetings.notice", "GET"): Case("/notices/1", SIGNED_IN),
    ("meetings.create_notice", "GET"): Case("/notices/new", OWN_WRITERS),
    ("meetings.create_notice", "POST"): Case("/notices/new", OWN_REFUSED, form={"title": ""}),
    # notice 1 is the president's
    ("meetings.edit_notice", "GET"): Case("/notices/1/edit", WRITERS),
    ("meetings.edit_notice", "POST"): Case("/notices/1/edit", WRITERS_REFUSED, form={"title": ""}),
    ("meetings.read_notice", "POST"): Case(
        "/notices/1/read", (302, 302, 302, 302, 302), form={}, signed_in_to="/"
    ),
    ("meetings.read_all", "POST"): Case(
        "/notices/read", (302, 302, 302, 302, 302), form={}, signed_in_to="/"
    ),
    ("api_meetings.Calendar", "GET"): Case("/api/v1/meetings/calendar", API_READ),
    ("api_meetings.Approve", "POST"): Case(
        f"/api/v1/meetings/{MEETING}/approve", API_WRITE_REFUSED, json={"approved_on": "x"}
    ),
    ("api_meetings.Amendments", "POST"): Case(
        f"/api/v1/meetings/{MEETING}/amendments", API_WRITE_REFUSED, json={"text": ""}
    ),
    # E1's action: the operator may mark it done
    ("api_actions.Done", "POST"): Case(
        "/api/v1/actions/1/done", API_OWN_WRITE_REFUSED, json={"done_on": "x"}
    ),
}


@pytest.fixture
def records(members, users):
    """Samples S1 (of E1's mine M1A) and S2 (of E2's M2A), and production of both in 2024-01."""
    with acting_as("test"):
        for code, mine in (("S1", "M1A"), ("S2", "M2A")):
            save_sample(
                {
                    "sample_code": code,
                    "mine_code": mine,
                    "sampled_on": date(2024, 1, 15),
                    "sample_type": "feed",
                    "zn_pct": 3.5,
                }
            )
            save_production({"mine_code": mine, "month": "2024-01", "ore_processed_t": 1000.0})
        day = date(2024, 2, 16)
        meeting = meetings.save_meeting({"held_on": day, "kind": "monthly", "minutes": "Held."})
        attendance_service.take_attendance(
            meeting, [{"enterprise_code": "E1", "status": "present"}]
        )
        for owner in ("E1", "E2"):
            action_service.save_action(
                {
                    "held_on": day,
                    "kind": "monthly",
                    "description": f"Action of {owner}",
                    "owner_enterprise_code": owner,
                }
            )
        president = db.session.execute(db.select(User).filter_by(username="president")).scalar()
        notice_service.save_notice({"title": "Blasting at noon"}, author=president)
        db.session.commit()


# --- the generic endpoints of every exchanged kind: derived from its manifest -------------------
#
# Every kind the manifests exchange has the JSON API's list, create, get and update, and the import
# and export pages. Their rows are not written here but derived from the kind's declaration: who
# reads it (read_all) and whether operators write their own (operator_writes). They are checked on
# the demonstration association, which holds records of every kind (its operator is DY02's).

BAD_BODY = {"no_such_field": 1}


def generic_rows(kind, own=None, other=None):
    """{(endpoint, method): Case} of kind's generic endpoints; own: the key of a record the demo
    operator's enterprise owns (or any, for a kind operators do not write), other: of a record
    of another enterprise's (or any, for a kind every role reads)."""
    read = 200 if kind.read_all else 403
    write = 400 if kind.operator_writes else 403
    name = kind.name
    return {
        (f"api_{name}.Collection", "GET"): Case(f"/api/v1/{name}", API_READ),
        (f"api_{name}.Collection", "POST"): Case(
            f"/api/v1/{name}", (401, write, 400, 403, 400), json=BAD_BODY
        ),
        (f"api_{name}.Item", "GET"): Case(f"/api/v1/{name}/{other}", (401, read, 200, 200, 200)),
        (f"api_{name}.Item", "PATCH"): Case(
            f"/api/v1/{name}/{own}", (401, write, 400, 403, 400), json=BAD_BODY
        ),
        (f"data.export {name}", "GET"): Case(f"/data/{name}/export.csv", SIGNED_IN),
        (f"data.template {name}", "GET"): Case(f"/data/{name}/template.csv", SIGNED_IN),
        (f"data.import_ {name}", "GET"): Case(
            f"/data/{name}/import", (302, 200 if kind.operator_writes else 403, 200, 403, 200)
        ),
        (f"data.import_ {name}", "POST"): Case(
            f"/data/{name}/import", (302, write, 400, 403, 400), form={"submit": "1"}
        ),
    }


def generic_routes():
    """(endpoint, method) of every exchanged kind's API endpoints, which generic_rows covers."""
    return {
        key
        for kind in registry.exchanged().values()
        for key in generic_rows(kind)
        if key[0].startswith("api_")
    }


def demo_keys(kind):
    """(own, other) keys of demo records of kind: see generic_rows."""
    operator = db.session.execute(db.select(User).filter_by(username="operator")).scalar_one()
    records = db.session.execute(kind.select(None)).scalars().all()
    assert records, f"the demo has no {kind.name}: give it some (coop/demo)"

    def owned(record):
        owner = kind.owner.of(record)
        return (
            operator.enterprise_id in owner
            if isinstance(owner, frozenset)
            else (owner == operator.enterprise_id)
        )

    own = next((r for r in records if owned(r)), None) if kind.operator_writes else records[0]
    other = records[0] if kind.read_all else next((r for r in records if not owned(r)), None)
    assert own is not None and other is not None, kind.name
    return (str(getattr(r, kind.key)) for r in (own, other))


def demo_client_as(app, role):
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/login", data={"username": role, "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{role} cannot log in"
    return client


@pytest.mark.parametrize("name", sorted(registry.exchanged()))
def test_generic_routes_answer_each_role_as_the_manifest_says(demo_app, name):
    kind = registry.exchanged()[name]
    own, other = demo_keys(kind)
    wrong = {}
    for (endpoint, method), case in generic_rows(
        kind, quote(own, safe=":"), quote(other, safe=":")
    ).items():
        answers = {}
        for role in ROLES:
            response = request(demo_client_as(demo_app, role), method, case, case.url)
            answers[role] = response.status_code
            if case.url.startswith("/api/") and response.status_code >= 400:
                assert set(response.json) == {"error", "details"}
        if answers != case.expected():
            wrong[(endpoint, method)] = answers
    assert not wrong, wrong


def registered_routes(app):
    """{(endpoint, method)} of every rule but static, for the methods this matrix checks."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods & CHECKED_METHODS
    }


def test_matrix_covers_every_route(app):
    missing = registered_routes(app) - set(MATRIX) - generic_routes()
    assert not missing, f"routes with no entry in MATRIX: {sorted(missing)}"


def test_matrix_names_only_real_routes(app):
    gone = (set(MATRIX) | generic_routes()) - registered_routes(app)
    assert not gone, f"MATRIX entries with no such route: {sorted(gone)}"


@pytest.mark.parametrize("key", sorted(MATRIX), ids="{0[0]} {0[1]}".format)
def test_url_reaches_its_endpoint(app, key):
    endpoint, method = key
    adapter = app.url_map.bind("localhost")
    url = MATRIX[key].url.format(operator_id=1)
    assert adapter.match(url, method=method)[0] == endpoint


def client_as(app, role):
    client = app.test_client()
    if role != "anonymous":
        response = Auth(client).login(role)
        assert response.status_code == 302, f"{role} cannot log in"
    return client


def request(client, method, case, url):
    kwargs = {}
    if case.json is not None:
        kwargs["json"] = case.json
    elif method != "GET":
        kwargs["data"] = case.form or {}
    return client.open(url, method=method, **kwargs)


def redirects_right(case, role, url, response):
    location = response.headers["Location"]
    if role == "anonymous":
        return location == (case.anonymous_to or "/login?next=" + quote(url, safe=""))
    return location == case.signed_in_to


@pytest.mark.parametrize("key", sorted(MATRIX), ids="{0[0]} {0[1]}".format)
def test_route_answers_each_role(app, users, leases, records, key):
    method = key[1]
    case = MATRIX[key]
    operator = db.session.execute(db.select(User).filter_by(username="operator")).scalar_one()
    url = case.url.format(operator_id=operator.id)
    answers, wrong_redirects = {}, {}
    for role in ROLES:
        response = request(client_as(app, role), method, case, url)
        answers[role] = response.status_code
        if response.status_code == 302 and not redirects_right(case, role, url, response):
            wrong_redirects[role] = response.headers["Location"]
        if url.startswith("/api/") and response.status_code >= 400:
            assert response.is_json, f"{role}: the API answers errors as JSON"
            assert set(response.json) == {"error", "details"}
    assert answers == case.expected()
    assert not wrong_redirects


def test_anonymous_pages_redirect_to_login_and_back(app, client):
    response = client.get("/mines/M1A/edit?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fmines%2FM1A%2Fedit%3Fx%3D1"


def test_api_asks_the_anonymous_for_credentials(app, client):
    response = client.get("/api/v1/mines")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="coop"'
