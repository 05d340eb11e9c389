"""Forms for meetings, their attendance sheet, minutes approval and amendments, actions and
notices, made from their schemas (the attendance sheet's rows are AttendanceSchema's fields,
which the view loads row by row)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, RadioField, StringField, SubmitField

from coop.forms.records import record_form
from coop.labels import choices
from coop.schemas.meetings import (
    ATTENDANCE_STATUS_LABELS,
    ActionSchema,
    AmendmentInSchema,
    ApprovalSchema,
    AttendanceSchema,
    MeetingSchema,
    NoticeSchema,
)

MeetingForm = record_form(MeetingSchema)

# A new action's meeting (held_on and kind) is the page's: SchemaForm.fixed.
ActionForm = record_form(ActionSchema, exclude=("held_on", "kind"))

NoticeForm = record_form(NoticeSchema, submit=_l("Post the notice"))

ApproveForm = record_form(ApprovalSchema, submit=_l("Approve the minutes"))

AmendmentForm = record_form(AmendmentInSchema, submit=_l("Add the amendment"))


class AttendanceRow(Form):
    """One enterprise's line of the attendance sheet (a subform: the sheet has the CSRF token)."""

    enterprise_code = HiddenField()
    status = RadioField(AttendanceSchema.label("status"), choices=choices(ATTENDANCE_STATUS_LABELS))
    representative = StringField(
        AttendanceSchema.label("representative"),
        description=AttendanceSchema._declared_fields["representative"].metadata["help"],
    )


class AttendanceForm(FlaskForm):
    rows = FieldList(FormField(AttendanceRow))
    submit = SubmitField(_l("Save attendance"))
    # Saves the sheet with every member present (representatives as typed): one click for the
    # usual meeting.
    all_present = SubmitField(_l("Save: all present"))


class DoneForm(FlaskForm):
    """A button that changes state (marks an action done, a notice read): its CSRF token."""

    submit = SubmitField(_l("Mark done"))
