"""Writes the audit log from SQLAlchemy's flush, so no code path can change a record unlogged;
bulk statements, which no flush sees, log their changes with log_bulk and log_created."""

import json
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from json.encoder import encode_basestring_ascii

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coop.database import executemany
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


def _follow_references(obj):
    """Set the many-to-one references of a record that holds only their ids (mine_id set, mine
    still None: a new record's references are not followed before it is saved), so that a
    natural key made from them (a production month's NJT-01A:2005-03) is right in the log."""
    state = inspect(obj)
    for rel in state.mapper.relationships:
        if rel.direction.name != "MANYTOONE" or len(rel.local_columns) != 1:
            continue
        if state.dict.get(rel.key) is not None:
            continue
        (column,) = rel.local_columns
        value = state.dict.get(state.mapper.get_property_by_column(column).key)
        if value is not None:
            target = state.session.get(rel.mapper.class_, value)
            set_committed_value(obj, rel.key, target)


def _entry(obj, action, before, after, who):
    user_id, actor = who
    _follow_references(obj)
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


def _natural_references(model):
    """(foreign key column, logged name, relationship) of each many-to-one reference of model to
    an audited record with a natural key column."""
    for rel in inspect(model).mapper.relationships:
        target = rel.mapper.class_
        if rel.direction.name != "MANYTOONE" or len(rel.local_columns) != 1:
            continue
        if not issubclass(target, Audited) or target.audit_key not in target.__table__.c:
            continue  # no natural key column (a meeting's is "date:kind"): the id is shown
        (column,) = rel.local_columns
        yield column, model.audit_names.get(column.key, f"{rel.key}_{target.audit_key}"), rel


def _references(obj):
    """{foreign key column: (name to show, referenced table's natural key column)} for each
    many-to-one reference to an audited record: the log shows enterprise_code DY01, not
    enterprise_id 3."""
    return {
        column.key: (name, rel.mapper.class_.__table__, rel.mapper.class_.audit_key)
        for column, name, rel in _natural_references(obj)
    }


def logged_references(model):
    """{name the log shows a many-to-one reference of model under: (its relationship, whether
    the value is the id)}: a reference to a record with a natural key column is logged by that
    key (mine_code NJT-01A), any other by its id (meeting_id 12)."""
    found = {}
    for rel in inspect(model).mapper.relationships:
        if rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1:
            (column,) = rel.local_columns
            found[column.key] = (rel, True)
    for column, name, rel in _natural_references(model):
        del found[column.key]
        found[name] = (rel, False)
    return found


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


# Bulk statements (one INSERT or UPDATE executed for many rows, as coop.services.bulk writes a
# lab's file of samples) pass no flush: log_bulk and log_created write their entries, the very
# rows write_audit_log would write, column by column and with one executemany at the driver;
# written entry by entry, as for a flush, 100,000 of them take several times as long as the
# change itself.

# Ids looked up in one query (within any engine's limit of bound parameters).
_LOOKUP_CHUNK = 900
# The types of values a JSON column takes as they are (_plain leaves them alone).
_JSON_READY = frozenset({str, int, float, bool, type(None)})
_NOT_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def logged_columns(model):
    """The column attributes a flush logs for a record of model, in the order it logs them."""
    return [attr.key for attr in inspect(model).column_attrs if attr.key not in SKIPPED]


def log_bulk(connection, model, changes, who=None):
    """Write the audit entries of changes that bulk statements made to model's table, in
    connection's transaction: one entry per change, the same as write_audit_log writes for a
    flush (at, the actor, action, record_type, record_id, record_key, before and after).

    changes: (action, record_id, record_key, before, after) of each record changed; before and
    after as a flush's history gives them: {column attribute: value as stored} in
    logged_columns order, id, created_at and updated_at left out; a create's before and a
    delete's after None, an update's the changed columns only. They are shown as the listener
    shows them: a foreign key by the natural key of the record it refers to (mine_id 3 as
    mine_code NJT-01A; one query for all the changes), dates as ISO text, redacted columns as
    ***. who: (user id, name), else current_actor(). Returns the number of entries."""
    changes = list(changes)
    if not changes:
        return 0
    actions, record_ids, record_keys, befores, afters = map(list, zip(*changes, strict=True))
    shown = _Shown(connection, model, [v for v in befores + afters if v])
    texts = shown.json(befores), shown.json(afters)
    return _write_entries(connection, model, actions, record_ids, record_keys, *texts, who)


def log_created(connection, model, record_ids, record_keys, values, who=None):
    """log_bulk for records that bulk statements created, given by column: values is
    {column attribute: [the value of each record, as stored]}, every logged column in
    logged_columns order (the after of each create); record_ids and record_keys in the same
    order. The same entries as log_bulk writes, without a dict for each."""
    count = len(record_ids)
    if not count:
        return 0
    shown = _Shown(connection, model, [values])
    after = shown.json_columns(list(values), list(values.values()))
    actions, before = ["create"] * count, ["null"] * count
    return _write_entries(connection, model, actions, record_ids, record_keys, before, after, who)


