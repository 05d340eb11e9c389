"""The flask commands (docs/design.md "Command line and JSON"), run as a clerk runs them."""

import csv
import io
import sqlite3
import subprocess
from collections import Counter
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from coop import create_app
from coop.extensions import db
from coop.models import AuditEntry, Enterprise, Mine, User
from coop.services.accounts import user_by_name
from coop.services.members import enterprise_by_code
from tests.conftest import PASSWORD, Auth, base_config
from tests.helpers import count

ENTERPRISE_HEADER = (
    "code,name,legal_representative,business_license_no,joined_on,left_on,contact_phone\n"
)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# users create -------------------------------------------------------------------------------


def test_users_create_with_password(runner, members, client):
    result = runner.invoke(
        args=["users", "create", "clerk.wang", "--role", "president", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert "created president clerk.wang" in result.stdout
    user = user_by_name("clerk.wang")
    assert (user.role, user.enterprise_id, user.active) == ("president", None, True)
    assert PASSWORD not in user.password_hash
    assert Auth(client).login("clerk.wang").status_code == 302
    entry = db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.record_key == "clerk.wang")
    ).scalar_one()
    assert (entry.action, entry.actor) == ("create", "cli")
    assert entry.after["password_hash"] == "***"


def test_users_create_operator_bound_to_an_enterprise(runner, members):
    args = ["users", "create", "op2", "--role", "operator", "--enterprise", "E2"]
    result = runner.invoke(args=[*args, "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert user_by_name("op2").enterprise_code == "E2"


def test_users_create_prompts_for_the_password(runner, members, client):
    result = runner.invoke(
        args=["users", "create", "bureau1", "--role", "bureau"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert user_by_name("bureau1").role == "bureau"
    assert Auth(client).login("bureau1").status_code == 302


def test_users_create_prompt_asks_again_when_the_two_differ(runner, members):
    result = runner.invoke(
        args=["users", "create", "bureau1", "--role", "bureau"],
        input=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert user_by_name("bureau1").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "operator"], "an operator must be bound to an enterprise"),
        (["--role", "operator", "--enterprise", "E9"], "no enterprise has code E9"),
        (["--role", "bureau", "--enterprise", "E1"], "only an operator is bound to an enterprise"),
    ],
)
def test_users_create_refuses_a_wrong_binding(runner, members, args, message):
    result = runner.invoke(args=["users", "create", "someone", "--password", PASSWORD, *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert user_by_name("someone") is None


def test_users_create_refuses_a_short_password_and_a_taken_name(runner, users):
    result = runner.invoke(
        args=["users", "create", "newone", "--role", "bureau", "--password", "short"]
    )
    assert result.exit_code == 1
    assert "password: must be at least 8 characters long." in result.stderr
    assert user_by_name("newone") is None
    result = runner.invoke(
        args=["users", "create", "president", "--role", "bureau", "--password", PASSWORD]
    )
    assert result.exit_code == 1
    assert "president is already taken" in result.stderr
    assert user_by_name("president").role == "president"


def test_users_create_refuses_an_unknown_role(runner, members):
    result = runner.invoke(args=["users", "create", "x1", "--role", "king", "--password", PASSWORD])
    assert result.exit_code == 2
    assert "'king' is not one of" in result.stderr
    assert count(User) == 0


# users token ---------------------------------------------------------------------------------


def test_users_token_works_as_a_bearer_token(runner, users, client):
    result = runner.invoke(args=["users", "token", "bureau"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert len(token) >= 32 and "\n" not in token
    response = client.get("/api/v1/mines", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json["total"] == 3
    # A second token is a different one; both work.
    second = runner.invoke(args=["users", "token", "bureau"]).stdout.strip()
    assert second != token
    for each in (token, second):
        headers = {"Authorization": f"Bearer {each}"}
        assert client.get("/api/v1/enterprises", headers=headers).status_code == 200


def test_users_token_for_no_such_user(runner, users):
    result = runner.invoke(args=["users", "token", "nobody"])
    assert result.exit_code == 1
    assert "no user named nobody" in result.stderr


def test_users_list(runner, users):
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "operator\toperator\tE1\tactive" in lines
    assert "admin\tadmin\t\tactive" in lines
    assert len(lines) == 5


# import and export ---------------------------------------------------------------------------


def test_import_csv(runner, members, tmp_path):
    path = write(
        tmp_path / "members.csv",
        ENTERPRISE_HEADER
        + "E1,Renamed One,,,1999-06-01,,\n"
        + "E4,Four,,,2005-01-01,,\n"
        + "E2,Enterprise E2,,,2003-03-01,,\n",
    )
    result = runner.invoke(args=["import", "enterprises", str(path)])
    assert result.exit_code == 0, result.output
    assert "enterprises: 1 created, 1 updated, 1 unchanged" in result.stdout
    assert enterprise_by_code("E1").name == "Renamed One"
    assert enterprise_by_code("E4").joined_on.isoformat() == "2005-01-01"
    actors = db.session.execute(
        sa.select(AuditEntry.actor, AuditEntry.record_key).where(AuditEntry.actor == "cli")
    ).all()
    assert sorted(actors) == [("cli", "E1"), ("cli", "E4")]


def test_import_xlsx(runner, members, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(
        [
            "code",
            "enterprise_code",
            "name",
            "minerals",
            "mining_method",
            "processing_method",
            "status",
            "opened_on",
            "closed_on",
        ]
    )
    book.active.append(["M2B", "E2", "两号井", "Zn", "open_pit", None, None, None, None])
    path = tmp_path / "mines.xlsx"
    book.save(path)
    result = runner.invoke(args=["import", "mines", str(path)])
    assert result.exit_code == 0, result.output
    assert "mines: 1 created, 0 updated, 0 unchanged" in result.stdout
    mine = db.session.execute(sa.select(Mine).filter_by(code="M2B")).scalar_one()
    assert (mine.name, mine.enterprise_code) == ("两号井", "E2")


def test_import_with_bad_rows_writes_nothing(runner, members, tmp_path):
    path = write(
        tmp_path / "members.csv",
        ENTERPRISE_HEADER
        + "E4,Four,,,2005-01-01,,\n"
        + "E5,Five,,,2005-13-01,,\n"
        + "E6,,,,2005-01-01,,\n"
        + "E7,Seven,,,2005-01-01,2004-01-01,\n",
    )
    audit_before = count(AuditEntry)
    result = runner.invoke(args=["import", "enterprises", str(path)])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors == [
        "line 3, column joined_on ('2005-13-01'): is not a valid date (use YYYY-MM-DD).",
        "line 4, column name: is required.",
        "line 5, column left_on ('2004-01-01'): must not be before the joining date (2005-01-01).",
        "nothing imported from members.csv: 3 problem(s)",
    ]
    assert db.session.execute(
        sa.select(Enterprise.code).order_by(Enterprise.code)
    ).scalars().all() == [
        "E1",
        "E2",
        "E3",
    ]
    assert count(AuditEntry) == audit_before


def test_import_refuses_wrong_columns_and_file_types(runner, members, tmp_path):
    path = write(tmp_path / "members.csv", "code,name,colour\nE4,Four,red\n")
    result = runner.invoke(args=["import", "enterprises", str(path)])
    assert result.exit_code == 1
    assert "line 1, column colour: is not a column of enterprises." in result.stderr
    assert "line 1, column joined_on: is missing from the header row." in result.stderr
    path = write(tmp_path / "members.txt", ENTERPRISE_HEADER)
    result = runner.invoke(args=["import", "enterprises", str(path)])
    assert result.exit_code == 1
    assert "Use a .csv or .xlsx file." in result.stderr


def test_import_unknown_kind_or_missing_file(runner, members, tmp_path):
    path = write(tmp_path / "members.csv", ENTERPRISE_HEADER)
    assert runner.invoke(args=["import", "members", str(path)]).exit_code == 2
    assert runner.invoke(args=["import", "enterprises", str(tmp_path / "no.csv")]).exit_code == 2


def test_export_csv(runner, members, tmp_path):
    path = tmp_path / "mines.csv"
    result = runner.invoke(args=["export", "mines", str(path)])
    assert result.exit_code == 0, result.output
    assert "mines: 3 rows written" in result.stdout
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == [
        "code",
        "enterprise_code",
        "name",
        "minerals",
        "mining_method",
        "processing_method",
        "status",
        "opened_on",
        "closed_on",
    ]
    assert [r[:2] for r in rows[1:]] == [["M1A", "E1"], ["M1B", "E1"], ["M2A", "E2"]]


def test_export_xlsx(runner, members, tmp_path):
    path = tmp_path / "members.xlsx"
    result = runner.invoke(args=["export", "enterprises", str(path)])
    assert result.exit_code == 0, result.output
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
    assert rows[0] == ENTERPRISE_HEADER.strip().split(",")
    assert [r[0] for r in rows[1:]] == ["E1", "E2", "E3"]
    assert rows[3][5] == "2004-12-31"


def test_export_then_import_changes_nothing(runner, members, tmp_path):
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"members.{suffix}"
        assert runner.invoke(args=["export", "enterprises", str(path)]).exit_code == 0
        audit_before = count(AuditEntry)
        result = runner.invoke(args=["import", "enterprises", str(path)])
        assert result.exit_code == 0, result.output
        assert "enterprises: 0 created, 0 updated, 3 unchanged" in result.stdout
        assert count(AuditEntry) == audit_before


def test_export_refuses_other_formats(runner, members, tmp_path):
    result = runner.invoke(args=["export", "mines", str(tmp_path / "mines.json")])
    assert result.exit_code == 1
    assert "the file must end in .csv or .xlsx" in result.stderr
    assert not (tmp_path / "mines.json").exists()


# seed-demo ----------------------------------------------------------------------------------


def test_seed_demo(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "13 enterprises" in result.stdout
    assert count(Enterprise) == 13
    per_enterprise = Counter(db.session.execute(sa.select(Mine.enterprise_id)).scalars().all())
    assert len(per_enterprise) == 13
    assert all(1 <= n <= 3 for n in per_enterprise.values())
    roles = Counter(db.session.execute(sa.select(User.role)).scalars().all())
    assert roles == {"admin": 1, "president": 1, "operator": 1, "bureau": 1}
    operator = db.session.execute(sa.select(User).filter_by(role="operator")).scalar_one()
    assert operator.enterprise_code is not None
    # the demo records are valid as the rules stand: every closed mine has a closing date
    closed = db.session.execute(sa.select(Mine).filter_by(status="closed")).scalars().all()
    assert all(m.closed_on is not None for m in closed)
    # the demo accounts can log in
    from coop.demo.accounts import DEMO_PASSWORD

    assert Auth(client).login(operator.username, DEMO_PASSWORD).status_code == 302
    audit = db.session.execute(sa.select(AuditEntry.actor).distinct()).scalars().all()
    assert audit == ["seed-demo"]


def test_seed_demo_refuses_a_database_with_data(runner, members):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "already has data" in result.stderr
    assert count(Enterprise) == 3
    assert count(User) == 0


def test_seed_demo_refuses_a_database_with_accounts_only(runner, app):
    """Any record of any kind is data: the demo's accounts would clash with an admin's."""
    created = runner.invoke(
        args=["users", "create", "boss", "--role", "admin", "--password", PASSWORD]
    )
    assert created.exit_code == 0, created.output
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo not loaded" in result.stdout
    assert count(Enterprise) == 0


def test_seed_demo_if_empty(runner, members):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo not loaded" in result.stdout
    assert count(Enterprise) == 3 and count(Mine) == 3


def test_seed_demo_if_empty_loads_an_empty_database(runner, app):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert count(Enterprise) == 13


# backup -------------------------------------------------------------------------------------


def backed_up(path, table, column):
    """The values of one column of a table in a backup, in order."""
    if db.engine.dialect.name == "sqlite":
        copy = sqlite3.connect(path)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            rows = copy.execute(f"SELECT {column} FROM {table} ORDER BY {column}")  # noqa: S608
            return [r[0] for r in rows]
        finally:
            copy.close()
    # pg_dump's custom format, read back as SQL by pg_restore (no database needed)
    sql = subprocess.run(  # noqa: S603 (our own file name, no shell)
        ["pg_restore", "--data-only", f"--table={table}", "--file=-", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    copy_block = sql.split(f"COPY public.{table} (", 1)[1].split("\\.", 1)[0]
    header, *lines = copy_block.strip().splitlines()
    names = header.split(")", 1)[0].split(", ")
    index = names.index(column)
    return sorted(line.split("\t")[index] for line in lines)


def test_backup(runner, users, tmp_path):
    path = tmp_path / "backup.bin"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert f"backup written to {path}" in result.stdout
    if db.engine.dialect.name == "postgresql":
        assert path.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    assert backed_up(path, "enterprises", "code") == ["E1", "E2", "E3"]
    assert backed_up(path, "mines", "code") == ["M1A", "M1B", "M2A"]
    assert backed_up(path, "users", "username") == sorted(users)
    assert len(backed_up(path, "audit_log", "id")) == count(AuditEntry)


def test_backup_while_a_write_is_in_progress(runner, members, tmp_path):
    """A consistent copy while the database is in use: a transaction not yet committed is not
    in it, and the backup does not wait for it."""
    db.session.add(Enterprise(code="E9", name="Uncommitted", joined_on=date(2001, 1, 1)))
    db.session.flush()  # the write is under way on the app's connection
    path = tmp_path / "copy.bin"
    result = runner.invoke(args=["backup", str(path)])
    db.session.rollback()
    assert result.exit_code == 0, result.output
    assert backed_up(path, "enterprises", "code") == ["E1", "E2", "E3"]


# db upgrade ----------------------------------------------------------------------------------


def test_db_upgrade_creates_the_tables_in_an_empty_sqlite_file(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    fresh = create_app(base_config(f"sqlite:///{path}"))
    runner = fresh.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    connection = sqlite3.connect(path)
    try:
        tables = {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        connection.close()
    assert {"enterprises", "mines", "users", "api_tokens", "audit_log"} <= tables
    assert len(version) == 1
    # Running it again changes nothing, and the new database takes an account.
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(
        args=["users", "create", "admin", "--role", "admin", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    with fresh.app_context():
        db.engine.dispose()
