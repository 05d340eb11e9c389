"""Logging in and out, one's own password, and the admin's account pages."""

import re
from html import unescape

import pytest
from werkzeug.security import check_password_hash

import coop.config
from coop import create_app
from coop.extensions import db
from coop.models import AuditEntry, User
from tests.conftest import PASSWORD, Auth

WRONG_LOGIN = "Wrong username or password, or the account is disabled."
NEW_PASSWORD = "a new long password"


def user(name):
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(username=name)).scalar_one_or_none()


def user_count():
    return db.session.scalar(db.select(db.func.count(User.id)))


def problems(html):
    """The lines of a form's error summary."""
    summary = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)
    assert summary, "no error summary on the page"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", summary.group(1))]


def signed_in(client):
    """Whether client's session is signed in: a members page answers, not a login redirect."""
    return client.get("/mines/").status_code == 200


# ---------------------------------------------------------------------------------------------
# logging in and out


def test_login_page_and_successful_login(client, auth):
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="username"' in page.text
    assert 'name="password"' in page.text
    response = auth.login("president")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, president" in client.get("/").text
    assert signed_in(client)


@pytest.mark.parametrize(
    ("username", "password"),
    [("president", "not the password"), ("nobody", PASSWORD), ("President", PASSWORD)],
)
def test_wrong_credentials_are_401_with_a_message(client, auth, username, password):
    response = auth.login(username, password)
    assert response.status_code == 401
    assert WRONG_LOGIN in response.text
    assert not signed_in(client)


def test_login_form_with_blank_fields_is_400(client, auth):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 400
    assert problems(response.text) == [
        "Username: This field is required.",
        "Password: This field is required.",
    ]


def test_logout_is_a_post(client, auth):
    auth.login("bureau")
    response = client.get("/logout")
    assert response.status_code == 405
    assert signed_in(client)
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "You are logged out." in client.get("/").text
    assert not signed_in(client)
    response = client.get("/mines/")
    assert response.headers["Location"] == "/login?next=%2Fmines%2F"


def test_login_starts_a_fresh_session(client, auth):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    assert auth.login("operator").status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == str(user("operator").id)


def test_login_keeps_the_language_chosen_before(client, auth):
    assert client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"}).status_code == 302
    assert auth.login("operator").status_code == 302
    assert '<html lang="zh-Hans">' in client.get("/").text


def test_logout_ends_the_session(client, auth):
    auth.login("operator")
    auth.logout()
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_disabled_account_cannot_log_in(client, auth, app):
    operator = user("operator")
    operator.active = False
    db.session.commit()
    response = auth.login("operator")
    assert response.status_code == 401
    assert WRONG_LOGIN in response.text
    assert not signed_in(client)


def test_disabling_an_account_ends_its_open_session_at_once(app, client, auth):
    assert auth.login("operator").status_code == 302
    assert signed_in(client)
    admin = app.test_client()
    assert Auth(admin).login("admin").status_code == 302
    response = admin.post(
        f"/accounts/{user('operator').id}", data={"role": "operator", "enterprise_code": "E1"}
    )
    assert response.status_code == 302
    assert user("operator").active is False
    response = client.get("/mines/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/api/v1/mines").status_code == 401


# ---------------------------------------------------------------------------------------------
# next: only within the site


def test_login_returns_to_the_page_asked_for(client, auth):
    response = client.get("/mines/M1A?tab=x")
    assert response.status_code == 302
    login_page = client.get(response.headers["Location"]).text
    next_value = re.search(r'name="next" type="hidden" value="([^"]*)"', login_page)
    assert next_value, "the login form carries next"
    assert unescape(next_value.group(1)) == "/mines/M1A?tab=x"
    response = auth.login("bureau", next=unescape(next_value.group(1)))
    assert response.headers["Location"] == "/mines/M1A?tab=x"


OFF_SITE = [
    "http://evil.example/",
    "https://evil.example/mines/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "mines/",
    "",
]


