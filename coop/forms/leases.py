"""Forms for leases and disputes."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FloatField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from coop import labels
from coop.forms.base import RecordForm, finite, optional
from coop.forms.members import KEY_MESSAGE
from coop.labels import choices
from coop.schemas.base import KEY_PATTERN
from coop.schemas.leases import LONG_TEXT, MAX_BOUNDARY_CHARS

ELEVATION = [
    optional(),
    finite,
    NumberRange(-2000, 9000, message=_l("must be from %(min)s to %(max)s.")),
]


def key(label, description=None):
    return StringField(
        label,
        validators=[DataRequired(), Length(max=32), Regexp(KEY_PATTERN, message=KEY_MESSAGE)],
        description=description,
    )


class LeaseForm(RecordForm):
    permit_no = key(_l("Permit number"))
    # The service checks the code, and says which code is unknown.
    mine_code = SelectField(_l("Mine"), validators=[DataRequired()], validate_choice=False)
    valid_from = DateField(_l("Valid from"), validators=[InputRequired()])
    valid_to = DateField(_l("Valid to"), validators=[InputRequired()])
    crs = SelectField(
        _l("Coordinate system"),
        validate_choice=False,
        description=_l(
            "The system the corners are given in, as the permit states it. Gauss-Kruger zones "
            "numbered 4513 to 4533 expect the zone number in front of Y; 4534 to 4554 do not."
        ),
    )
    boundary = TextAreaField(
        _l("Boundary"),
        validators=[DataRequired(), Length(max=MAX_BOUNDARY_CHARS)],
        render_kw={"rows": 10, "spellcheck": "false", "class": "font-monospace"},
        description=_l(
            "Paste the permit's table of corner points, one corner a line: point number, X "
            "(northing), Y (easting) for Gauss-Kruger; point number, longitude, latitude for "
            "lon/lat. A GeoJSON or WKT polygon is accepted too. A ring need not be closed."
        ),
    )
    elevation_top_m = FloatField(
        _l("Top elevation (m)"),
        validators=ELEVATION,
        description=_l("The mining elevation range, in metres above sea level (optional)."),
    )
    elevation_bottom_m = FloatField(_l("Bottom elevation (m)"), validators=ELEVATION)
    submit = SubmitField(_l("Save"))


class DisputeForm(RecordForm):
    ref = key(_l("Reference"))
    opened_on = DateField(_l("Opened on"), validators=[InputRequired()])
    lease_a = SelectField(_l("Lease A"), validators=[DataRequired()], validate_choice=False)
    lease_b = SelectField(_l("Lease B"), validators=[DataRequired()], validate_choice=False)
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(), Length(max=LONG_TEXT)],
        render_kw={"rows": 5},
    )
    status = SelectField(_l("Status"), choices=choices(labels.DISPUTE_STATUSES))
    resolved_on = DateField(
        _l("Resolved on"),
        validators=[optional()],
        description=_l("Required once the dispute is resolved."),
    )
    resolution = TextAreaField(
        _l("Mediation notes and resolution"),
        validators=[optional(), Length(max=LONG_TEXT)],
        render_kw={"rows": 5},
    )
    submit = SubmitField(_l("Save"))
