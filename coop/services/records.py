"""What every record service shares: applying values, checking natural keys, translating the
problems that coop/domain reports."""

from flask_babel import gettext as _

from coop.extensions import db
from coop.services.errors import Conflict, RecordInvalid


def raise_problems(problems):
    """Raise RecordInvalid for a list of coop.domain Problems, translated; do nothing if empty."""
    errors = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(_(problem.message, **problem.params))
    if errors:
        raise RecordInvalid(errors)


# Words that name pages beside a record's own (/leases/new, /leases/conflicts, ...): a natural
# key may not be one, or its record could not be reached by its address.
RESERVED_KEYS = frozenset({"new", "edit", "conflicts", "attention", "import", "export"})


def check_unique(model, field, value, record=None):
    """Raise Conflict (409) when another record of model already has value in field; refuse a
    reserved word (400)."""
    if isinstance(value, str) and value.lower() in RESERVED_KEYS:
        raise RecordInvalid(
            {field: [_("%(value)s names a page of its own; choose another.", value=value)]}
        )
    query = db.select(model.id).where(getattr(model, field) == value)
    if record is not None and record.id is not None:
        query = query.where(model.id != record.id)
    if db.session.execute(query.limit(1)).first():
        raise Conflict({field: [_("%(value)s is already taken.", value=value)]})


def merged(record, values, fields):
    """The record's current field values overlaid with the new ones (for rules across fields)."""
    current = {name: getattr(record, name) for name in fields} if record is not None else {}
    return current | values


def not_storable(value):
    """Text no database may hold: NUL characters (PostgreSQL refuses them) or lone surrogates
    (not UTF-8), which JSON escapes and crafted requests can carry."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return "\x00" in value


def apply(record, values):
    """Set values on record, add it and flush (the flush writes the audit log)."""
    bad = {name: [_("must be text.")] for name, value in values.items() if not_storable(value)}
    if bad:
        raise RecordInvalid(bad)
    for name in values:
        # Load any expired value first, so that the audit log knows what it was before.
        getattr(record, name)
    for name, value in values.items():
        setattr(record, name, value)
    db.session.add(record)
    db.session.flush()
    # Foreign keys were set as ids: let relationships (mine.enterprise) load afresh.
    db.session.expire(record)
    return record
