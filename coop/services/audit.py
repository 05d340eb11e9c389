"""The audit log as people read it: each entry's record named (and linked while it exists), its
fields labelled as the record pages label them and its values formatted as they format them,
long values folded.

The labels and the formats come from the kind's schema (coop.registry.Kind.schema), the one
place a record's fields are described: a field's label, its type (a date, a time, a number, a
yes or no, a coded value with its vocabulary) and its widget. A kind gets a readable log by
declaring its schema; a field no schema describes (one since dropped) keeps its stored name."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

import marshmallow as ma
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from coop import formatting, registry
from coop.audit import logged_references
from coop.extensions import db
from coop.labels import label as coded_label

#: Text longer than this, or of more than one line, is cut in the row and shown whole on demand.
FOLD_AFTER = 80
#: The decimals of a number whose field gives none (a Decimal field gives its places).
DECIMALS = 2
YES_NO = {True: _l("yes"), False: _l("no")}


@dataclass(frozen=True)
class Shown:
    """A value as the row shows it; whole, when text is cut, the value in full."""

    text: str
    whole: str | None = None


@dataclass(frozen=True)
class Change:
    """One field of an entry: its label and its value before and after (None: no such side, as
    before a creation)."""

    label: str
    before: Shown | None
    after: Shown | None
    # Whether a change of it is said in a word, with the values on demand (a boundary, and
    # text too long for the row).
    folded: bool = False


@dataclass(frozen=True)
class Row:
    """An audit entry as the page shows it."""

    entry: object  # the AuditEntry
    record_type: str  # the kind's label
    title: str  # the record as a person names it
    url: str | None  # its page, while it exists
    changes: tuple


@dataclass(frozen=True)
class _Field:
    label: object
    show: object  # show(value) -> Shown
    folds: bool = False  # a change of it is always folded (a geometry)


def rows(entries):
    """The Rows of audit entries."""
    return [row(entry) for entry in entries]


def row(entry):
    kind = _kind_of_table().get(entry.record_type)
    if kind is None:  # a table no domain declares any more
        title, url, label, fields = entry.record_key, None, entry.record_type, {}
    else:
        title, url = kind.title_of_key(entry.record_key), kind.url_of_key(entry.record_key)
        label, fields = str(kind.label), fields_of(kind)
    before, after = entry.before or {}, entry.after or {}
    names = list(before) + [name for name in after if name not in before]
    changes = []
    for name in names:
        field = fields.get(name) or _Field(name, _shown_as_is)
        old = field.show(before.get(name)) if entry.before is not None else None
        new = field.show(after.get(name)) if entry.after is not None else None
        long = any(side is not None and side.whole is not None for side in (old, new))
        changed = old is not None and new is not None
        changes.append(Change(str(field.label), old, new, long or (field.folds and changed)))
    return Row(entry, label, str(title), url, tuple(changes))


@cache
def _kind_of_table():
    return {kind.table: kind for kind in registry.kinds().values()}


def fields_of(kind):
    return _fields_of(kind.name)


@cache
def _fields_of(name):
    """{name the log stores a field of kind under: _Field}: the kind's schema's fields by their
    names, and its references by the names the log gives them (mine_code; meeting_id, an id,
    shown as the meeting's title)."""
    kind = registry.kind(name)
    declared = kind.schema._declared_fields if kind.schema is not None else {}
    fields = {
        name: _Field(_label(field, name), _shower(kind, name, field), name == kind.geometry_field)
        for name, field in declared.items()
    }
    kinds = {other.model: other for other in registry.kinds().values()}
    for name, (relationship, by_id) in logged_references(kind.model).items():
        target = kinds.get(relationship.mapper.class_)
        field = declared.get(name) or declared.get(relationship.key)
        label = _label(field, None) or (target.label if target is not None else name)
        if by_id:
            fields[name] = _Field(label, _titled(relationship.mapper.class_))
        elif name not in fields:
            fields[name] = _Field(label, _shown_as_is)
    return fields


def _label(field, default):
    return field.metadata.get("label", default) if field is not None else default


def _shower(kind, name, field):
    """How a value of the field is shown, by the field's type."""
    if name == kind.geometry_field:
        return _corners
    if "labels" in field.metadata:
        labels = field.metadata["labels"]
        return _missing_or(lambda value: Shown(str(coded_label(labels, value))))
    if isinstance(field, ma.fields.Boolean):
        return _missing_or(lambda value: Shown(str(YES_NO[bool(value)])))
    if isinstance(field, ma.fields.Date):
        return _missing_or(lambda value: Shown(formatting.day(date.fromisoformat(value))))
    if isinstance(field, ma.fields.DateTime):
        return _missing_or(lambda value: Shown(formatting.moment(datetime.fromisoformat(value))))
    if isinstance(field, ma.fields.Integer):
        return _missing_or(lambda value: Shown(formatting.number(value)))
    if isinstance(field, ma.fields.Decimal):
        places = field.places if field.places is not None else DECIMALS
        return _missing_or(lambda value: Shown(formatting.number(Decimal(value), places)))
    if isinstance(field, ma.fields.Number):
        return _missing_or(lambda value: Shown(formatting.number(value, DECIMALS)))
    if field.metadata.get("widget") == "month":
        return _missing_or(lambda value: Shown(formatting.month(value)))
    return _shown_as_is


def _missing_or(show):
    """show for a value; a dash for none, and a value the field's type cannot read as it is."""

    def shown(value):
        if value is None:
            return Shown(formatting.NONE)
        try:
            return show(value)
        except (TypeError, ValueError, ArithmeticError, KeyError):
            return _shown_as_is(value)

    return shown


def _shown_as_is(value):
    """A value no field describes: a yes or no, else its text, cut when long."""
    if value is None:
        return Shown(formatting.NONE)
    if isinstance(value, bool):
        return Shown(str(YES_NO[value]))
    text = value if isinstance(value, str) else str(value)
    first_line = text.strip().split("\n", 1)[0]
    if len(text) <= FOLD_AFTER and first_line == text.strip():
        return Shown(text)
    cut = first_line[:FOLD_AFTER].rstrip()
    return Shown(f"{cut} …", text)


def _corners(value):
    """A boundary by its number of corners (the geometry itself is the lease page's)."""
    if value is None:
        return Shown(formatting.NONE)
    from shapely.errors import GEOSException  # shapely, only where a boundary is shown

    from coop.domain.boundaries import corner_count

    try:
        count = corner_count(value)
    except GEOSException:  # text that is no geometry
        return Shown(_("not readable"))
    return Shown(
        ngettext("%(count)s corner", "%(count)s corners", count, count=formatting.number(count))
    )


def _titled(model):
    """A reference logged by its id (a meeting's), shown as the record's title while it exists."""

    def shown(value):
        if value is None:
            return Shown(formatting.NONE)
        record = db.session.get(model, value)
        return Shown(registry.title(record) if record is not None else str(value))

    return shown
