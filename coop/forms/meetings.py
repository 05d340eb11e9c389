"""Forms for meetings, their attendance sheet, minutes approval and amendments, actions and
notices."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from coop import labels
from coop.forms.base import RecordForm, optional
from coop.labels import choices
from coop.schemas.meetings import LONG_TEXT, MINUTES_TEXT

MARKDOWN_HELP = _l(
    "Markdown: # heading, - list item, **bold**, *italic*, [link](https://...). "
    "HTML is shown as text."
)


class MeetingForm(RecordForm):
    held_on = DateField(_l("Held on"), validators=[InputRequired()])
    kind = SelectField(_l("Kind"), choices=choices(labels.MEETING_KINDS))
    location = StringField(_l("Location"), validators=[optional(), Length(max=200)])
    chair = StringField(_l("Chair"), validators=[optional(), Length(max=100)])
    agenda = TextAreaField(
        _l("Agenda"),
        validators=[optional(), Length(max=LONG_TEXT)],
        render_kw={"rows": 4},
        description=MARKDOWN_HELP,
    )
    minutes = TextAreaField(
        _l("Minutes"),
        validators=[optional(), Length(max=MINUTES_TEXT)],
        render_kw={"rows": 14},
        description=MARKDOWN_HELP,
    )
    submit = SubmitField(_l("Save"))


class AttendanceRow(Form):
    """One enterprise's line of the attendance sheet (a subform: the sheet has the CSRF token)."""

    enterprise_code = HiddenField()
    status = RadioField(
        _l("Attendance"),
        choices=choices(labels.ATTENDANCE_STATUSES),
        validators=[InputRequired(message=_l("choose present, absent or excused."))],
    )
    representative = StringField(
        _l("Representative"),
        validators=[optional(), Length(max=100)],
        description=_l("Who came for the enterprise, when not its legal representative."),
    )


class AttendanceForm(FlaskForm):
    rows = FieldList(FormField(AttendanceRow))
    submit = SubmitField(_l("Save attendance"))


class ApproveForm(RecordForm):
    approved_on = DateField(
        _l("Approved on"),
        validators=[InputRequired()],
        description=_l(
            "The day of the meeting that approved the minutes. From then on the minutes, the "
            "meeting's details and its attendance are locked; corrections are amendments."
        ),
    )
    submit = SubmitField(_l("Approve the minutes"))


class AmendmentForm(RecordForm):
    text = TextAreaField(
        _l("Correction"),
        validators=[DataRequired(), Length(max=LONG_TEXT)],
        render_kw={"rows": 6},
        description=MARKDOWN_HELP,
    )
    reason = StringField(_l("Reason"), validators=[optional(), Length(max=500)])
    submit = SubmitField(_l("Add the amendment"))


class ActionForm(RecordForm):
    description = TextAreaField(
        _l("Decision or action"),
        validators=[DataRequired(), Length(max=LONG_TEXT)],
        render_kw={"rows": 3},
    )
    owner_enterprise_code = SelectField(
        _l("Owner"),
        validate_choice=False,
        description=_l("The enterprise that carries it out; none for the association."),
    )
    due_on = DateField(_l("Due on"), validators=[optional()])
    done_on = DateField(_l("Done on"), validators=[optional()])
    submit = SubmitField(_l("Save"))

    # A new action's meeting (held_on and kind), which the page's address names.
    meeting = {}

    def values(self):
        return super().values() | self.meeting


class DoneForm(RecordForm):
    """The button that marks an action done, today."""

    submit = SubmitField(_l("Mark done"))


class NoticeForm(RecordForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    mine_code = SelectField(_l("Mine"), validate_choice=False)
    effective_on = DateField(
        _l("From"),
        validators=[optional()],
        description=_l("When the change takes effect (a blasting schedule's first day)."),
    )
    body = TextAreaField(
        _l("Details"), validators=[optional(), Length(max=LONG_TEXT)], render_kw={"rows": 5}
    )
    submit = SubmitField(_l("Post the notice"))
