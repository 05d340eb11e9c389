"""Leases and disputes as JSON and as table rows.

A lease's `boundary` is read from GeoJSON (an object, or its text), WKT or a corner-point table
(text) in `crs`; it is written as GeoJSON in lon/lat: an object in JSON, its text in a table."""

import json

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from coop import clock
from coop.domain.leases import DEFAULT_CRS, LEASE_STATES
from coop.domain.refs import RefFormat
from coop.models import DISPUTE_STATUSES
from coop.schemas.base import (
    IN_RANGE,
    Day,
    ListArgs,
    RecordSchema,
    choice,
    choice_filter,
    code_filter,
    key_field,
    optional_date,
    reference,
    search_filter,
    text,
    vocabulary,
)

MAX_BOUNDARY_CHARS = 500_000
LONG_TEXT = 20_000

DISPUTE_STATUS_LABELS = vocabulary(
    DISPUTE_STATUSES,
    {"open": _l("open"), "mediating": _l("mediating"), "resolved": _l("resolved")},
)
LEASE_STATE_LABELS = vocabulary(
    LEASE_STATES,
    {
        "valid": _l("valid"),
        "ending": _l("ending"),
        "expired": _l("expired"),
        "not_yet_valid": _l("not yet valid"),
        "renewed": _l("renewed"),
    },
)
#: The lease list's state filter: a state, or "current" (in force: valid, ending or renewed).
LEASE_STATE_FILTER_LABELS = {"current": _l("in force"), **LEASE_STATE_LABELS}


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


def elevation(**metadata):
    return ma.fields.Float(
        allow_none=True,
        allow_nan=False,
        validate=ma.validate.Range(-2000, 9000, error=IN_RANGE),
        metadata={"description": "metres above sea level", "widget": "number"} | metadata,
    )


class LeaseSchema(RecordSchema):
    permit_no = key_field(metadata={"label": _l("Permit number")})
    mine_code = reference(metadata={"label": _l("Mine"), "widget": "select"})
    valid_from = Day(required=True, metadata={"label": _l("Valid from")})
    valid_to = Day(required=True, metadata={"label": _l("Valid to")})
    boundary = BoundaryField(
        required=True,
        metadata={
            "description": "GeoJSON Polygon or MultiPolygon in lon/lat when read; when written, "
            "GeoJSON, WKT or a corner-point table in crs",
            "label": _l("Boundary"),
            "widget": "code",
            "rows": 10,
            "help": _l(
                "Paste the permit's table of corner points, one corner a line: point number, X "
                "(northing), Y (easting) for Gauss-Kruger; point number, longitude, latitude for "
                "lon/lat. A GeoJSON or WKT polygon is accepted too. A ring need not be closed."
            ),
        },
    )
    crs = ma.fields.String(
        load_default=DEFAULT_CRS,
        validate=ma.validate.Length(max=64),
        metadata={
            "description": "EPSG:4326, EPSG:4490 or a CGCS2000 Gauss-Kruger zone (EPSG:4513 to "
            "EPSG:4554) when written; EPSG:4326 or EPSG:4490 (the stored lon/lat) when read",
            "label": _l("Coordinate system"),
            "widget": "select",
            "help": _l(
                "The system the corners are given in, as the permit states it. Gauss-Kruger "
                "zones numbered 4513 to 4533 expect the zone number in front of Y; 4534 to 4554 "
                "do not."
            ),
        },
    )
    elevation_top_m = elevation(
        label=_l("Top elevation (m)"),
        help=_l("The mining elevation range, in metres above sea level (optional)."),
    )
    elevation_bottom_m = elevation(label=_l("Bottom elevation (m)"))
    area_m2 = ma.fields.Float(dump_only=True, metadata={"label": _l("Area (m²)")})
    area_mu = ma.fields.Float(dump_only=True)
    area_ha = ma.fields.Float(dump_only=True)
    days_to_expiry = ma.fields.Method(
        "_days_to_expiry",
        dump_only=True,
        metadata={"description": "days from today to valid_to: 0 on that day, negative after"},
    )
    state = ma.fields.Method(
        "_state",
        dump_only=True,
        validate=ma.validate.OneOf(LEASE_STATES),
        metadata={
            "description": "today: valid, ending (within the warning period), expired, "
            "not_yet_valid, or renewed (a later lease of the mine follows it)"
        },
    )

    def _days_to_expiry(self, lease):
        return lease.days_to_expiry(clock.today())

    def _state(self, lease):
        from coop.services.leases import state_of

        return state_of(lease)


class DisputeSchema(RecordSchema):
    ref = key_field(
        generated=RefFormat("D-{opened_on:%Y}-", digits=4),
        metadata={
            "label": _l("Reference"),
            "help": _l("Left empty, one is given: D-, the year opened and a number."),
        },
    )
    opened_on = Day(required=True, metadata={"label": _l("Opened on")})
    lease_a = reference(
        metadata={
            "description": "permit_no of one lease",
            "label": _l("Lease A"),
            "widget": "select",
        }
    )
    lease_b = reference(
        metadata={
            "description": "permit_no of the other lease",
            "label": _l("Lease B"),
            "widget": "select",
        }
    )
    description = text(
        LONG_TEXT, required=True, metadata={"label": _l("Description"), "widget": "textarea"}
    )
    status = choice(
        DISPUTE_STATUS_LABELS,
        load_default="open",
        allow_none=False,
        metadata={"label": _l("Status")},
    )
    resolved_on = optional_date(
        metadata={
            "label": _l("Resolved on"),
            "help": _l("Required once the dispute is resolved."),
        }
    )
    resolution = text(
        LONG_TEXT,
        metadata={"label": _l("Mediation notes and resolution"), "widget": "textarea"},
    )


class LeaseFilters(ListArgs):
    q = search_filter("the permit number")
    enterprise_code = code_filter("the enterprise's leases")
    state = choice_filter(
        LEASE_STATE_FILTER_LABELS,
        "the state today; current: in force (valid, ending or renewed)",
    )


class DisputeFilters(ListArgs):
    q = search_filter("the reference, description or resolution")
    status = choice_filter(DISPUTE_STATUS_LABELS, "open, mediating or resolved")


class ConflictSchema(ma.Schema):
    lease_a = ma.fields.String(metadata={"description": "permit_no"})
    lease_b = ma.fields.String(metadata={"description": "permit_no"})
    intersection_m2 = ma.fields.Float()


class ConflictListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ConflictSchema))
