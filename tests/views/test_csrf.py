"""Cross-site request forgery: with CSRF protection on (as in production), every form POST and
every cookie-authenticated write to the JSON API needs the session's token; a bearer token needs
none, since a browser never sends one on its own."""

import re
from datetime import date

import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.models import Action, Attendance, AuditEntry, Enterprise, Meeting, User
from coop.services import actions as action_service
from coop.services import meetings
from coop.services import notices as notice_service
from coop.services.members import enterprise_by_code
from tests.conftest import PASSWORD


@pytest.fixture
def config():
    return {"WTF_CSRF_ENABLED": True}


def token_of(html):
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def signed_in(client):
    return client.get("/mines/").status_code == 200


def login(client, username="president"):
    token = token_of(client.get("/login").text)
    data = {"username": username, "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return client


def counts():
    db.session.expire_all()
    return tuple(
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (Enterprise, AuditEntry)
    )


NEW_ENTERPRISE = {"code": "E9", "name": "Enterprise E9", "joined_on": "2020-01-01"}


def test_csrf_is_on_in_this_module(app):
    assert app.config["WTF_CSRF_ENABLED"] is True


# ---------------------------------------------------------------------------------------------
# forms


def test_login_without_the_token_is_refused(client, users):
    response = client.post("/login", data={"username": "president", "password": PASSWORD})
    assert response.status_code == 400
    assert not signed_in(client)


def test_a_page_form_without_the_token_says_why(client, users):
    response = client.post("/login", data={"username": "president", "password": PASSWORD})
    assert response.status_code == 400
    assert "security token is missing or has expired" in response.text


def test_login_with_a_wrong_token_is_refused(client, users):
    client.get("/login")
    data = {"username": "president", "password": PASSWORD, "csrf_token": "forged"}
    assert client.post("/login", data=data).status_code == 400
    assert not signed_in(client)


def test_login_with_the_token_from_the_page(client, users):
    login(client)
    assert signed_in(client)


def test_create_enterprise_without_the_token_writes_nothing(client, users):
    login(client)
    before = counts()
    response = client.post("/enterprises/new", data=NEW_ENTERPRISE)
    assert response.status_code == 400
    assert counts() == before
    assert enterprise_by_code("E9") is None


def test_create_enterprise_with_a_token_of_another_session_writes_nothing(app, client, users):
    other = login(app.test_client(), "admin")
    foreign_token = token_of(other.get("/enterprises/new").text)
    login(client)
    before = counts()
    response = client.post("/enterprises/new", data=NEW_ENTERPRISE | {"csrf_token": foreign_token})
    assert response.status_code == 400
    assert counts() == before


def test_create_enterprise_with_the_token_from_the_form(client, users):
    login(client)
    token = token_of(client.get("/enterprises/new").text)
    response = client.post("/enterprises/new", data=NEW_ENTERPRISE | {"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/enterprises/E9"
    assert enterprise_by_code("E9").name == "Enterprise E9"


def test_logout_without_the_token_keeps_the_session(client, users):
    login(client)
    assert client.post("/logout").status_code == 400
    assert signed_in(client)
    token = token_of(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert not signed_in(client)


def test_language_switch_needs_the_token(client, app):
    response = client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "lang" not in session
    token = token_of(client.get("/").text)
    data = {"lang": "zh_Hans_CN", "next": "/", "csrf_token": token}
    response = client.post("/language", data=data)
    assert response.status_code == 302
    assert '<html lang="zh-Hans">' in client.get("/").text


def test_password_change_without_the_token_changes_nothing(client, users):
    login(client, "bureau")
    stored = db.session.execute(db.select(User.password_hash).filter_by(username="bureau")).scalar()
    data = {"current_password": PASSWORD, "password": "x" * 12, "confirm": "x" * 12}
    assert client.post("/account/password", data=data).status_code == 400
    db.session.expire_all()
    assert (
        db.session.execute(db.select(User.password_hash).filter_by(username="bureau")).scalar()
        == stored
    )


# ---------------------------------------------------------------------------------------------
# the JSON API with the session cookie


def test_api_cookie_post_without_the_header_writes_nothing(client, users):
    """With the X-CSRFToken header the same body is created (see the test after next)."""
    login(client)
    before = counts()
    response = client.post("/api/v1/enterprises", json=NEW_ENTERPRISE)
    assert response.status_code == 400
    assert response.is_json
    assert set(response.json) == {"error", "details"}
    assert "security token" in response.json["error"]
    assert counts() == before


def test_api_cookie_patch_without_the_header_writes_nothing(client, users):
    login(client)
    before = counts()
    response = client.patch("/api/v1/enterprises/E1", json={"name": "Forged"})
    assert response.status_code == 400
    assert set(response.json) == {"error", "details"}
    assert counts() == before
    assert enterprise_by_code("E1").name == "Enterprise E1"


WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_api_write_with_the_cookie_needs_the_token(app, client, users):
    """Whatever blueprint an API write is in (a kind's, a report's), the session cookie alone
    does not make it: 400 before anything is read or written."""
    login(client)
    before = counts()
    writes = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in sorted(rule.methods & WRITES)
    ]
    assert len(writes) > 10
    for rule, method in writes:
        url = re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "1", rule.rule)
        response = client.open(url, method=method, json={})
        assert response.status_code == 400, (url, method, response.status_code)
        assert "security token" in response.json["error"], url
    assert counts() == before


def test_api_cookie_reads_need_no_token(client, users):
    login(client, "bureau")
    assert client.get("/api/v1/enterprises/E1").status_code == 200


def test_api_cookie_writes_with_the_header(client, users):
    login(client)
    headers = {"X-CSRFToken": token_of(client.get("/").text)}
    response = client.post("/api/v1/enterprises", json=NEW_ENTERPRISE, headers=headers)
    assert response.status_code == 201
    response = client.patch("/api/v1/enterprises/E9", json={"name": "Renamed"}, headers=headers)
    assert response.status_code == 200
    assert enterprise_by_code("E9").name == "Renamed"


def test_api_cookie_with_a_bogus_bearer_header_still_needs_the_token(client, users):
    """Only a token that authenticates the request spares the CSRF check, not the header."""
    login(client)
    before = counts()
    headers = {"Authorization": "Bearer not-a-token"}
    response = client.post("/api/v1/enterprises", json=NEW_ENTERPRISE, headers=headers)
    assert response.status_code == 400
    assert counts() == before


# ---------------------------------------------------------------------------------------------
# the JSON API with a bearer token


@pytest.fixture
def bearer(bearer):
    """Here just the president's headers: conftest's bearer(name), for one account."""
    return bearer("president")


def test_api_bearer_token_writes_without_a_csrf_token(app, bearer):
    client = app.test_client()
    response = client.post("/api/v1/enterprises", json=NEW_ENTERPRISE, headers=bearer)
    assert response.status_code == 201
    assert response.json["code"] == "E9"
    response = client.patch("/api/v1/enterprises/E9", json={"name": "Renamed"}, headers=bearer)
    assert response.status_code == 200
    assert enterprise_by_code("E9").name == "Renamed"
    entry = db.session.execute(
        db.select(AuditEntry).filter_by(record_key="E9").order_by(AuditEntry.id.desc())
    ).scalars()
    assert [e.actor for e in entry] == ["president", "president"]


def test_api_bearer_token_of_a_disabled_account_is_401(app, bearer):
    president = db.session.execute(db.select(User).filter_by(username="president")).scalar_one()
    president.active = False
    db.session.commit()
    before = counts()
    response = app.test_client().post("/api/v1/enterprises", json=NEW_ENTERPRISE, headers=bearer)
    assert response.status_code == 401
    assert counts() == before


def test_api_wrong_bearer_token_is_401(app, bearer):
    headers = {"Authorization": "Bearer " + "x" * 43}
    response = app.test_client().post("/api/v1/enterprises", json=NEW_ENTERPRISE, headers=headers)
    assert response.status_code == 401


# ---------------------------------------------------------------------------------------------
# meetings: the attendance sheet, approval, marking an action done, reading a notice


@pytest.fixture
def meeting(users):
    """A held meeting of 2024-02-16 with minutes, an action of E1's and a notice by the
    president."""
    with acting_as("test"):
        held = meetings.save_meeting(
            {"held_on": date(2024, 2, 16), "kind": "monthly", "minutes": "Held."}
        )
        action_service.save_action(
            {"held_on": held.held_on, "kind": "monthly", "description": "Repair the road"}
            | {"owner_enterprise_code": "E1"}
        )
        president = db.session.execute(db.select(User).filter_by(username="president")).scalar()
        notice_service.save_notice({"title": "Blasting at noon"}, author=president)
        db.session.commit()
    return held


SHEET = {
    "rows-0-enterprise_code": "E1",
    "rows-0-status": "present",
    "rows-1-enterprise_code": "E2",
    "rows-1-status": "excused",
}


def test_attendance_sheet_needs_the_token(client, meeting):
    login(client)
    url = "/meetings/2024-02-16:monthly/attendance"
    assert client.post(url, data=SHEET).status_code == 400
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0
    token = token_of(client.get(url).text)
    assert client.post(url, data=SHEET | {"csrf_token": token}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 2


def test_approving_minutes_needs_the_token(client, meeting):
    login(client)
    url = "/meetings/2024-02-16:monthly/approve"
    client.post(url, data={"approved_on": "2024-03-15"})
    db.session.expire_all()
    assert db.session.execute(db.select(Meeting.approved_on)).scalar() is None
    token = token_of(client.get("/meetings/2024-02-16:monthly").text)
    client.post(url, data={"approved_on": "2024-03-15", "csrf_token": token})
    db.session.expire_all()
    assert db.session.execute(db.select(Meeting.approved_on)).scalar() == date(2024, 3, 15)


def test_marking_an_action_done_needs_the_token(client, meeting):
    """The operator's start page carries the token its "Mark done" button needs."""
    login(client, "operator")
    action = db.session.execute(db.select(Action)).scalar_one()
    url = f"/actions/{action.id}/done"
    assert client.post(url).status_code == 400
    db.session.expire_all()
    assert db.session.execute(db.select(Action.done_on)).scalar() is None
    page = client.get("/").text
    assert url in page
    assert client.post(url, data={"csrf_token": token_of(page)}).status_code == 302
    db.session.expire_all()
    assert db.session.execute(db.select(Action.done_on)).scalar() is not None


def test_marking_a_notice_read_needs_the_token(client, meeting):
    login(client, "bureau")
    assert "Blasting at noon" in client.get("/").text
    assert client.post("/notices/1/read").status_code == 400
    assert "Blasting at noon" in client.get("/").text
    token = token_of(client.get("/").text)
    assert client.post("/notices/1/read", data={"csrf_token": token}).status_code == 302
    # no longer new (the latest changes below still name it)
    # no longer new (the latest changes below still name it)
    assert (
        "Blasting at noon"
        not in client.get("/").text.split("Latest changes")[0].split("Latest changes")[0]
    )
