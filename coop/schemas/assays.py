"""The assay summary's query arguments and answer (GET /api/v1/assays/summary)."""

import marshmallow as ma
from flask_babel import gettext as _

from coop.domain.assays import PERIODS
from coop.domain.recovery import FEED_METAL_WEIGHTED, MASS_BALANCE
from coop.schemas.base import Day, choice


class SummaryArgs(ma.Schema):
    """mine_code (blank: every mine and the association), from and to (dates, both included),
    period."""

    class Meta:
        unknown = ma.EXCLUDE

    mine_code = ma.fields.String(
        load_default=None,
        metadata={"description": "one mine's items only (404 for a code no mine has)"},
    )
    from_ = Day(
        data_key="from", load_default=None, metadata={"description": "first day, YYYY-MM-DD"}
    )
    to = Day(load_default=None, metadata={"description": "last day, YYYY-MM-DD"})
    period = choice(PERIODS, load_default="year", allow_none=False)

    @ma.validates_schema
    def check_range(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start is not None and end is not None and end < start:
            raise ma.ValidationError(
                {"to": [_("must not be before from (%(start)s).", start=start.isoformat())]}
            )


def grade(description):
    return ma.fields.Float(
        allow_none=True,
        validate=ma.validate.Range(0, 100),
        metadata={"description": description},
    )


def recovery(description):
    return ma.fields.Float(
        allow_none=True,
        validate=ma.validate.Range(0, 100),
        metadata={"description": description + "; null when it cannot be computed"},
    )


class SampleCountsSchema(ma.Schema):
    class Meta:
        ordered = True

    feed = ma.fields.Integer(validate=ma.validate.Range(0))
    concentrate = ma.fields.Integer(validate=ma.validate.Range(0))
    tailings = ma.fields.Integer(validate=ma.validate.Range(0))
    waste = ma.fields.Integer(validate=ma.validate.Range(0))


class AssaySummarySchema(ma.Schema):
    """One mine's period, or the association's (mine_code null)."""

    class Meta:
        ordered = True

    mine_code = ma.fields.String(
        allow_none=True, metadata={"description": "null: the association, all mines pooled"}
    )
    period = ma.fields.String(metadata={"description": '"2005", "2005-Q1" or "2005-03"'})
    samples = ma.fields.Nested(SampleCountsSchema, metadata={"description": "samples by type"})
    feed_zn_pct = grade("mean zinc grade of the feed samples, mass percent")
    concentrate_zn_pct = grade("mean zinc grade of the concentrate samples")
    tailings_zn_pct = grade("mean zinc grade of the tailings samples")
    waste_zn_pct = grade("mean zinc grade of the waste samples (metal left in waste dumps)")
    recovery_two_product_pct = recovery(
        "100 c (f - t) / (f (c - t)) on the period's mean grades (the association: on the "
        "pooled grades of all mines' samples)"
    )
    recovery_mass_balance_pct = recovery(
        "a mine: 100 (sum of concentrate_t) c / ((sum of ore_processed_t) f) with the period's "
        "mean grades; the association: the feed-metal-weighted mean of the mines' mass-balance "
        "recoveries"
    )
    recovery_mass_balance_method = ma.fields.String(
        validate=ma.validate.OneOf([MASS_BALANCE, FEED_METAL_WEIGHTED]),
        metadata={"description": "mass_balance (a mine) or feed_metal_weighted (the association)"},
    )
    recovery_note = ma.fields.String(
        allow_none=True,
        metadata={"description": "why a recovery is null, and warnings (in the asker's language)"},
    )


class AssaySummaryListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AssaySummarySchema))
