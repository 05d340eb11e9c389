"""Meetings, attendance, actions and notices as JSON and as table rows."""

from datetime import date

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from coop import clock
from coop.domain.meetings import ATTENDANCE_STATUSES, MEETING_KINDS
from coop.schemas.base import (
    IN_RANGE,
    Day,
    ListArgs,
    RecordSchema,
    choice,
    choice_filter,
    code_filter,
    optional_date,
    reference,
    search_filter,
    text,
    vocabulary,
)

MEETING_KIND_LABELS = vocabulary(
    MEETING_KINDS,
    {
        "monthly": _l("monthly"),
        "extraordinary": _l("extraordinary"),
        "general_assembly": _l("general assembly"),
    },
)
#: A meeting as a person names it, by its kind (coop.services.meetings.meeting_title).
MEETING_TITLES = vocabulary(
    MEETING_KINDS,
    {
        "monthly": _l("Monthly meeting of %(day)s"),
        "extraordinary": _l("Extraordinary meeting of %(day)s"),
        "general_assembly": _l("General assembly of %(day)s"),
    },
)
ATTENDANCE_STATUS_LABELS = vocabulary(
    ATTENDANCE_STATUSES,
    {"present": _l("present"), "absent": _l("absent"), "excused": _l("excused")},
)
#: The action list's state filter (open when none is given).
ACTION_STATE_LABELS = {
    "open": _l("Open"),
    "overdue": _l("Overdue"),
    "done": _l("Done"),
    "all": _l("All"),
}
MARKDOWN_HELP = _l(
    "Markdown: # heading, - list item, **bold**, *italic*, [link](https://...). "
    "HTML is shown as text."
)

LONG_TEXT = 20_000
# Minutes must fit one spreadsheet cell (Excel keeps at most 32,767 characters), so that an XLSX
# export imports back unchanged.
MINUTES_TEXT = 32_000


class AmendmentSchema(ma.Schema):
    class Meta:
        ordered = True

    made_on = Day(metadata={"label": _l("Made on")})
    text = ma.fields.String(metadata={"description": "Markdown", "label": _l("Correction")})
    reason = ma.fields.String(allow_none=True, metadata={"label": _l("Reason")})
    author = ma.fields.String(metadata={"label": _l("Made by")})


class MeetingSchema(RecordSchema):
    held_on = Day(required=True, metadata={"label": _l("Held on")})
    kind = choice(MEETING_KIND_LABELS, required=True, metadata={"label": _l("Kind")})
    location = text(200, metadata={"label": _l("Location")})
    chair = text(100, metadata={"label": _l("Chair")})
    agenda = text(
        LONG_TEXT,
        metadata={"label": _l("Agenda"), "widget": "textarea", "rows": 4, "help": MARKDOWN_HELP},
    )
    minutes = text(
        MINUTES_TEXT,
        metadata={
            "label": _l("Minutes"),
            "widget": "textarea",
            "rows": 14,
            "help": MARKDOWN_HELP,
        },
    )
    key = ma.fields.String(dump_only=True, metadata={"description": "held_on:kind"})
    approved_on = Day(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "when the minutes were approved; from then on they are locked",
            "label": _l("Approved on"),
        },
    )
    amendments = ma.fields.List(
        ma.fields.Nested(AmendmentSchema),
        dump_only=True,
        metadata={"description": "corrections to the approved minutes, oldest first"},
    )


class AttendanceSchema(RecordSchema):
    held_on = Day(required=True, metadata={"label": _l("Held on")})
    kind = choice(MEETING_KIND_LABELS, required=True, metadata={"label": _l("Kind")})
    enterprise_code = reference(metadata={"label": _l("Enterprise")})
    status = choice(
        ATTENDANCE_STATUS_LABELS,
        required=True,
        error_messages={
            "required": _l("choose present, absent or excused."),
            "null": _l("choose present, absent or excused."),
        },
        metadata={"label": _l("Attendance")},
    )
    representative = text(
        100,
        metadata={
            "label": _l("Representative"),
            "help": _l("Who came for the enterprise, when not its legal representative."),
        },
    )
    key = ma.fields.String(dump_only=True, metadata={"description": "held_on:kind:enterprise"})