def _write_entries(connection, model, actions, record_ids, record_keys, before, after, who):
    """Insert the audit rows; before and after as JSON text, as the JSON column stores them."""
    count = len(actions)
    user_id, actor = who or current_actor()
    columns = {
        "at": [utcnow()] * count,
        "user_id": [user_id] * count,
        "actor": [actor] * count,
        "action": actions,
        "record_type": [model.__tablename__] * count,
        "record_id": list(record_ids),
        "record_key": list(map(str, record_keys)),
        "before": before,
        "after": after,
    }
    executemany(connection, AuditEntry.__table__, columns, ready=("before", "after"))
    return count


class _Shown:
    """How the log shows the values of model's columns (write_audit_log's _shown and
    _readable): a foreign key by the natural key of the record it refers to, under its name
    (mine_id 3 as mine_code NJT-01A), looked up at once for every id in samples (mappings of
    column attribute to a value or to a list of values); a redacted column as ***; dates as
    ISO text."""

    def __init__(self, connection, model, samples):
        self.redact = frozenset(model.audit_redact)
        self.natural = {}  # foreign key -> (name shown, {id: natural key})
        for key, (name, table, natural_key) in _references(model).items():
            ids = set()
            for values in samples:
                value = values.get(key)
                ids.update(value if isinstance(value, list) else [value])
            ids.discard(None)
            ids, found = sorted(ids), {}
            for start in range(0, len(ids), _LOOKUP_CHUNK):
                query = select(table.c.id, table.c[natural_key])
                query = query.where(table.c.id.in_(ids[start : start + _LOOKUP_CHUNK]))
                found.update((id_, natural) for id_, natural in connection.execute(query))
            self.natural[key] = (name, found)

    def json(self, values):
        """The JSON text of each of values (dicts or None, as null) shown; dicts of the same
        keys are shown and written column by column."""
        texts = ["null"] * len(values)
        groups = {}  # keys -> positions of the dicts that have them
        for position, value in enumerate(values):
            if value is not None:
                groups.setdefault(tuple(value), []).append(position)
        for keys, positions in groups.items():
            columns = zip(*(values[p].values() for p in positions), strict=True)
            written = self.json_columns(keys, [list(c) for c in columns]) if keys else None
            for i, position in enumerate(positions):
                texts[position] = written[i] if keys else "{}"
        return texts

    def json_columns(self, keys, columns):
        """The JSON text of each row of columns (lists of values, keys their column
        attributes) shown, as json.dumps writes the dict of the row."""
        names, written = [], []
        for key, column in zip(keys, columns, strict=True):
            if key in self.natural:
                name, found = self.natural[key]
                column = list(map(found.get, column))  # None for None, as the listener
            else:
                name = key
                if key in self.redact:
                    column = [None if v is None else "***" for v in column]
                elif not set(map(type, column)) <= _JSON_READY:
                    column = list(map(_plain, column))
            names.append(name)
            written.append(_json_column(column))
        quoted = (encode_basestring_ascii(name).replace("%", "%%") for name in names)
        template = "{" + ", ".join(f"{name}: %s" for name in quoted) + "}"
        return list(map(template.__mod__, zip(*written, strict=True)))


def _json_float(value):
    text = float.__repr__(value)
    return _NOT_FINITE.get(text, text)


# How json.dumps (with its defaults, as SQLAlchemy's JSON type calls it) writes a value of each
# type; any other type is left to json.dumps.
_JSON_WRITERS = {
    str: encode_basestring_ascii,
    float: _json_float,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _value: "null",
}


def _json_column(values):
    """json.dumps of each of values, a whole column at once: a column of text, or of numbers and
    nulls, with one C-level map."""
    types = set(map(type, values))
    if types <= {float, type(None)}:
        if type(None) in types:
            texts = ["null" if v is None else float.__repr__(v) for v in values]
        else:
            texts = list(map(float.__repr__, values))
        if "nan" in texts or "inf" in texts or "-inf" in texts:
            texts = [_NOT_FINITE.get(text, text) for text in texts]
        return texts
    others = types - {type(None)}
    if others == {str} and len(distinct := set(values)) * 2 <= len(values):
        # Names that repeat (labs, mines, types): each written once.
        written = {v: encode_basestring_ascii(v) for v in distinct if v is not None}
        written[None] = "null"
        return list(map(written.__getitem__, values))
    if len(others) == 1 and (writer := _JSON_WRITERS.get(others.pop())):
        if len(types) == 1:
            return list(map(writer, values))
        return ["null" if v is None else writer(v) for v in values]
    writers, dumps = _JSON_WRITERS, json.dumps
    return [writers.get(type(v), dumps)(v) for v in values]


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
