"""Meetings, their attendance, minutes amendments and actions; notices between members
(docs/design.md "Meetings")."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.domain.meetings import ATTENDANCE_STATUSES, MEETING_KINDS, is_overdue
from coop.extensions import db
from coop.models.base import Audited, one_of, utcnow
from coop.models.members import Enterprise, Mine


class Meeting(Audited, db.Model):
    """One meeting per date and kind; its natural key is "YYYY-MM-DD:kind"."""

    __tablename__ = "meetings"
    audit_key = "key"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(200))
    chair: Mapped[str | None] = mapped_column(String(100))
    agenda: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)  # Markdown
    # The day the minutes were approved (at a later meeting): from then on they are locked and
    # a correction is an Amendment.
    approved_on: Mapped[date | None]

    attendance: Mapped[list["Attendance"]] = relationship(
        back_populates="meeting", order_by="Attendance.id"
    )
    actions: Mapped[list["Action"]] = relationship(back_populates="meeting", order_by="Action.id")
    amendments: Mapped[list["Amendment"]] = relationship(
        back_populates="meeting", order_by="Amendment.id"
    )

    __table_args__ = (
        UniqueConstraint("held_on", "kind", name="one_meeting_a_day_and_kind"),
        one_of("kind", MEETING_KINDS, "meeting_kind"),
        CheckConstraint("approved_on IS NULL OR approved_on >= held_on", name="approved_after"),
    )

    @property
    def key(self):
        return f"{self.held_on.isoformat()}:{self.kind}"

    @property
    def locked(self):
        return self.approved_on is not None

    def __repr__(self):
        return f"<Meeting {self.key}>"


class Attendance(Audited, db.Model):
    """An enterprise's attendance at a meeting; key "YYYY-MM-DD:kind:ENTERPRISE"."""

    __tablename__ = "attendance"
    audit_key = "key"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    representative: Mapped[str | None] = mapped_column(String(100))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    enterprise: Mapped[Enterprise] = relationship()

    __table_args__ = (
        UniqueConstraint("meeting_id", "enterprise_id", name="once_a_meeting"),
        one_of("status", ATTENDANCE_STATUSES, "attendance_status"),
    )

    held_on = property(lambda self: self.meeting.held_on if self.meeting else None)
    kind = property(lambda self: self.meeting.kind if self.meeting else None)
    enterprise_code = property(lambda self: self.enterprise.code if self.enterprise else None)

    @property
    def key(self):
        return f"{self.meeting.key}:{self.enterprise_code}"

    def __repr__(self):
        return f"<Attendance {self.key}>"


class Action(Audited, db.Model):
    """A decision to carry out, from a meeting; optionally owned by an enterprise."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprises.id"), index=True
    )
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]

    meeting: Mapped[Meeting] = relationship(back_populates="actions")
    owner_enterprise: Mapped[Enterprise | None] = relationship()

    held_on = property(lambda self: self.meeting.held_on if self.meeting else None)
    kind = property(lambda self: self.meeting.kind if self.meeting else None)

    @property
    def owner_enterprise_code(self):
        return self.owner_enterprise.code if self.owner_enterprise else None

    def overdue(self, today):
        return is_overdue(self.due_on, self.done_on, today)

    @classmethod
    def overdue_on(cls, today):
        """SQL for coop.domain.meetings.is_overdue: not done, and due before today."""
        return db.and_(cls.done_on.is_(None), cls.due_on < today)

    def __repr__(self):
        return f"<Action {self.id}>"


class Amendment(Audited, db.Model):
    """A correction to approved (locked) minutes, kept beside them; never changed."""

    __tablename__ = "amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    made_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)  # Markdown
    reason: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))

    meeting: Mapped[Meeting] = relationship(back_populates="amendments")

    def __repr__(self):
        return f"<Amendment {self.id} of {self.meeting.key if self.meeting else '?'}>"


class Notice(Audited, db.Model):
    """A short notice from a member or the president about a change at a mine (a new working
    face near a boundary, a blasting schedule): "other mine owners will be notified quickly"."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    mine_id: Mapped[int | None] = mapped_column(ForeignKey("mines.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    effective_on: Mapped[date | None]

    author = relationship("User")
    mine: Mapped[Mine | None] = relationship()

    @property
    def mine_code(self):
        return self.mine.code if self.mine else None

    @property
    def enterprise_id(self):
        """The enterprise the notice is about (its mine's), else its author's."""
        if self.mine is not None:
            return self.mine.enterprise_id
        return self.author.enterprise_id if self.author else None

    def __repr__(self):
        return f"<Notice {self.id}>"


class NoticeRead(db.Model):
    """That a user has read a notice (not audited: reading changes no record)."""

    __tablename__ = "notice_reads"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
