"""Creating and changing enterprises and mines. Flush, never commit: the caller commits."""

from flask_babel import gettext as _

from coop.domain.members import enterprise_problems, mine_problems, normalise_minerals
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
    if "enterprise_code" in values:
        code = values.pop("enterprise_code")
        owner = enterprise_by_code(code)
        if owner is None:
            raise RecordInvalid(
                {"enterprise_code": _("no enterprise has code %(code)s.", code=code)}
            )
        values["enterprise_id"] = owner.id
    if "minerals" in values:
        values["minerals"] = normalise_minerals(values["minerals"])
    columns = [c for c in MineSchema.columns() if c != "enterprise_code"]
    raise_problems(mine_problems(merged(mine, values, columns)))
    return apply(mine or Mine(), values)
