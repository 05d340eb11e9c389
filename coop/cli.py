"""The flask commands of docs/design.md "Command line and JSON"."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from coop import registry
from coop.audit import acting_as
from coop.extensions import db
from coop.models import ROLES, ApiToken, User
from coop.services import accounts
from coop.services.errors import ImportFailed, RecordInvalid

# The record kinds that import and export (docs/design.md's KIND).
KINDS = registry.exchanged()

users_cli = AppGroup("users", help="Manage user accounts.")


def _fail(message):
    click.echo(message, err=True)
    sys.exit(1)


def _describe(error):
    if isinstance(error, RecordInvalid):
        return "; ".join(
            f"{field}: {' '.join(map(str, msgs))}" for field, msgs in error.errors.items()
        )
    return str(error)


@users_cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--enterprise", "enterprise_code", help="the enterprise code (operators only)")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def users_create(name, role, enterprise_code, password):
    """Add an account."""
    with acting_as("cli"):
        try:
            accounts.create_user(name, role, password, enterprise_code)
        except RecordInvalid as error:
            db.session.rollback()
            _fail(_describe(error))
        db.session.commit()
    click.echo(f"created {role} {name}")


@users_cli.command("token")
@click.argument("name")
def users_token(name):
    """Print a new API token for that account."""
    user = accounts.user_by_name(name)
    if user is None:
        _fail(f"no user named {name}")
    with acting_as("cli"):
        record, token = ApiToken.issue(user)
        db.session.add(record)
        db.session.commit()
    click.echo(token)


@users_cli.command("list")
def users_list():
    """List the accounts."""
    for user in db.session.execute(db.select(User).order_by(User.username)).scalars():
        state = "active" if user.active else "disabled"
        click.echo(f"{user.username}\t{user.role}\t{user.enterprise_code or ''}\t{state}")


@click.command("import")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(kind, file):
    """Import a CSV or XLSX (or, for leases, GeoJSON) of one record type; all or nothing."""
    from coop.services import tabular

    try:
        with file.open("rb") as stream, acting_as("cli"):
            frame = tabular.read_table(stream, file.name, KINDS[kind])
            summary = tabular.import_table(KINDS[kind], frame)
            db.session.commit()
    except ImportFailed as error:
        db.session.rollback()
        for line, column, value, reason in error.entries():
            where = ", ".join(
                p
                for p in (
                    line and f"{error.unit} {line}",
                    column and f"column {column}" + (f" ({value!r})" if value is not None else ""),
                )
                if p
            )
            click.echo(f"{where}: {reason}" if where else reason, err=True)
        _fail(f"nothing imported from {file.name}: {len(error.rows)} problem(s)")
    click.echo(
        f"{kind}: {summary.created} created, {summary.updated} updated,"
        f" {summary.unchanged} unchanged"
    )


@click.command("export")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_command(kind, file):
    """Export one record type; the format follows the file's extension (.csv, .xlsx and, for
    leases, .geojson)."""
    from coop.services import tabular

    try:
        fmt = tabular.format_of(file.name, KINDS[kind])
    except ImportFailed:
        *others, last = (f".{f}" for f in tabular.formats(KINDS[kind]))
        _fail(f"the file must end in {', '.join(others)} or {last}")
    records = db.session.execute(KINDS[kind].select(None)).scalars().all()
    file.write_bytes(tabular.export_bytes(KINDS[kind], records, fmt))
    click.echo(f"{kind}: {len(records)} rows written to {file}")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="do nothing (and succeed) when there is data")
def seed_demo_command(if_empty):
    """Load the demonstration association."""
    from coop import demo

    if any(
        db.session.execute(db.select(k.model).limit(1)).first() for k in registry.kinds().values()
    ):
        if if_empty:
            click.echo("the database has data; demo not loaded")
            return
        _fail("the database already has data; seed-demo loads only into an empty database")
    with acting_as("seed-demo"):
        counts = demo.load()
        db.session.commit()
    click.echo("demo loaded: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file):
    """Write a consistent copy of the database while it is in use."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        # SQLite's online backup API copies a consistent snapshot, even with writers active.
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(file)
        with target:
            source.backup(target)
        target.close()
        source.close()
    elif url.get_backend_name() == "postgresql":
        # pg_dump works inside one repeatable-read transaction: a consistent snapshot.
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        command = ["pg_dump", "--format=custom", "--file", str(file), plain]
        result = subprocess.run(  # noqa: S603 (our own database URL, no shell)
            command,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            _fail(result.stderr.strip())
    else:
        _fail(f"backup does not know {url.get_backend_name()}")
    click.echo(f"backup written to {file}")


def register(app):
    app.cli.add_command(users_cli)
    for command in (import_command, export_command, seed_demo_command, backup_command):
        app.cli.add_command(command)
