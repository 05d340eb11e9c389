"""Leases and disputes as JSON and as table rows.

A lease's `boundary` is read from GeoJSON (an object, or its text), WKT or a corner-point table
(text) in `crs`; it is written as GeoJSON in lon/lat: an object in JSON, its text in a table."""

import json

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from coop import clock
from coop.domain.leases import DEFAULT_CRS
from coop.models import DISPUTE_STATUSES
from coop.schemas.base import IN_RANGE, RecordSchema, choice, key_field, optional_date, text

MAX_BOUNDARY_CHARS = 500_000
LONG_TEXT = 20_000


class BoundaryField(ma.fields.Field):
    """GeoJSON geometry in and out as an object; text (GeoJSON, WKT or a corner table) in."""

    default_error_messages = {
        "invalid": _l("must be a GeoJSON geometry object or text (GeoJSON, WKT or corner points)."),
        "too_long": _l("is too long (at most %(max)s characters)."),
    }

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else json.loads(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            value = json.dumps(value)
        if not isinstance(value, str):
            raise self.make_error("invalid")
        if len(value) > MAX_BOUNDARY_CHARS:
            raise ma.ValidationError(
                str(self.error_messages["too_long"]) % {"max": MAX_BOUNDARY_CHARS}
            )
        return value


def elevation():
    return ma.fields.Float(
        allow_none=True,
        allow_nan=False,
        validate=ma.validate.Range(-2000, 9000, error=IN_RANGE),
        metadata={"description": "metres above sea level"},
    )


class LeaseSchema(RecordSchema):
    permit_no = key_field()
    mine_code = key_field()
    valid_from = ma.fields.Date(required=True)
    valid_to = ma.fields.Date(required=True)
    boundary = BoundaryField(
        required=True,
        metadata={
            "description": "GeoJSON Polygon or MultiPolygon in lon/lat when read; when written, "
            "GeoJSON, WKT or a corner-point table in crs",
        },
    )
    crs = ma.fields.String(
        load_default=DEFAULT_CRS,
        validate=ma.validate.Length(max=64),
        metadata={
            "description": "EPSG:4326, EPSG:4490 or a CGCS2000 Gauss-Kruger zone (EPSG:4513 to "
            "EPSG:4554) when written; EPSG:4326 or EPSG:4490 (the stored lon/lat) when read"
        },
    )
    elevation_top_m = elevation()
    elevation_bottom_m = elevation()
    area_m2 = ma.fields.Float(dump_only=True)
    area_mu = ma.fields.Float(dump_only=True)
    area_ha = ma.fields.Float(dump_only=True)
    days_to_expiry = ma.fields.Method(
        "_days_to_expiry",
        dump_only=True,
        metadata={"description": "days from today to valid_to: 0 on that day, negative after"},
    )

    def _days_to_expiry(self, lease):
        return lease.days_to_expiry(clock.today())


class DisputeSchema(RecordSchema):
    ref = key_field()
    opened_on = ma.fields.Date(required=True)
    lease_a = key_field(metadata={"description": "permit_no of one lease"})
    lease_b = key_field(metadata={"description": "permit_no of the other lease"})
    description = text(LONG_TEXT, required=True)
    status = choice(DISPUTE_STATUSES, load_default="open", allow_none=False)
    resolved_on = optional_date()
    resolution = text(LONG_TEXT)


class ConflictSchema(ma.Schema):
    lease_a = ma.fields.String(metadata={"description": "permit_no"})
    lease_b = ma.fields.String(metadata={"description": "permit_no"})
    intersection_m2 = ma.fields.Float()


class ConflictListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ConflictSchema))
