"""The models of the domains, by module (coop/models/<domain>.py), and the most used importable
from here. The app, and so Alembic, sees every table through the manifests (coop.DOMAINS), which
import their domain's models: a new domain's models need no line here."""

from coop.models.accounts import ROLES, ApiToken, User
from coop.models.audit import AuditEntry
from coop.models.leases import DISPUTE_STATUSES, Dispute, Lease
from coop.models.meetings import Action, Amendment, Attendance, Meeting, Notice, NoticeRead
from coop.models.members import MINE_STATUSES, MINING_METHODS, Enterprise, Mine
from coop.models.production import SAMPLE_TYPES, Production, Sample

__all__ = [
    "DISPUTE_STATUSES",
    "MINE_STATUSES",
    "MINING_METHODS",
    "ROLES",
    "SAMPLE_TYPES",
    "Action",
    "Amendment",
    "ApiToken",
    "Attendance",
    "AuditEntry",
    "Dispute",
    "Enterprise",
    "Lease",
    "Meeting",
    "Mine",
    "Notice",
    "NoticeRead",
    "Production",
    "Sample",
    "User",
]
