"""Enterprises and mines as JSON, as table rows and as form fields; their list filters."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from coop.models import MINE_STATUSES, MINING_METHODS
from coop.schemas.base import (
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

MINING_METHOD_LABELS = vocabulary(
    MINING_METHODS, {"underground": _l("underground"), "open_pit": _l("open pit")}
)
#: The usual processing methods, named in the reader's language; the field is free text (DOMAIN.md:
#: "e.g. flotation"), so another method is shown as typed.
PROCESSING_METHOD_LABELS = {
    "flotation": _l("flotation"),
    "gravity": _l("gravity separation"),
    "magnetic": _l("magnetic separation"),
    "hand_sorting": _l("hand sorting"),
    "none": _l("none (ore sold raw)"),
}
MINE_STATUS_LABELS = vocabulary(
    MINE_STATUSES,
    {"active": _l("active"), "suspended": _l("suspended"), "closed": _l("closed")},
)
#: The enterprise list's membership filter.
MEMBER_FILTER_LABELS = {"current": _l("Current members"), "former": _l("Former members")}


class EnterpriseSchema(RecordSchema):
    code = key_field(metadata={"label": _l("Code")})
    name = text(200, required=True, metadata={"label": _l("Name")})
    legal_representative = text(100, metadata={"label": _l("Legal representative")})
    business_license_no = text(64, metadata={"label": _l("Business licence number")})
    joined_on = Day(required=True, metadata={"label": _l("Joined on")})
    left_on = optional_date(
        metadata={
            "label": _l("Left on"),
            "help": _l("Leave empty while the enterprise is a member."),
        }
    )
    contact_phone = text(40, metadata={"label": _l("Contact phone")})


class MineSchema(RecordSchema):
    code = key_field(metadata={"label": _l("Code")})
    enterprise_code = reference(metadata={"label": _l("Enterprise"), "widget": "select"})
    name = text(200, required=True, metadata={"label": _l("Name")})
    minerals = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(
            r"^\s*[A-Za-z]{1,2}(\s*[,，]\s*[A-Za-z]{1,2})*\s*$",
            error=_l("must be element symbols separated by commas, e.g. Zn,Pb."),
        ),
        metadata={
            "label": _l("Minerals"),
            "help": _l("Element symbols separated by commas, e.g. Zn,Pb."),
            "initial": "Zn",
        },
    )
    mining_method = choice(
        MINING_METHOD_LABELS, required=True, metadata={"label": _l("Mining method")}
    )
    processing_method = text(
        64,
        metadata={
            "label": _l("Processing method"),
            "initial": "flotation",
            "help": _l("flotation, gravity, magnetic, hand_sorting, none, or another method."),
        },
    )
    status = choice(
        MINE_STATUS_LABELS,
        load_default="active",
        allow_none=False,
        metadata={"label": _l("Status")},
    )
    opened_on = optional_date(metadata={"label": _l("Opened on")})
    closed_on = optional_date(
        metadata={"label": _l("Closed on"), "help": _l("Required when the mine is closed.")}
    )


class EnterpriseFilters(ListArgs):
    q = search_filter("the code, name or legal representative")
    member = choice_filter(MEMBER_FILTER_LABELS, "current or former members")


class MineFilters(ListArgs):
    q = search_filter("the code, name or minerals")
    enterprise_code = code_filter("the enterprise's mines")
    status = choice_filter(MINE_STATUS_LABELS, "active, suspended or closed")
    mining_method = choice_filter(MINING_METHOD_LABELS, "underground or open_pit")
