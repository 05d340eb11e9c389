"""Meetings, attendance, actions and notices as JSON and as table rows."""

from datetime import date

import marshmallow as ma

from coop import clock
from coop.domain.meetings import ATTENDANCE_STATUSES, MEETING_KINDS
from coop.schemas.base import IN_RANGE, RecordSchema, choice, key_field, optional_date, text

LONG_TEXT = 20_000
# Minutes must fit one spreadsheet cell (Excel keeps at most 32,767 characters), so that an XLSX
# export imports back unchanged.
MINUTES_TEXT = 32_000


class AmendmentSchema(ma.Schema):
    class Meta:
        ordered = True

    made_on = ma.fields.Date()
    text = ma.fields.String(metadata={"description": "Markdown"})
    reason = ma.fields.String(allow_none=True)
    author = ma.fields.String()


class MeetingSchema(RecordSchema):
    held_on = ma.fields.Date(required=True)
    kind = choice(MEETING_KINDS, required=True)
    location = text(200)
    chair = text(100)
    agenda = text(LONG_TEXT)
    minutes = text(MINUTES_TEXT)
    key = ma.fields.String(dump_only=True, metadata={"description": "held_on:kind"})
    approved_on = ma.fields.Date(
        dump_only=True,
        allow_none=True,
        metadata={"description": "when the minutes were approved; from then on they are locked"},
    )
    amendments = ma.fields.List(
        ma.fields.Nested(AmendmentSchema),
        dump_only=True,
        metadata={"description": "corrections to the approved minutes, oldest first"},
    )


class AttendanceSchema(RecordSchema):
    held_on = ma.fields.Date(required=True)
    kind = choice(MEETING_KINDS, required=True)
    enterprise_code = key_field()
    status = choice(ATTENDANCE_STATUSES, required=True)
    representative = text(100)
    key = ma.fields.String(dump_only=True, metadata={"description": "held_on:kind:enterprise"})


class ActionSchema(RecordSchema):
    held_on = ma.fields.Date(required=True)
    kind = choice(MEETING_KINDS, required=True)
    description = text(LONG_TEXT, required=True)
    owner_enterprise_code = key_field(required=False, allow_none=True, load_default=None)
    due_on = optional_date()
    done_on = optional_date()
    id = ma.fields.Integer(dump_only=True)
    overdue = ma.fields.Method("_overdue", dump_only=True)

    def _overdue(self, action):
        return action.overdue(clock.today())


class NoticeSchema(RecordSchema):
    title = text(200, required=True)
    body = text(LONG_TEXT)
    mine_code = key_field(required=False, allow_none=True, load_default=None)
    effective_on = optional_date()
    id = ma.fields.Integer(dump_only=True)
    posted_at = ma.fields.DateTime(dump_only=True)
    author = ma.fields.Function(lambda notice: notice.author.username, dump_only=True)


class ApprovalSchema(ma.Schema):
    approved_on = ma.fields.Date(
        required=True, metadata={"description": "the day of the meeting that approved them"}
    )


# (Made from a dict: a field named text would hide the helper of that name in a class body.)
AmendmentInSchema = ma.Schema.from_dict(
    {"text": text(LONG_TEXT, required=True), "reason": text(500)}, name="AmendmentIn"
)


class DoneSchema(ma.Schema):
    done_on = ma.fields.Date(load_default=None, metadata={"description": "default: today"})


class CalendarArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    as_of = ma.fields.Date(
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
    as_of = ma.fields.Date()
    months = ma.fields.List(ma.fields.Nested(CalendarMonthSchema))
    gaps_last_12_months = ma.fields.List(ma.fields.String())
    attendance_from = ma.fields.Date()
    attendance = ma.fields.List(ma.fields.Nested(RateSchema))
