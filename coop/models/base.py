"""What every record type shares."""

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, select
from sqlalchemy.orm import Mapped, mapped_column


def utcnow():
    return datetime.now(UTC)


class Audited:
    """A record whose every insert, update and delete is written to the audit log
    (coop/audit.py). ``audit_key`` names its natural key; ``audit_redact`` lists fields whose
    values must not be copied into the log."""

    audit_key: str = "id"
    audit_redact: tuple[str, ...] = ()
    # How the log names a foreign key column whose name is not "<relationship>_<natural key>"
    # (a dispute's lease_a_id is shown as lease_a, a permit number).
    audit_names: dict[str, str] = {}

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


def one_of(column, values, name):
    """A CHECK constraint that keeps a string column within docs/design.md's choices."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


def related(column, foreign_key):
    """column of the record that foreign_key names, as SQL of the referring record: what a list
    sorts by when it sorts by another record's field (leases by their mine's code)."""
    return select(column).where(column.class_.id == foreign_key).scalar_subquery()