class ActionSchema(RecordSchema):
    held_on = Day(required=True, metadata={"label": _l("Held on")})
    kind = choice(MEETING_KIND_LABELS, required=True, metadata={"label": _l("Kind")})
    description = text(
        LONG_TEXT,
        required=True,
        metadata={"label": _l("Decision or action"), "widget": "textarea", "rows": 3},
    )
    owner_enterprise_code = reference(
        required=False,
        allow_none=True,
        load_default=None,
        metadata={
            "label": _l("Owner"),
            "widget": "select",
            "help": _l("The enterprise that carries it out; none for the association."),
        },
    )
    due_on = optional_date(metadata={"label": _l("Due on")})
    done_on = optional_date(metadata={"label": _l("Done on")})
    id = ma.fields.Integer(dump_only=True)
    overdue = ma.fields.Method("_overdue", dump_only=True)

    def _overdue(self, action):
        return action.overdue(clock.today())


class NoticeSchema(RecordSchema):
    title = text(200, required=True, metadata={"label": _l("Title")})
    mine_code = reference(
        required=False,
        allow_none=True,
        load_default=None,
        metadata={"label": _l("Mine"), "widget": "select"},
    )
    effective_on = optional_date(
        metadata={
            "label": _l("From"),
            "help": _l("When the change takes effect (a blasting schedule's first day)."),
        }
    )
    body = text(LONG_TEXT, metadata={"label": _l("Details"), "widget": "textarea", "rows": 5})
    id = ma.fields.Integer(dump_only=True)
    posted_at = ma.fields.DateTime(dump_only=True, metadata={"label": _l("Posted")})
    author = ma.fields.Function(
        lambda notice: notice.author.username,
        dump_only=True,
        metadata={"label": _l("Posted by")},
    )


class ApprovalSchema(RecordSchema):
    approved_on = Day(
        required=True,
        metadata={
            "description": "the day of the meeting that approved them",
            "label": _l("Approved on"),
            "help": _l(
                "The day of the meeting that approved the minutes. From then on the minutes, the "
                "meeting's details and its attendance are locked; corrections are amendments."
            ),
        },
    )


# (Made from a dict: a field named text would hide the helper of that name in a class body.)
AmendmentInSchema = RecordSchema.from_dict(
    {
        "text": text(
            LONG_TEXT,
            required=True,
            metadata={
                "label": _l("Correction"),
                "widget": "textarea",
                "rows": 6,
                "help": MARKDOWN_HELP,
            },
        ),
        "reason": text(500, metadata={"label": _l("Reason")}),
    },
    name="AmendmentIn",
)


class DoneSchema(RecordSchema):
    done_on = Day(load_default=None, metadata={"description": "default: today"})


class CalendarArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    as_of = Day(
        load_default=None,
        validate=ma.validate.Range(date(1900, 1, 1), date(2999, 12, 31), error=IN_RANGE),
        metadata={"description": "default: today; 1900-01-01 to 2999-12-31"},
    )


class CalendarMonthSchema(ma.Schema):
    month = ma.fields.String(metadata={"description": "YYYY-MM"})
    meetings = ma.fields.List(ma.fields.String(), metadata={"description": "meeting keys"})
    gap = ma.fields.Boolean(metadata={"description": "over, with no monthly meeting"})


class RateSchema(ma.Schema):
    enterprise_code = ma.fields.String()
    present = ma.fields.Integer()
    held = ma.fields.Integer(metadata={"description": "meetings held while a member"})
    rate_pct = ma.fields.Float(allow_none=True)


class CalendarSchema(ma.Schema):
    as_of = Day()
    months = ma.fields.List(ma.fields.Nested(CalendarMonthSchema))
    gaps_last_12_months = ma.fields.List(ma.fields.String())
    attendance_from = Day()
    attendance = ma.fields.List(ma.fields.Nested(RateSchema))


class MeetingFilters(ListArgs):
    q = search_filter("the location, chair, agenda or minutes")
    kind = choice_filter(MEETING_KIND_LABELS, "monthly, extraordinary or general_assembly")


class AttendanceFilters(ListArgs):
    kind = choice_filter(MEETING_KIND_LABELS, "the meeting's kind")
    enterprise_code = code_filter("the enterprise's attendance")
    status = choice_filter(ATTENDANCE_STATUS_LABELS, "present, absent or excused")


class ActionFilters(ListArgs):
    q = search_filter("the description")
    kind = choice_filter(MEETING_KIND_LABELS, "the meeting's kind")
    enterprise_code = code_filter("the owner's actions")
    state = choice_filter(ACTION_STATE_LABELS, "open, overdue, done or all")
