"""Member enterprises and their mines (docs/design.md "Members")."""

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.extensions import db
from coop.models.base import Audited, one_of

MINING_METHODS = ("underground", "open_pit")
MINE_STATUSES = ("active", "suspended", "closed")


class Enterprise(Audited, db.Model):
    __tablename__ = "enterprises"
    audit_key = "code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    business_license_no: Mapped[str | None] = mapped_column(String(64))
    joined_on: Mapped[date]
    left_on: Mapped[date | None]
    contact_phone: Mapped[str | None] = mapped_column(String(40))

    mines: Mapped[list["Mine"]] = relationship(back_populates="enterprise", order_by="Mine.code")

    __table_args__ = (
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joined"),
    )

    @classmethod
    def member_on(cls, day):
        """SQL for coop.domain.members.was_member: a member on day (joining and leaving days
        included)."""
        return db.and_(cls.joined_on <= day, db.or_(cls.left_on.is_(None), cls.left_on >= day))

    @classmethod
    def member_during(cls, start, end):
        """SQL for coop.domain.members.was_member_during: a member on some day from start to end
        (None: no bound)."""
        conditions = []
        if end is not None:
            conditions.append(cls.joined_on <= end)
        if start is not None:
            conditions.append(db.or_(cls.left_on.is_(None), cls.left_on >= start))
        return db.and_(db.true(), *conditions)

    def __repr__(self):
        return f"<Enterprise {self.code}>"


class Mine(Audited, db.Model):
    __tablename__ = "mines"
    audit_key = "code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    minerals: Mapped[str] = mapped_column(String(100), default="Zn")
    mining_method: Mapped[str] = mapped_column(String(16))
    processing_method: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="active")
    opened_on: Mapped[date | None]
    closed_on: Mapped[date | None]

    enterprise: Mapped[Enterprise] = relationship(back_populates="mines")
    leases: Mapped[list["Lease"]] = relationship(  # noqa: F821 (coop.models.leases)
        back_populates="mine", order_by="Lease.valid_from"
    )

    __table_args__ = (
        one_of("mining_method", MINING_METHODS, "mining_method"),
        one_of("status", MINE_STATUSES, "status"),
        CheckConstraint("status <> 'closed' OR closed_on IS NOT NULL", name="closed_has_date"),
    )

    @property
    def enterprise_code(self):
        return self.enterprise.code if self.enterprise else None

    def __repr__(self):
        return f"<Mine {self.code}>"
