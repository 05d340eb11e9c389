"""Writes the audit log from SQLAlchemy's flush, so no code path can change a record unlogged."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from coop.models.audit import AuditEntry
from coop.models.base import Audited, utcnow

_actor = ContextVar("audit_actor", default=None)
SKIPPED = {"id", "created_at", "updated_at"}


@contextmanager
def acting_as(name):
    """Name who makes the changes outside a request (``cli``, ``seed-demo``, ``public``)."""
    token = _actor.set(name)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    """(user id, name) of whoever is making the change."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.username
    return None, _actor.get() or "system"


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _column_attrs(obj):
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key not in SKIPPED:
            yield attr.key, state.attrs[attr.key]


def _shown(obj, key, value):
    return "***" if key in obj.audit_redact and value is not None else _plain(value)


def _snapshot(obj, which):
    """Every column's value after ("after") or before ("before") the flush."""
    values = {}
    for key, attr in _column_attrs(obj):
        hist = attr.history
        if which == "before":
            value = (hist.deleted or hist.unchanged or [None])[0]
        else:
            value = (hist.added or hist.unchanged or [attr.value])[0]
        values[key] = _shown(obj, key, value)
    return values


def _changes(obj):
    before, after = {}, {}
    for key, attr in _column_attrs(obj):
        hist = attr.history
        if hist.added or hist.deleted:
            before[key] = _shown(obj, key, (hist.deleted or [None])[0])
            after[key] = _shown(obj, key, (hist.added or [None])[0])
    return before, after


def _entry(obj, action, before, after, who):
    user_id, actor = who
    return {
        "at": utcnow(),
        "user_id": user_id,
        "actor": actor,
        "action": action,
        "record_type": obj.__tablename__,
        # The id, not the identity key: a new record has none until after this event.
        "record_id": obj.id,
        "record_key": str(getattr(obj, obj.audit_key, None)),
        "before": before,
        "after": after,
    }


def _references(obj):
    """{foreign key column: (name to show, referenced table's natural key column)} for each
    many-to-one reference to an audited record: the log shows enterprise_code DY01, not
    enterprise_id 3."""
    refs = {}
    for rel in inspect(obj).mapper.relationships:
        target = rel.mapper.class_
        if rel.direction.name != "MANYTOONE" or len(rel.local_columns) != 1:
            continue
        if not issubclass(target, Audited) or target.audit_key == "id":
            continue
        (column,) = rel.local_columns
        name = obj.audit_names.get(column.key, f"{rel.key}_{target.audit_key}")
        refs[column.key] = (name, target.__table__, target.audit_key)
    return refs


def _readable(connection, obj, values):
    if not values:
        return values
    refs = _references(obj)
    shown = {}
    for key, value in values.items():
        if key in refs:
            name, table, natural_key = refs[key]
            if value is not None:
                query = select(table.c[natural_key]).where(table.c.id == value)
                value = connection.execute(query).scalar()
            key = name
        shown[key] = value
    return shown


@event.listens_for(Session, "after_flush")
def write_audit_log(session, _flush_context):
    who = current_actor()
    connection = session.connection()
    rows = []

    def add(obj, action, before, after):
        before, after = _readable(connection, obj, before), _readable(connection, obj, after)
        rows.append(_entry(obj, action, before, after, who))

    for obj in session.new:
        if isinstance(obj, Audited):
            add(obj, "create", None, _snapshot(obj, "after"))
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                add(obj, "update", before, after)
    for obj in session.deleted:
        if isinstance(obj, Audited):
            add(obj, "delete", _snapshot(obj, "before"), None)
    if rows:
        connection.execute(AuditEntry.__table__.insert(), rows)
