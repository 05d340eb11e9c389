"""Enterprises and mines as JSON and as table rows."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from coop.models import MINE_STATUSES, MINING_METHODS
from coop.schemas.base import RecordSchema, choice, key_field, optional_date, text


class EnterpriseSchema(RecordSchema):
    code = key_field()
    name = text(200, required=True)
    legal_representative = text(100)
    business_license_no = text(64)
    joined_on = ma.fields.Date(required=True)
    left_on = optional_date()
    contact_phone = text(40)


class MineSchema(RecordSchema):
    code = key_field()
    enterprise_code = key_field()
    name = text(200, required=True)
    minerals = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(
            r"^\s*[A-Za-z]{1,2}(\s*[,，]\s*[A-Za-z]{1,2})*\s*$",
            error=_l("must be element symbols separated by commas, e.g. Zn,Pb."),
        ),
    )
    mining_method = choice(MINING_METHODS, required=True)
    processing_method = text(64)
    status = choice(MINE_STATUSES, load_default="active", allow_none=False)
    opened_on = optional_date()
    closed_on = optional_date()