@pytest.mark.parametrize("target", ["/mines/", "/enterprises/E1", "/mines/?status=active"])
def test_login_next_within_the_site(client, auth, target):
    response = auth.login("president", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_next_off_the_site_goes_to_the_start_page(client, auth, target):
    response = auth.login("president", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch_next_off_the_site_goes_to_the_start_page(client, app, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_refuses_an_unknown_language(client, app):
    assert client.post("/language", data={"lang": "xx", "next": "/"}).status_code == 400
    with client.session_transaction() as session:
        assert "lang" not in session


# ---------------------------------------------------------------------------------------------
# one's own password


def change(client, current, new, confirm=None):
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "password": new,
            "confirm": new if confirm is None else confirm,
        },
    )


@pytest.mark.parametrize(
    ("current", "new", "confirm", "line"),
    [
        ("not my password", NEW_PASSWORD, None, "Current password: is not your current password."),
        (PASSWORD, "short", None, "New password: must be at least 8 characters long."),
        (
            PASSWORD,
            NEW_PASSWORD,
            "something else",
            "Repeat the new password: must match the new password.",
        ),
    ],
)
def test_password_change_refused(as_role, current, new, confirm, line):
    client = as_role("operator")
    stored = user("operator").password_hash
    response = change(client, current, new, confirm)
    assert response.status_code == 400
    assert problems(response.text) == [line]
    assert user("operator").password_hash == stored


def test_password_change_then_only_the_new_password_works(as_role, client):
    as_role("bureau")
    assert client.get("/account/password").status_code == 200
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert "Your password is changed." in client.get("/").text
    auth = Auth(client)
    auth.logout()
    assert auth.login("bureau", PASSWORD).status_code == 401
    assert auth.login("bureau", NEW_PASSWORD).status_code == 302


def test_password_change_needs_a_login(client, app):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount%2Fpassword"


# ---------------------------------------------------------------------------------------------
# how passwords are stored


def test_default_password_hash_is_pbkdf2_sha256_600000(tmp_path):
    assert coop.config.PASSWORD_HASH_METHOD == "pbkdf2:sha256:600000"
    production_like = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'coop.sqlite3'}", "SECRET_KEY": "k"}
    )
    assert production_like.config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:600000"
    with production_like.app_context():
        hashed = User.hash_password("a password")
    assert hashed.startswith("pbkdf2:sha256:600000$")
    assert check_password_hash(hashed, "a password")
    assert not check_password_hash(hashed, "another password")


def test_accounts_store_a_hash_made_with_the_configured_method(users):
    stored = user("operator").password_hash
    assert stored.startswith("pbkdf2:sha256:1000$")  # conftest's fast setting
    assert PASSWORD not in stored


# ---------------------------------------------------------------------------------------------
# the admin's account pages


def account_form(**changes):
    data = {
        "username": "clerk",
        "role": "president",
        "enterprise_code": "",
        "password": NEW_PASSWORD,
    }
    return data | changes


@pytest.mark.parametrize("role", ["president", "bureau", "operator"])
def test_only_the_admin_manages_accounts(as_role, role):
    client = as_role(role)
    operator_id = user("operator").id
    assert client.get("/accounts/").status_code == 403
    assert client.get("/accounts/new").status_code == 403
    assert client.post("/accounts/new", data=account_form()).status_code == 403
    assert client.get(f"/accounts/{operator_id}").status_code == 403
    response = client.post(
        f"/accounts/{operator_id}", data={"role": "admin", "enterprise_code": "", "active": "y"}
    )
    assert response.status_code == 403
    response = client.post(f"/accounts/{operator_id}/password", data={"reset-password": "x" * 12})
    assert response.status_code == 403
    assert user("clerk") is None
    assert user("operator").role == "operator"
    assert user("operator").check_password(PASSWORD)


def test_account_list(as_role):
    client = as_role("admin")
    operator_b = user("operator_b")
    operator_b.active = False
    db.session.commit()
    html = client.get("/accounts/").text
    names = re.findall(r'<td[^>]*><a href="/accounts/\d+">([^<]+)</a></td>', html)
    assert names == ["admin", "bureau", "operator", "operator_b", "president"]
    assert re.search(r">operator_b</a></td>\s*<td[^>]*>operator</td>\s*<td[^>]*>E2</td>", html)
    assert 'badge text-bg-secondary">disabled<' in html


