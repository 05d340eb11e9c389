"""Forms for leases and disputes, made from their schemas."""

from coop.forms.records import record_form
from coop.schemas.leases import DisputeSchema, LeaseSchema

LeaseForm = record_form(LeaseSchema)
DisputeForm = record_form(DisputeSchema)
