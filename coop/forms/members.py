"""Forms for enterprises and mines, made from their schemas."""

from coop.forms.records import record_form
from coop.schemas.members import EnterpriseSchema, MineSchema

EnterpriseForm = record_form(EnterpriseSchema)
MineForm = record_form(MineSchema)
