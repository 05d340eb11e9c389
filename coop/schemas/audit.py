"""The audit log's words and its page's filters (docs/design.md "Audit")."""

from flask_babel import lazy_gettext as _l

from coop.models.audit import AUDIT_ACTIONS
from coop.schemas.base import Day, Filters, Text, choice_filter, vocabulary

AUDIT_ACTION_LABELS = vocabulary(
    AUDIT_ACTIONS, {"create": _l("created"), "update": _l("changed"), "delete": _l("deleted")}
)


class AuditFilters(Filters):
    """The audit page's query: a record type, an action, an actor, a record's key and the days
    from and to (both included, in the association's time zone). A value that cannot be one (a
    date that is none, text no database holds) is 400."""

    record_type = Text(load_default=None)
    action = choice_filter(AUDIT_ACTION_LABELS, "created, changed or deleted")
    actor = Text(load_default=None)
    key = Text(load_default=None)
    from_ = Day(data_key="from", load_default=None)
    to = Day(load_default=None)
