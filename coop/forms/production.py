"""Forms for samples and monthly production."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    FloatField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from coop import labels
from coop.forms.base import RecordForm, finite, optional
from coop.forms.leases import key
from coop.labels import choices
from coop.schemas.production import MAX_RMB

DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


def grade(label, required=False):
    return FloatField(
        label,
        validators=[
            InputRequired() if required else optional(),
            finite,
            NumberRange(0, 100, message=_l("must be from %(min)s to %(max)s.")),
        ],
        render_kw=DECIMAL,
    )


def tonnes(label):
    return FloatField(
        label,
        validators=[
            optional(),
            finite,
            NumberRange(0, 1e9, message=_l("must be from %(min)s to %(max)s.")),
        ],
        render_kw=DECIMAL,
    )


class SampleForm(RecordForm):
    sample_code = key(_l("Sample code"), description=_l("The laboratory's code for the sample."))
    mine_code = SelectField(_l("Mine"), validators=[DataRequired()], validate_choice=False)
    sampled_on = DateField(_l("Sampled on"), validators=[InputRequired()])
    sample_type = SelectField(_l("Sample type"), choices=choices(labels.SAMPLE_TYPES))
    zn_pct = grade(_l("Zn (%)"), required=True)
    pb_pct = grade(_l("Pb (%)"))
    lab = StringField(_l("Laboratory"), validators=[optional(), Length(max=100)])
    notes = TextAreaField(
        _l("Notes"), validators=[optional(), Length(max=2000)], render_kw={"rows": 2}
    )
    submit = SubmitField(_l("Save"))
    another = SubmitField(_l("Save and add another"))


class ProductionForm(RecordForm):
    mine_code = SelectField(_l("Mine"), validators=[DataRequired()], validate_choice=False)
    month = StringField(
        _l("Month"),
        validators=[
            DataRequired(),
            Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message=_l("is not a valid month (use YYYY-MM).")),
        ],
        render_kw={"type": "month", "placeholder": "YYYY-MM"},
    )
    ore_mined_t = tonnes(_l("Ore mined (t)"))
    ore_processed_t = tonnes(_l("Ore processed (t)"))
    concentrate_t = tonnes(_l("Concentrate (t)"))
    revenue_rmb = DecimalField(
        _l("Revenue (RMB)"),
        places=2,
        validators=[
            optional(),
            finite,
            NumberRange(0, MAX_RMB, message=_l("must be from %(min)s to %(max)s.")),
        ],
        render_kw=DECIMAL,
    )
    submit = SubmitField(_l("Save"))
