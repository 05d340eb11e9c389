"""Fixtures: an app on every engine under test, a client, a CLI runner, users of every role, and
clients of the JSON API. Plain helpers the test modules share are in helpers.py.

The suite runs on SQLite, and also on PostgreSQL when TEST_DATABASE_URL is set (every test that
uses the `app` fixture runs once per engine). The schema is made by the Alembic migrations, once
per engine and worker; every test then starts from empty tables."""

import os
import sqlite3
from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from coop import charts, create_app, demo
from coop.audit import acting_as
from coop.extensions import db
from coop.services import accounts, meetings
from coop.services import attendance as attendance_service
from coop.services.leases import save_dispute, save_lease
from coop.services.members import save_enterprise, save_mine
from tests.helpers import ApiClient, bearer_headers, square

PASSWORD = "correct horse battery"
# The day the shared demonstration databases are loaded for (demo_database).
DEMO_TODAY = date(2026, 12, 1)
ENGINES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def postgres_admin(sql):
    """Run one statement on the TEST_DATABASE_URL server, outside a transaction."""
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(sql))
    admin.dispose()
    return url


def worker_database_url(engine, tmp_root):
    """A database of this test run's and worker's own: xdist workers, and test runs started side
    by side, never share tables."""
    if engine == "sqlite":
        return f"sqlite:///{tmp_root / 'coop.sqlite3'}"
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{url.database}_coop_{run}_{worker}"
    postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    url = postgres_admin(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def base_config(database_url, **overrides):
    return {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests only
        "SERVER_NAME": None,
    } | overrides


@pytest.fixture(scope="session", params=ENGINES)
def database_url(request, tmp_path_factory):
    """A migrated, empty database for one engine."""
    url = worker_database_url(request.param, tmp_path_factory.mktemp(request.param))
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    for (url_of_app, _), app in list(APPS.items()):
        if url_of_app == url:
            with app.app_context():
                db.engine.dispose()
    if request.param == "postgresql":
        postgres_admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """demo_database(production) -> the path of a SQLite database holding the demonstration
    association as of DEMO_TODAY (with its samples and production, or without), built once per
    test run and worker: tests read it, or copy it (demo_app) to change it. demo_database.counts:
    what each load added (demo.load's counts)."""
    built = {}

    def build(production=False):
        if production not in built:
            path = tmp_path_factory.mktemp("demo") / f"demo-{int(production)}.sqlite3"
            app = create_app(base_config(f"sqlite:///{path}", TODAY=DEMO_TODAY))
            with app.app_context():
                upgrade()
                with acting_as("test"):
                    build.counts[production] = demo.load(skip=() if production else ("production",))
                    db.session.commit()
                db.session.remove()
                db.engine.dispose()
            built[production] = path
        return built[production]

    build.counts = {}
    return build


@pytest.fixture
def demo_app(demo_database, tmp_path):
    """An app over a copy of the whole demo database, as of DEMO_TODAY, for a
    test that reads it as the demo accounts do and may change it."""
    path = tmp_path / "demo.sqlite3"
    source, target = sqlite3.connect(demo_database(production=True)), sqlite3.connect(path)
    source.backup(target)
    target.close()
    source.close()
    app = create_app(base_config(f"sqlite:///{path}", TODAY=DEMO_TODAY))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def empty_tables():
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name != "alembic_version"]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def config():
    """Overrides for this test's app; a test module may redefine it (e.g. CSRF on)."""
    return {}


# The apps of this worker, by database and configuration: building one (its blueprints, its
# OpenAPI document) takes a good part of a second, so tests of the same configuration share one,
# each in an app context of its own and starting from empty tables.
APPS = {}


def shared_app(database_url, config):
    key = (database_url, tuple(sorted((name, repr(value)) for name, value in config.items())))
    if key not in APPS:
        APPS[key] = create_app(base_config(database_url, **config))
    return APPS[key]


@pytest.fixture
def app(database_url, config):
    app = shared_app(database_url, config)
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        # The next test's audit log starts again from 1: charts kept by its version would be stale.
        charts.drawn().clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def members(app):
    """Two member enterprises, E1 and E2, with two mines and one mine; and a former member E3."""
    with acting_as("test"):
        for code, joined, left in (
            ("E1", date(1999, 6, 1), None),
            ("E2", date(2003, 3, 1), None),
            ("E3", date(1999, 6, 1), date(2004, 12, 31)),
        ):
            save_enterprise(
                {"code": code, "name": f"Enterprise {code}", "joined_on": joined, "left_on": left}
            )
        for code, owner in (("M1A", "E1"), ("M1B", "E1"), ("M2A", "E2")):
            save_mine(
                {
                    "code": code,
                    "enterprise_code": owner,
                    "name": f"Mine {code}",
                    "minerals": "Zn,Pb",
                    "mining_method": "underground",
                    "status": "active",
                }
            )
        db.session.commit()


