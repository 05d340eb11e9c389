"""Samples and monthly production as JSON and as table rows."""

import re
from decimal import Decimal

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from coop.models import SAMPLE_TYPES
from coop.schemas.base import IN_RANGE, RecordSchema, choice, key_field, text

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-\d{2})?$")


class Month(ma.fields.String):
    """A month as YYYY-MM. A first-of-month date (YYYY-MM-01, as a spreadsheet may turn a month
    into) is read as its month."""

    default_error_messages = {"invalid": _l("is not a valid month (use YYYY-MM).")}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        match = MONTH.fullmatch(text)
        if match is None or (len(text) > 7 and not text.endswith("-01")):
            raise self.make_error("invalid")
        return text[:7]


def grade(required=False):
    return ma.fields.Float(
        required=required,
        allow_none=not required,
        allow_nan=False,
        validate=ma.validate.Range(0, 100, error=IN_RANGE),
        metadata={"description": "mass percent"},
    )


def tonnes():
    return ma.fields.Float(
        allow_none=True,
        allow_nan=False,
        validate=ma.validate.Range(0, 1e9, error=IN_RANGE),
        metadata={"description": "tonnes"},
    )


MAX_RMB = Decimal("999999999999.99")  # the column's Numeric(14, 2)


def money_range(value):
    """0 to MAX_RMB. (Not ma.validate.Range: the amount is a string in JSON, which an OpenAPI
    minimum and maximum cannot describe.)"""
    if not Decimal(0) <= value <= MAX_RMB:
        raise ma.ValidationError(str(IN_RANGE).format(min=0, max=MAX_RMB))


class SampleSchema(RecordSchema):
    sample_code = key_field()
    mine_code = key_field()
    sampled_on = ma.fields.Date(required=True)
    sample_type = choice(SAMPLE_TYPES, required=True)
    zn_pct = grade(required=True)
    pb_pct = grade()
    lab = text(100)
    notes = text(2000)


class ProductionSchema(RecordSchema):
    mine_code = key_field()
    month = Month(required=True, metadata={"description": "YYYY-MM"})
    ore_mined_t = tonnes()
    ore_processed_t = tonnes()
    concentrate_t = tonnes()
    revenue_rmb = ma.fields.Decimal(
        places=2,
        allow_none=True,
        allow_nan=False,
        as_string=True,
        validate=money_range,
        metadata={"description": "RMB, 2 decimals, from 0 to 999,999,999,999.99"},
    )
