"""Forms for samples and monthly production, made from their schemas."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from coop.forms.records import record_form
from coop.schemas.production import ProductionSchema, SampleSchema

SampleForm = record_form(SampleSchema, another=SubmitField(_l("Save and add another")))
ProductionForm = record_form(ProductionSchema)