@pytest.fixture
def leases(app, members):
    """Lease L1 of E1's mine M1A and lease L2 of E2's mine M2A, overlapping by half of each
    (about 0.5 km2), both valid 2020 to 2030; dispute D1 between them, open. Lease L3 of M1B lies
    apart (it shares L1's northern edge)."""
    with acting_as("test"):
        for permit, mine, west, south in (
            ("L1", "M1A", 107.40, 26.10),
            ("L2", "M2A", 107.405, 26.10),
            ("L3", "M1B", 107.40, 26.11),
        ):
            save_lease(
                {
                    "permit_no": permit,
                    "mine_code": mine,
                    "valid_from": date(2020, 1, 1),
                    "valid_to": date(2030, 12, 31),
                    "boundary": square(west, south),
                    "crs": "EPSG:4490",
                }
            )
        save_dispute(
            {
                "ref": "D1",
                "opened_on": date(2024, 1, 1),
                "lease_a": "L1",
                "lease_b": "L2",
                "description": "L1 and L2 overlap.",
                "status": "open",
            }
        )
        db.session.commit()


@pytest.fixture
def e2_dispute(leases):
    """D2 between two leases of E2's mine M2A (L2 and L5, apart from the others): none of E1's."""
    with acting_as("test"):
        save_lease(
            {
                "permit_no": "L5",
                "mine_code": "M2A",
                "valid_from": date(2020, 1, 1),
                "valid_to": date(2030, 12, 31),
                "boundary": square(107.50, 26.10),
                "crs": "EPSG:4490",
            }
        )
        save_dispute(
            {
                "ref": "D2",
                "opened_on": date(2025, 2, 1),
                "lease_a": "L2",
                "lease_b": "L5",
                "description": "Inside E2.",
            }
        )
        db.session.commit()


@pytest.fixture
def users(app, members):
    """One account of each role: admin, president, bureau, operator (of E1), operator_b (of E2)."""
    with acting_as("test"):
        for name, role, enterprise in (
            ("admin", "admin", None),
            ("president", "president", None),
            ("bureau", "bureau", None),
            ("operator", "operator", "E1"),
            ("operator_b", "operator", "E2"),
        ):
            accounts.create_user(name, role, PASSWORD, enterprise)
        db.session.commit()
    return ["admin", "president", "bureau", "operator", "operator_b"]


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username, password=PASSWORD, next=""):
        return self.client.post(
            "/login", data={"username": username, "password": password, "next": next}
        )

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, users):
    return Auth(client)


@pytest.fixture
def as_role(client, users):
    """Log the test client in as one of the users fixture's accounts (None: stay anonymous)."""

    def login(username):
        if username:
            response = Auth(client).login(username)
            assert response.status_code == 302, response.text
        return client

    return login


@pytest.fixture
def bearer(users):
    """bearer(name) -> headers that authenticate as that account, with a new API token."""
    return bearer_headers


@pytest.fixture
def as_api(client, users):
    """as_api(name) -> the client, its requests (get, post, patch, delete) carrying that
    account's bearer token."""

    def speak_as(username):
        return ApiClient(client, username)

    return speak_as


@pytest.fixture
def api(as_api):
    """The client speaking as the president through a bearer token."""
    return as_api("president")


@pytest.fixture(autouse=True)
def fresh_g_per_request(request):
    """A fresh `g` for every request, as a server gives.

    The app fixture keeps one app context pushed for the whole test, and Flask reuses a pushed
    app context for every request instead of pushing a new one; so `g` (Flask-Login's current
    user, the bearer-token flag, Flask-Babel's locale) would carry over from one request, or one
    client, to the next. Clear it as each request starts."""
    name = next((n for n in ("app", "demo_app") if n in request.fixturenames), None)
    if name is None:
        yield
        return
    from flask import g, request_started

    app = request.getfixturevalue(name)

    def clear(_sender, **_extra):
        g.__dict__.clear()

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)


# Monthly meetings on the 15th of each month from 2023-06 to 2024-05, but for 2023-11, which
# has an extraordinary meeting only (attendance not taken). E4 joined on 2024-01-01.
CALENDAR = {
    # held_on: {enterprise: status}
    date(2023, 6, 15): {"E1": "absent", "E2": "present"},
    date(2023, 7, 15): {"E1": "present", "E2": "absent"},
    date(2023, 8, 15): {"E1": "present", "E2": "absent"},
    date(2023, 9, 15): {"E1": "present", "E2": "excused"},
    date(2023, 10, 15): {"E1": "present", "E2": "present"},
    date(2023, 12, 15): {"E1": "present", "E2": "present"},
    date(2024, 1, 15): {"E1": "present", "E2": "present", "E4": "present"},
    date(2024, 2, 15): {"E1": "present", "E2": "present", "E4": "absent"},
    date(2024, 3, 15): {"E1": "present", "E2": "present", "E4": "present"},
    date(2024, 4, 15): {"E1": "present", "E2": "present", "E4": "present"},
    date(2024, 5, 15): {"E1": "present", "E2": "present", "E4": "present"},
}


@pytest.fixture
def year_of_meetings(users):
    """CALENDAR's monthly meetings with their attendance, and an extraordinary meeting on
    2023-11-20 whose attendance was not taken; E4 joins the association on 2024-01-01."""
    with acting_as("test"):
        save_enterprise({"code": "E4", "name": "Enterprise E4", "joined_on": date(2024, 1, 1)})
        for day, statuses in CALENDAR.items():
            record = meetings.save_meeting({"held_on": day, "kind": "monthly"})
            attendance_service.take_attendance(
                record, [{"enterprise_code": c, "status": s} for c, s in statuses.items()]
            )
        meetings.save_meeting({"held_on": date(2023, 11, 20), "kind": "extraordinary"})
        db.session.commit()
