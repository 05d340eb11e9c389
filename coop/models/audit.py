"""The audit log: one row per insert, update or delete of any audited record."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.extensions import db
from coop.models.base import one_of, utcnow

AUDIT_ACTIONS = ("create", "update", "delete")


class AuditEntry(db.Model):
    """Written only by coop/audit.py, in the same transaction as the change; never edited."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(8))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None]
    record_key: Mapped[str | None] = mapped_column(String(120))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    user = relationship("User")

    __table_args__ = (
        one_of("action", AUDIT_ACTIONS, "action"),
        Index("ix_audit_log_record", "record_type", "record_key"),
    )
