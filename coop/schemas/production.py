"""Samples and monthly production as JSON and as table rows."""

import re
from decimal import Decimal

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from coop.domain.refs import RefFormat
from coop.models import SAMPLE_TYPES
from coop.schemas.base import (
    IN_RANGE,
    Day,
    ListArgs,
    RecordSchema,
    choice,
    choice_filter,
    code_filter,
    key_field,
    reference,
    search_filter,
    text,
    vocabulary,
)

SAMPLE_TYPE_LABELS = vocabulary(
    SAMPLE_TYPES,
    {
        "feed": _l("feed"),
        "concentrate": _l("concentrate"),
        "tailings": _l("tailings"),
        "waste": _l("waste"),
    },
)

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


def grade(label, required=False):
    return ma.fields.Float(
        required=required,
        allow_none=not required,
        allow_nan=False,
        validate=ma.validate.Range(0, 100, error=IN_RANGE),
        metadata={"description": "mass percent", "label": label, "widget": "number"},
    )


def tonnes(label):
    return ma.fields.Float(
        allow_none=True,
        allow_nan=False,
        validate=ma.validate.Range(0, 10**9, error=IN_RANGE),
        metadata={"description": "tonnes", "label": label, "widget": "number"},
    )


MAX_RMB = Decimal("999999999999.99")  # the column's Numeric(14, 2)


def money_range(value):
    """0 to MAX_RMB. (Not ma.validate.Range: the amount is a string in JSON, which an OpenAPI
    minimum and maximum cannot describe.)"""
    if not Decimal(0) <= value <= MAX_RMB:
        raise ma.ValidationError(str(IN_RANGE).format(min=0, max=MAX_RMB))


#: A sample code left empty: the mine, the day and the next number (NJT-01A-20261201-01).
SAMPLE_CODES = RefFormat("{mine_code}-{sampled_on:%Y%m%d}-", digits=2)


class SampleSchema(RecordSchema):
    sample_code = key_field(
        generated=SAMPLE_CODES,
        metadata={
            "label": _l("Sample code"),
            "help": _l(
                "The laboratory's code for the sample; left empty, one is made of the mine, "
                "the day and a number (NJT-01A-20261201-01)."
            ),
        },
    )
    mine_code = reference(metadata={"label": _l("Mine"), "widget": "select"})
    sampled_on = Day(required=True, metadata={"label": _l("Sampled on")})
    sample_type = choice(SAMPLE_TYPE_LABELS, required=True, metadata={"label": _l("Sample type")})
    zn_pct = grade(_l("Zn (%)"), required=True)
    pb_pct = grade(_l("Pb (%)"))
    lab = text(100, metadata={"label": _l("Laboratory")})
    notes = text(2000, metadata={"label": _l("Notes"), "widget": "textarea", "rows": 2})


class ProductionSchema(RecordSchema):
    mine_code = reference(metadata={"label": _l("Mine"), "widget": "select"})
    month = Month(
        required=True, metadata={"description": "YYYY-MM", "label": _l("Month"), "widget": "month"}
    )
    ore_mined_t = tonnes(_l("Ore mined (t)"))
    ore_processed_t = tonnes(_l("Ore processed (t)"))
    concentrate_t = tonnes(_l("Concentrate (t)"))
    revenue_rmb = ma.fields.Decimal(
        places=2,
        allow_none=True,
        allow_nan=False,
        as_string=True,
        validate=money_range,
        metadata={
            "description": "RMB, 2 decimals, from 0 to 999,999,999,999.99",
            "label": _l("Revenue (RMB)"),
            "widget": "number",
        },
    )


class SampleFilters(ListArgs):
    q = search_filter("the sample code or laboratory")
    enterprise_code = code_filter("the enterprise's mines' samples")
    sample_type = choice_filter(SAMPLE_TYPE_LABELS, "feed, concentrate, tailings or waste")


class ProductionFilters(ListArgs):
    enterprise_code = code_filter("the enterprise's mines' production")