@pytest.mark.parametrize(
    ("role", "enterprise"), [("president", ""), ("bureau", ""), ("admin", ""), ("operator", "E2")]
)
def test_admin_creates_an_account(as_role, client, role, enterprise):
    as_role("admin")
    assert client.get("/accounts/new").status_code == 200
    response = client.post(
        "/accounts/new", data=account_form(role=role, enterprise_code=enterprise)
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/"
    assert "Account clerk created." in client.get("/accounts/").text
    clerk = user("clerk")
    assert (clerk.role, clerk.enterprise_code, clerk.active) == (role, enterprise or None, True)
    entry = db.session.execute(
        db.select(AuditEntry).filter_by(record_type="users", record_key="clerk")
    ).scalar_one()
    assert (entry.actor, entry.action) == ("admin", "create")
    assert entry.after["password_hash"] == "***"  # never the hash itself
    assert Auth(client.application.test_client()).login("clerk", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("changes", "line", "status"),
    [
        (
            {"role": "operator", "enterprise_code": ""},
            "Enterprise: an operator must be bound to an enterprise.",
            400,
        ),
        (
            {"role": "president", "enterprise_code": "E1"},
            "Enterprise: only an operator is bound to an enterprise.",
            400,
        ),
        ({"username": "operator"}, "Username: operator is already taken.", 400),
        ({"password": "short"}, "Password: must be at least 8 characters long.", 400),
        (
            {"username": "a b"},
            "Username: use 2 to 64 letters, digits, dots, dashes or underscores.",
            400,
        ),
        ({"role": "king"}, "Role: Not a valid choice.", 400),
    ],
)
def test_account_creation_refused_names_the_field(as_role, changes, line, status):
    client = as_role("admin")
    accounts, entries = user_count(), db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    response = client.post("/accounts/new", data=account_form(**changes))
    assert response.status_code == status
    assert problems(response.text) == [line]
    assert user_count() == accounts
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == entries


def test_admin_changes_role_and_enterprise(as_role):
    client = as_role("admin")
    operator = user("operator")
    assert f'action="/accounts/{operator.id}"' in client.get(f"/accounts/{operator.id}").text
    response = client.post(
        f"/accounts/{operator.id}", data={"role": "bureau", "enterprise_code": "", "active": "y"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/"
    changed = user("operator")
    assert (changed.role, changed.enterprise_id, changed.active) == ("bureau", None, True)

    operator_b = user("operator_b")
    response = client.post(
        f"/accounts/{operator_b.id}",
        data={"role": "operator", "enterprise_code": "E1", "active": "y"},
    )
    assert response.status_code == 302
    assert user("operator_b").enterprise_code == "E1"
    entry = db.session.execute(
        db.select(AuditEntry).filter_by(record_key="operator_b", action="update")
    ).scalar_one()
    assert entry.actor == "admin"
    assert entry.before == {"enterprise_code": "E2"}
    assert entry.after == {"enterprise_code": "E1"}


def test_admin_account_edit_refused_names_the_field(as_role):
    client = as_role("admin")
    operator = user("operator")
    response = client.post(
        f"/accounts/{operator.id}", data={"role": "operator", "enterprise_code": "", "active": "y"}
    )
    assert response.status_code == 400
    assert problems(response.text) == ["Enterprise: an operator must be bound to an enterprise."]
    assert user("operator").enterprise_code == "E1"


def test_admin_disables_and_enables_an_account(as_role, app):
    client = as_role("admin")
    operator = user("operator")
    response = client.post(
        f"/accounts/{operator.id}", data={"role": "operator", "enterprise_code": "E1"}
    )
    assert response.status_code == 302
    assert user("operator").active is False
    assert Auth(app.test_client()).login("operator").status_code == 401

    response = client.post(
        f"/accounts/{operator.id}",
        data={"role": "operator", "enterprise_code": "E1", "active": "y"},
    )
    assert response.status_code == 302
    assert Auth(app.test_client()).login("operator").status_code == 302


def form_as_shown(page, action):
    """What a browser posts for the form of page with action as it is shown: its text inputs,
    its selected options and its ticked boxes."""
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    data = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*type="text"[^>]*value="([^"]*)"', form))
    for name, options in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        data[name] = re.search(r'<option selected value="([^"]*)"', options).group(1)
    data |= {name: "y" for name in re.findall(r'<input checked[^>]*name="(\w+)"', form)}
    return data


def test_admin_disables_an_operator_through_the_account_page(as_role, app):
    """The page shows the operator's enterprise selected, so unticking Active and saving, as a
    browser posts the page, disables the account and keeps its binding."""
    client = as_role("admin")
    operator = user("operator")
    page = client.get(f"/accounts/{operator.id}").text
    shown = form_as_shown(page, f"/accounts/{operator.id}")
    assert shown == {"role": "operator", "enterprise_code": "E1", "active": "y"}
    del shown["active"]
    response = client.post(f"/accounts/{operator.id}", data=shown)
    assert response.status_code == 302
    changed = user("operator")
    assert (changed.active, changed.enterprise_code) == (False, "E1")
    assert Auth(app.test_client()).login("operator").status_code == 401
    # one "Set password" button, the reset form's
    assert page.count("Set password") == 1


def test_a_new_account_shows_every_problem_at_once(as_role):
    client = as_role("admin")
    before = user_count()
    response = client.post(
        "/accounts/new", data=account_form(role="operator", enterprise_code="", password="short")
    )
    assert response.status_code == 400
    assert problems(response.text) == [
        "Enterprise: an operator must be bound to an enterprise.",
        "Password: must be at least 8 characters long.",
    ]
    response = client.post("/accounts/new", data=account_form(username="", password=""))
    assert problems(response.text) == [
        "Username: use 2 to 64 letters, digits, dots, dashes or underscores.",
        "Password: must be at least 8 characters long.",
    ]
    assert user_count() == before


def test_admin_resets_a_password(as_role, app):
    client = as_role("admin")
    operator = user("operator")
    response = client.post(f"/accounts/{operator.id}/password", data={"reset-password": "short"})
    assert response.status_code == 400
    assert problems(response.text) == ["New password: must be at least 8 characters long."]
    assert user("operator").check_password(PASSWORD)

    response = client.post(
        f"/accounts/{operator.id}/password", data={"reset-password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/accounts/{operator.id}"
    assert "The password of operator is set." in client.get(response.headers["Location"]).text
    assert Auth(app.test_client()).login("operator", PASSWORD).status_code == 401
    assert Auth(app.test_client()).login("operator", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("data", "reasons"),
    [
        (
            {"role": "president", "enterprise_code": "", "active": "y"},
            ["Role: you cannot take away your own admin role."],
        ),
        (
            {"role": "admin", "enterprise_code": ""},
            ["Active (may log in): you cannot disable your own account."],
        ),
        (
            {"role": "bureau", "enterprise_code": ""},
            [
                "Role: you cannot take away your own admin role.",
                "Active (may log in): you cannot disable your own account.",
            ],
        ),
    ],
    ids=["demote", "disable", "both"],
)
def test_admin_cannot_remove_own_admin_role(as_role, data, reasons):
    client = as_role("admin")
    admin = user("admin")
    response = client.post(f"/accounts/{admin.id}", data=data)
    assert response.status_code == 400
    assert problems(response.text) == reasons
    admin = user("admin")
    assert (admin.role, admin.active) == ("admin", True)
    assert client.get("/accounts/").status_code == 200


def test_unknown_account_is_404(as_role):
    client = as_role("admin")
    assert client.get("/accounts/999").status_code == 404
    assert (
        client.post("/accounts/999/password", data={"reset-password": NEW_PASSWORD}).status_code
        == 404
    )
