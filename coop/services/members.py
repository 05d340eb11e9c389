"""Creating and changing enterprises and mines. Flush, never commit: the caller commits."""

from flask_babel import gettext as _

from coop.domain.members import enterprise_problems, mine_problems, normalise_minerals
from coop.domain.problems import N_
from coop.extensions import db
from coop.models import Enterprise, Mine
from coop.schemas.members import EnterpriseSchema, MineSchema
from coop.services.errors import RecordInvalid
from coop.services.records import apply, check_unique, merged, not_storable, raise_problems


def enterprise_by_code(code):
    """The enterprise of that code, or None (also for text no database could hold)."""
    if not_storable(code):
        return None
    return db.session.execute(db.select(Enterprise).filter_by(code=code)).scalar_one_or_none()


def mine_by_code(code):
    if not_storable(code):
        return None
    return db.session.execute(db.select(Mine).filter_by(code=code)).scalar_one_or_none()


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


def save_enterprise(values, enterprise=None):
    """Create an enterprise (enterprise None) or change one; values are parsed schema fields."""
    if "code" in values:
        check_unique(Enterprise, "code", values["code"], enterprise)
    raise_problems(enterprise_problems(merged(enterprise, values, EnterpriseSchema.columns())))
    return apply(enterprise or Enterprise(), values)


def save_mine(values, mine=None):
    """Create a mine (mine None) or change one; enterprise_code names its enterprise."""
    values = dict(values)
    if "code" in values:
        check_unique(Mine, "code", values["code"], mine)
    take_enterprise(values)
    if "minerals" in values:
        values["minerals"] = normalise_minerals(values["minerals"])
    columns = [c for c in MineSchema.columns() if c != "enterprise_code"]
    raise_problems(mine_problems(merged(mine, values, columns)))
    return apply(mine or Mine(), values)
