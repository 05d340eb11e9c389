"""The audit log of every change to a record (coop/audit.py writes it), read by the president,
the admin and the bureau."""

from flask_babel import lazy_gettext as _l

from coop import policy
from coop.models import AuditEntry
from coop.registry import Domain, NavLink
from coop.schemas.audit import AUDIT_ACTION_LABELS

DOMAIN = Domain(
    name="audit",
    tables=(AuditEntry,),
    blueprints=("coop.views.audit:bp",),
    tools=(
        NavLink(
            _l("Audit log"), "audit.index", visible=policy.can_read_audit, prefixes=("audit.",)
        ),
    ),
    start="coop.views.audit:start_sections",
    labels={"audit_action": AUDIT_ACTION_LABELS},
)
