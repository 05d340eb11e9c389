"""Forms for enterprises and mines."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from coop import labels
from coop.forms.base import RecordForm, optional
from coop.labels import choices
from coop.schemas.base import KEY_PATTERN

KEY_MESSAGE = _l("use letters, digits and - _ . / only, starting with a letter or digit.")


class EnterpriseForm(RecordForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32), Regexp(KEY_PATTERN, message=KEY_MESSAGE)],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    legal_representative = StringField(
        _l("Legal representative"), validators=[optional(), Length(max=100)]
    )
    business_license_no = StringField(
        _l("Business licence number"), validators=[optional(), Length(max=64)]
    )
    # InputRequired, not DataRequired: a date typed wrongly is "not a valid date", not missing.
    joined_on = DateField(_l("Joined on"), validators=[InputRequired()])
    left_on = DateField(
        _l("Left on"),
        validators=[optional()],
        description=_l("Leave empty while the enterprise is a member."),
    )
    contact_phone = StringField(_l("Contact phone"), validators=[optional(), Length(max=40)])
    submit = SubmitField(_l("Save"))


class MineForm(RecordForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32), Regexp(KEY_PATTERN, message=KEY_MESSAGE)],
    )
    # The service checks the code, and says which code is unknown.
    enterprise_code = SelectField(
        _l("Enterprise"), validators=[DataRequired()], validate_choice=False
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    minerals = StringField(
        _l("Minerals"),
        default="Zn",
        validators=[DataRequired(), Length(max=100)],
        description=_l("Element symbols separated by commas, e.g. Zn,Pb."),
    )
    mining_method = SelectField(
        _l("Mining method"),
        choices=choices(labels.MINING_METHODS),
    )
    processing_method = StringField(
        _l("Processing method"), default="flotation", validators=[optional(), Length(max=64)]
    )
    status = SelectField(
        _l("Status"),
        choices=choices(labels.MINE_STATUSES),
    )
    opened_on = DateField(_l("Opened on"), validators=[optional()])
    closed_on = DateField(
        _l("Closed on"),
        validators=[optional()],
        description=_l("Required when the mine is closed."),
    )
    submit = SubmitField(_l("Save"))
