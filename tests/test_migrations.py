"""The Alembic migrations: they build, tear down and rebuild the schema on every engine, and the
schema they build is the models' (an autogenerate would find nothing to do)."""

import uuid
from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from coop import create_app, registry
from coop.extensions import db
from coop.models import Enterprise, Mine
from tests.conftest import ENGINES, base_config, postgres_admin

# Every table the domains keep (their manifests: coop/registry.py), and Alembic's own.
TABLES = registry.tables() | {"alembic_version"}


@pytest.fixture(params=ENGINES)
def empty_database(request, tmp_path):
    """The URL of a new, empty database of this test's own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"coop_migrations_{uuid.uuid4().hex[:12]}"
    url = postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_app(empty_database):
    app = create_app(base_config(empty_database))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def table_names():
    return set(sa.inspect(db.engine).get_table_names())


def schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_downgrade_to_base_and_upgrade_again(fresh_app):
    assert table_names() == set()
    upgrade()
    assert table_names() == TABLES
    head = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    db.session.commit()
    downgrade(revision="base")
    assert table_names() <= {"alembic_version"}
    if "alembic_version" in table_names():
        assert db.session.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 0
        db.session.commit()
    upgrade()
    assert table_names() == TABLES
    again = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert again == head


def test_the_manifests_cover_every_table_of_the_migrations(fresh_app):
    """A table the migrations make that no domain declares (as a kind's, or among its tables)
    fails here: every table is a record kind of some domain, or said to be none."""
    upgrade()
    assert table_names() - {"alembic_version"} == registry.tables()
    assert {table.name for table in db.metadata.sorted_tables} == registry.tables()


def test_migrated_schema_matches_the_models(fresh_app):
    upgrade()
    assert schema_differences() == []


def test_the_check_is_not_blind(fresh_app):
    """The comparison above finds a difference where there is one."""
    upgrade()
    with db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE stray (id INTEGER PRIMARY KEY)"))
    differences = schema_differences()
    assert [d[0] for d in differences] == ["remove_table"]
    assert differences[0][1].name == "stray"


def test_migrated_schema_enforces_the_rules(fresh_app):
    """Constraints the models declare exist in the migrated database too."""
    upgrade()
    db.session.add(Enterprise(code="E1", name="One", joined_on=date(2001, 1, 1)))
    db.session.commit()
    bad_rows = [
        Enterprise(code="E1", name="Again", joined_on=date(2001, 1, 1)),  # unique code
        Enterprise(code="E2", name="Two", joined_on=date(2001, 1, 1), left_on=date(2000, 1, 1)),
        Mine(code="M1", enterprise_id=999, name="x", mining_method="underground"),  # foreign key
        Mine(code="M2", enterprise_id=1, name="x", mining_method="sideways"),
        Mine(code="M3", enterprise_id=1, name="x", mining_method="underground", status="closed"),
    ]
    for row in bad_rows:
        db.session.add(row)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
    assert db.session.execute(sa.select(sa.func.count()).select_from(Enterprise)).scalar() == 1


# SQLite connection settings ------------------------------------------------------------------


def pragma(connection, name):
    return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")


def test_sqlite_connections_have_the_settings(app):
    sqlite_only(app)
    assert make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    # the session's connection, and any other the pool hands out
    with db.engine.connect() as first, db.engine.connect() as second:
        for connection in (first, second):
            assert pragma(connection, "foreign_keys") == 1
            assert pragma(connection, "journal_mode") == "wal"
            assert pragma(connection, "busy_timeout") == app.config["SQLITE_BUSY_TIMEOUT_MS"] > 0
    assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


def test_sqlite_enforces_foreign_keys(app):
    sqlite_only(app)
    db.session.add(Mine(code="M9", enterprise_id=12345, name="x", mining_method="underground"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_sqlite_busy_timeout_follows_the_setting(tmp_path):
    app = create_app(
        base_config(f"sqlite:///{tmp_path / 'timeout.sqlite3'}", SQLITE_BUSY_TIMEOUT_MS=1234)
    )
    with app.app_context():
        with db.engine.connect() as connection:
            assert pragma(connection, "busy_timeout") == 1234
            assert pragma(connection, "journal_mode") == "wal"
        db.engine.dispose()
