"""Creating and changing enterprises and mines. Flush, never commit: the caller commits."""

from flask_babel import gettext as _

from coop import clock
from coop.domain.members import enterprise_problems, mine_problems, normalise_minerals
from coop.domain.problems import N_
from coop.extensions import db
from coop.models import Enterprise, Mine
from coop.schemas.base import not_storable
from coop.schemas.members import EnterpriseSchema, MineSchema
from coop.services.errors import RecordInvalid
from coop.services.records import (
    apply,
    check_unique,
    merged,
    owns_mine,
    raise_problems,
    text_search,
)


def enterprise_by_code(code):
    """The enterprise of that code, or None (also for text no database could hold)."""
    if not_storable(code):
        return None
    return db.session.execute(db.select(Enterprise).filter_by(code=code)).scalar_one_or_none()


def mine_by_code(code):
    if not_storable(code):
        return None
    return db.session.execute(db.select(Mine).filter_by(code=code)).scalar_one_or_none()


def enterprise_options(day=None):
    """(code, "code name") of every enterprise, or of the members on day, by code: the choices
    of a select."""
    query = db.select(Enterprise.code, Enterprise.name).order_by(Enterprise.code)
    if day is not None:
        query = query.where(Enterprise.member_on(day))
    return [(code, f"{code} {name}") for code, name in db.session.execute(query)]


def mine_options(enterprise_id=None):
    """(code, "code name") of every mine, or of one enterprise's, by code."""
    query = db.select(Mine.code, Mine.name).order_by(Mine.code)
    if enterprise_id is not None:
        query = query.where(Mine.enterprise_id == enterprise_id)
    return [(code, f"{code} {name}") for code, name in db.session.execute(query)]


def _take_reference(values, code_field, id_field, find, message):
    """Replace values[code_field], a natural key, by values[id_field], the id of the record it
    names (None stays None); refuse a key no record has. Returns the record (or None)."""
    if code_field not in values:
        return None
    code = values.pop(code_field)
    record = find(code) if code is not None else None
    if code is not None and record is None:
        raise RecordInvalid({code_field: _(message, code=code)})
    values[id_field] = record.id if record is not None else None
    return record


def take_enterprise(values, code_field="enterprise_code", id_field="enterprise_id"):
    """values with the enterprise its code_field names as id_field (see _take_reference)."""
    return _take_reference(
        values, code_field, id_field, enterprise_by_code, N_("no enterprise has code %(code)s.")
    )


def take_mine(values, code_field="mine_code", id_field="mine_id"):
    """values with the mine its code_field names as id_field (see _take_reference)."""
    return _take_reference(
        values, code_field, id_field, mine_by_code, N_("no mine has code %(code)s.")
    )


def check_enterprise(values, enterprise=None):
    """The enterprise rules on values over the enterprise's (ENTERPRISES.check)."""
    return enterprise_problems(merged(enterprise, values, EnterpriseSchema.columns()))


def check_mine(values, mine=None):
    """The mine rules on values over the mine's (MINES.check)."""
    columns = [c for c in MineSchema.columns() if c != "enterprise_code"]
    return mine_problems(merged(mine, values, columns))


def save_enterprise(values, enterprise=None):
    """Create an enterprise (enterprise None) or change one; values are parsed schema fields."""
    if "code" in values:
        check_unique(Enterprise, "code", values["code"], enterprise)
    raise_problems(check_enterprise(values, enterprise))
    return apply(enterprise or Enterprise(), values)


def save_mine(values, mine=None):
    """Create a mine (mine None) or change one; enterprise_code names its enterprise."""
    values = dict(values)
    if "code" in values:
        check_unique(Mine, "code", values["code"], mine)
    take_enterprise(values)
    if "minerals" in values:
        values["minerals"] = normalise_minerals(values["minerals"])
    raise_problems(check_mine(values, mine))
    return apply(mine or Mine(), values)


# --- list filters (EnterpriseFilters, MineFilters) -------------------------------------------


def filter_enterprises(query, args):
    query = text_search(query, Enterprise, ("code", "name", "legal_representative"), args.get("q"))
    if args.get("mine_code"):
        query = query.where(owns_mine(args["mine_code"]))
    # from/to: a member at some time in the period
    if args.get("from_") or args.get("to"):
        query = query.where(Enterprise.member_during(args.get("from_"), args.get("to")))
    if args.get("member") == "current":
        query = query.where(Enterprise.member_on(clock.today()))
    elif args.get("member") == "former":
        query = query.where(Enterprise.left_on < clock.today())
    return query


def filter_mines(query, args):
    query = text_search(query, Mine, ("code", "name", "minerals"), args.get("q"))
    if args.get("mine_code"):
        query = query.where(Mine.code == args["mine_code"])
    if args.get("enterprise_code"):
        query = query.where(Mine.enterprise.has(Enterprise.code == args["enterprise_code"]))
    if args.get("status"):
        query = query.where(Mine.status == args["status"])
    if args.get("mining_method"):
        query = query.where(Mine.mining_method == args["mining_method"])
    # from/to: open at some time in the period
    if args.get("to"):
        query = query.where(db.or_(Mine.opened_on.is_(None), Mine.opened_on <= args["to"]))
    if args.get("from_"):
        query = query.where(db.or_(Mine.closed_on.is_(None), Mine.closed_on >= args["from_"]))
    return query
