"""What every record service shares: applying values, checking natural keys, translating the
problems that coop/domain reports."""

from flask_babel import gettext as _

from coop.extensions import db
from coop.models import Enterprise, Mine
from coop.schemas.base import plain_errors
from coop.services.errors import Conflict, RecordInvalid


def raise_problems(problems):
    """Raise RecordInvalid for a list of coop.domain Problems, translated, with the values they
    suggest (Problem.suggested); do nothing if empty."""
    errors, suggested = {}, {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(_(problem.message, **problem.params))
        suggested |= problem.suggested
    if errors:
        raise RecordInvalid(errors, suggested=suggested)


def every_problem(error, check=None, record=None):
    """The RecordInvalid of values a schema refused (a marshmallow ValidationError): its errors
    and, on the values that passed (those it refused taken as blank), the kind's rules across
    fields (Kind.check) for the fields the schema found nothing wrong with, with the values
    those suggest. A person sees every problem at once, not one layer after another."""
    errors = plain_errors(error.messages)
    if check is None or not isinstance(error.valid_data, dict):
        return RecordInvalid(errors)
    values = error.valid_data | dict.fromkeys(errors)
    rules = [problem for problem in check(values, record) if problem.field not in errors]
    try:
        raise_problems(rules)
    except RecordInvalid as found:
        return RecordInvalid(errors | found.errors, suggested=found.suggested)
    return RecordInvalid(errors)


def check_unique(model, field, value, record=None):
    """Raise Conflict (409) when another record of model already has value in field."""
    query = db.select(model.id).where(getattr(model, field) == value)
    if record is not None and record.id is not None:
        query = query.where(model.id != record.id)
    if db.session.execute(query.limit(1)).first():
        raise Conflict({field: [_("%(value)s is already taken.", value=value)]})


def merged(record, values, fields):
    """The record's current field values overlaid with the new ones (for rules across fields)."""
    current = {name: getattr(record, name) for name in fields} if record is not None else {}
    return current | values


def apply(record, values):
    """Set values on record, add it and flush (the flush writes the audit log)."""
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


# --- list filters ----------------------------------------------------------------------------


def text_search(query, model, columns, q):
    """Records with q in one of columns (case-insensitive); all of them when q is empty."""
    if not q:
        return query
    pattern = f"%{q.strip()}%"
    return query.where(db.or_(*(getattr(model, c).ilike(pattern) for c in columns)))


def owns_mine(mine_code):
    """The condition that an enterprise owns the mine mine_code: the mine_code filter of the
    records of an enterprise (enterprises, attendance, actions, meetings)."""
    return Enterprise.mines.any(Mine.code == mine_code)


def of_mine(query, model, args):
    """The mine_code and enterprise_code filters of a record type that belongs to a mine."""
    if args.get("mine_code"):
        query = query.where(model.mine.has(Mine.code == args["mine_code"]))
    if args.get("enterprise_code"):
        query = query.where(
            model.mine.has(Mine.enterprise.has(Enterprise.code == args["enterprise_code"]))
        )
    return query
