"""Attendance at meetings: one enterprise's entry, a whole sheet at once, and the attendance rate
of each member (docs/design.md "Meetings": present / meetings held while a member). Flush, never
commit: the caller commits."""

from flask_babel import gettext as _

from coop import clock
from coop.domain import meetings as rules
from coop.extensions import db
from coop.models import Attendance, Enterprise, Meeting
from coop.services.errors import Conflict, RecordInvalid
from coop.services.meetings import (
    locked,
    meeting_of,
    meeting_statuses,
    meeting_title,
    of_meeting,
    take_meeting,
)
from coop.services.members import enterprise_by_code, take_enterprise
from coop.services.records import apply, owns_mine, raise_problems


def attendance_of(held_on, kind, enterprise_code):
    meeting = meeting_of(held_on, kind)
    enterprise = enterprise_by_code(enterprise_code)
    if meeting is None or enterprise is None:
        return None
    return db.session.execute(
        db.select(Attendance).filter_by(meeting_id=meeting.id, enterprise_id=enterprise.id)
    ).scalar_one_or_none()


def _attendance_of(record):
    return {
        "held_on": record.held_on,
        "kind": record.kind,
        "enterprise_code": record.enterprise_code,
        "status": record.status,
        "representative": record.representative,
    }


def save_attendance(values, record=None):
    """Create an enterprise's attendance at a meeting (record None) or change it."""
    values = dict(values)
    current = (_attendance_of(record) if record else {}) | values
    if "held_on" in values or "kind" in values or record is None:
        values["held_on"], values["kind"] = current["held_on"], current["kind"]
        meeting = take_meeting(values)
    else:
        meeting = record.meeting
    changed = record is None or any(current[k] != v for k, v in _attendance_of(record).items())
    for concerned in {meeting, record.meeting if record else meeting}:
        # Unchanged values pass (an export of locked attendance imports back), changes do
        # not, to the meeting it is in or to the one it would move to.
        if concerned.locked and changed:
            raise locked(concerned, "held_on")
    if not changed:
        return record
    if record is not None and meeting is not record.meeting:
        raise RecordInvalid(
            {"held_on": _("attendance stays with its meeting; record it at the other one.")}
        )
    enterprise = take_enterprise(values) or (record.enterprise if record else None)
    if enterprise is None:
        raise RecordInvalid({"enterprise_code": _("is required.")})
    raise_problems(
        rules.attendance_problems(
            current, meeting.held_on, enterprise.joined_on, enterprise.left_on, clock.today()
        )
    )
    other = db.session.execute(
        db.select(Attendance).filter_by(meeting_id=meeting.id, enterprise_id=enterprise.id)
    ).scalar_one_or_none()
    if other is not None and other is not record:
        raise Conflict(
            {
                "enterprise_code": _(
                    "%(meeting)s: the attendance of %(code)s is already recorded.",
                    code=enterprise.code,
                    meeting=meeting_title(meeting),
                )
            }
        )
    return apply(record or Attendance(), values)


def take_attendance(meeting, rows):
    """Record the attendance of a whole meeting at once (the attendance page): rows are
    {enterprise_code, status, representative}; existing entries are updated. Raises
    RecordInvalid with the errors keyed by enterprise code."""
    if meeting.locked:
        raise locked(meeting)
    existing = {a.enterprise_code: a for a in meeting.attendance}
    errors = {}
    for row in rows:
        code = row["enterprise_code"]
        values = {"status": row["status"], "representative": row.get("representative")}
        record = existing.get(code)
        if record is None:
            values |= {"held_on": meeting.held_on, "kind": meeting.kind, "enterprise_code": code}
        try:
            with db.session.begin_nested():
                save_attendance(values, record)
        except RecordInvalid as error:
            errors[code] = [str(m) for messages in error.errors.values() for m in messages]
    if errors:
        raise RecordInvalid(errors)
    db.session.expire(meeting)
    return meeting


def attendance_rates(as_of):
    """[(enterprise, Rate)] of every enterprise that was a member at some time in the 12
    months ending on as_of, over the meetings of those months (docs/design.md: present / meetings
    held while a member), by code."""
    start = rules.window_start(as_of)
    meetings = (
        db.session.execute(db.select(Meeting).where(Meeting.held_on.between(start, as_of)))
        .scalars()
        .all()
    )
    statuses = meeting_statuses(meetings)
    enterprises = (
        db.session.execute(
            db.select(Enterprise)
            .where(Enterprise.member_during(start, as_of))
            .order_by(Enterprise.code)
        )
        .scalars()
        .all()
    )
    rates = rules.attendance_rates(
        [(m.held_on, statuses[m.id]) for m in meetings],
        {e.code: (e.joined_on, e.left_on) for e in enterprises},
        start,
        as_of,
    )
    return start, [(e, rates[e.code]) for e in enterprises]


def untaken_meetings(as_of):
    """The meetings of the attendance window ending on as_of whose attendance was not taken:
    the rates leave them out, so the calendar names them."""
    taken = db.select(Attendance.meeting_id)
    return (
        db.session.execute(
            db.select(Meeting)
            .where(
                Meeting.held_on.between(rules.window_start(as_of), as_of),
                Meeting.id.not_in(taken),
            )
            .order_by(Meeting.held_on)
        )
        .scalars()
        .all()
    )


def filter_attendance(query, args):
    query = of_meeting(query, Attendance, args)
    if args.get("enterprise_code"):
        query = query.where(Attendance.enterprise.has(Enterprise.code == args["enterprise_code"]))
    if args.get("mine_code"):
        query = query.where(Attendance.enterprise.has(owns_mine(args["mine_code"])))
    if args.get("status"):
        query = query.where(Attendance.status == args["status"])
    return query
