"""Meetings, attendance, minutes approval and amendments, actions, and notices between members
(DOMAIN.md "Meetings"). Flush, never commit: the caller commits."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from coop import clock, labels
from coop.domain import meetings as rules
from coop.extensions import db
from coop.models import (
    Action,
    Amendment,
    Attendance,
    Enterprise,
    Meeting,
    Notice,
    NoticeRead,
)
from coop.schemas.meetings import MeetingSchema
from coop.services.errors import Conflict, RecordInvalid
from coop.services.members import enterprise_by_code, take_enterprise, take_mine
from coop.services.records import apply, merged, raise_problems

# --- lookups ------------------------------------------------------------------------------------


def _day(value):
    """A date, or YYYY-MM-DD (only: one address a meeting), or None."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def meeting_of(held_on, kind):
    """The meeting held on held_on (a date or YYYY-MM-DD) of kind, or None."""
    day = _day(held_on)
    if day is None or kind not in rules.MEETING_KINDS:
        return None
    return db.session.execute(
        db.select(Meeting).filter_by(held_on=day, kind=kind)
    ).scalar_one_or_none()


def attendance_of(held_on, kind, enterprise_code):
    meeting = meeting_of(held_on, kind)
    enterprise = enterprise_by_code(enterprise_code)
    if meeting is None or enterprise is None:
        return None
    return db.session.execute(
        db.select(Attendance).filter_by(meeting_id=meeting.id, enterprise_id=enterprise.id)
    ).scalar_one_or_none()


def action_by_id(key):
    try:
        number = int(key)
    except (TypeError, ValueError):
        return None
    return db.session.get(Action, number) if 0 < number < 2**63 else None


def action_of(values):
    """The action an import row names: the same description at the same meeting."""
    meeting = meeting_of(values.get("held_on"), values.get("kind"))
    if meeting is None:
        return None
    return db.session.execute(
        db.select(Action)
        .filter_by(meeting_id=meeting.id, description=values.get("description"))
        .limit(1)
    ).scalar_one_or_none()


def members_on(day):
    """The enterprises that were members on day, by code."""
    return (
        db.session.execute(
            db.select(Enterprise).where(Enterprise.member_on(day)).order_by(Enterprise.code)
        )
        .scalars()
        .all()
    )


def _meeting_id(values, field="held_on"):
    """Replace held_on and kind by meeting_id; refuse a meeting not recorded."""
    held_on, kind = values.pop("held_on", None), values.pop("kind", None)
    meeting = meeting_of(held_on, kind)
    if meeting is None:
        day = held_on.isoformat() if isinstance(held_on, date) else held_on
        raise RecordInvalid(
            {
                field: _(
                    "no %(kind)s meeting is recorded on %(date)s.",
                    kind=labels.label(labels.MEETING_KINDS, kind),
                    date=day,
                )
            }
        )
    values["meeting_id"] = meeting.id
    return meeting


def locked_message(meeting):
    return _(
        "The minutes of %(meeting)s were approved on %(date)s and are locked; "
        "a correction is made as an amendment.",
        meeting=meeting.key,
        date=meeting.approved_on.isoformat(),
    )


def _locked(meeting, field="minutes"):
    return Conflict({field: locked_message(meeting)})


# --- meetings -----------------------------------------------------------------------------------


def save_meeting(values, meeting=None):
    """Create a meeting (meeting None) or change one; refused once its minutes are approved."""
    values = dict(values)
    if meeting is not None and meeting.locked:
        if any(getattr(meeting, name) != value for name, value in values.items()):
            raise _locked(meeting)
        return meeting
    current = merged(meeting, values, MeetingSchema.columns())
    raise_problems(rules.meeting_problems(current, clock.today()))
    other = meeting_of(current["held_on"], current["kind"])
    if other is not None and other is not meeting:
        raise Conflict(
            {
                "held_on": _(
                    "a %(kind)s meeting is already recorded on %(date)s.",
                    kind=labels.label(labels.MEETING_KINDS, current["kind"]),
                    date=current["held_on"].isoformat(),
                )
            }
        )
    if (
        meeting is not None
        and (meeting.attendance or meeting.actions)
        and values.get("held_on", meeting.held_on) != meeting.held_on
    ):
        # Attendance was taken against the members of that day; actions are dated after it.
        raise RecordInvalid(
            {
                "held_on": _(
                    "cannot change once attendance or actions are recorded; "
                    "log a meeting on the right day instead."
                )
            }
        )
    return apply(meeting or Meeting(), values)


def approve_minutes(meeting, approved_on):
    """Mark the minutes approved (at the meeting held on approved_on): from then on they, the
    meeting's details and its attendance are locked."""
    if meeting.locked:
        raise _locked(meeting)
    if not (meeting.minutes or "").strip():
        raise RecordInvalid({"approved_on": _("there are no minutes to approve.")})
    raise_problems(rules.approval_problems(meeting.held_on, approved_on, clock.today()))
    return apply(meeting, {"approved_on": approved_on})


def amend_minutes(meeting, text, reason, author):
    """Add a correction beside approved minutes (unapproved minutes are simply edited)."""
    if not meeting.locked:
        raise RecordInvalid(
            {"text": _("The minutes are not approved yet: edit them instead of amending them.")}
        )
    if not (text or "").strip():
        raise RecordInvalid({"text": _("is required.")})
    return apply(
        Amendment(meeting_id=meeting.id),
        {"made_on": clock.today(), "text": text.strip(), "reason": reason, "author": author},
    )


# --- attendance ---------------------------------------------------------------------------------


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
        meeting = _meeting_id(values)
    else:
        meeting = record.meeting
    changed = record is None or any(current[k] != v for k, v in _attendance_of(record).items())
    for locked in {meeting, record.meeting if record else meeting}:
        # Unchanged values pass (an export of locked attendance imports back), changes do
        # not, to the meeting it is in or to the one it would move to.
        if locked.locked and changed:
            raise _locked(locked, "held_on")
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
                    "%(code)s's attendance at %(meeting)s is already recorded.",
                    code=enterprise.code,
                    meeting=meeting.key,
                )
            }
        )
    return apply(record or Attendance(), values)


def take_attendance(meeting, rows):
    """Record the attendance of a whole meeting at once (the attendance page): rows are
    {enterprise_code, status, representative}; existing entries are updated. Raises
    RecordInvalid with the errors keyed by enterprise code."""
    if meeting.locked:
        raise _locked(meeting)
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


def meeting_statuses(meetings):
    """{meeting id: {enterprise code: status}} for the meetings given, in one query."""
    ids = [m.id for m in meetings]
    found = {i: {} for i in ids}
    if not ids:
        return found
    rows = db.session.execute(
        db.select(Attendance.meeting_id, Enterprise.code, Attendance.status)
        .join(Attendance.enterprise)
        .where(Attendance.meeting_id.in_(ids))
    )
    for meeting_id, code, status in rows:
        found[meeting_id][code] = status
    return found


def attendance_rates(as_of):
    """[(enterprise, Rate)] of every enterprise that was a member at some time in the 12
    months ending on as_of, over the meetings of those months (DOMAIN.md: present / meetings
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
            .where(
                Enterprise.joined_on <= as_of,
                db.or_(Enterprise.left_on.is_(None), Enterprise.left_on >= start),
            )
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


def recent_gaps(as_of):
    """The months of the 12 full months before as_of's without a monthly meeting."""
    months = rules.last_full_months(as_of)
    first, last = rules.month_bounds(months[0]), rules.month_bounds(months[-1])
    days = db.session.execute(
        db.select(Meeting.held_on).where(
            Meeting.kind == "monthly", Meeting.held_on.between(first[0], last[1])
        )
    ).scalars()
    return rules.month_gaps(days, months)


def calendar(as_of):
    """The months from the first recorded meeting's to as_of's, the latest first, each with its
    meetings and whether it is a gap (a month over with no monthly meeting); and the gaps of the
    last 12 full months."""
    meetings = db.session.execute(db.select(Meeting).order_by(Meeting.held_on)).scalars().all()
    this_month = rules.month_of(as_of)
    if not meetings:
        return [], recent_gaps(as_of)
    first = rules.month_of(min(meetings[0].held_on, as_of))
    last = max(this_month, rules.month_of(meetings[-1].held_on))
    by_month = {}
    for meeting in meetings:
        by_month.setdefault(rules.month_of(meeting.held_on), []).append(meeting)
    monthly_days = [m.held_on for m in meetings if m.kind == "monthly"]
    over = rules.months_between(first, rules.add_months(this_month, -1))  # this one is not
    gaps = set(rules.month_gaps(monthly_days, over))
    months = [
        {"month": month, "meetings": by_month.get(month, []), "gap": month in gaps}
        for month in reversed(rules.months_between(first, last))
    ]
    return months, recent_gaps(as_of)


# --- actions ------------------------------------------------------------------------------------


def save_action(values, action=None):
    """Create an action decided at a meeting (action None) or change one."""
    values = dict(values)
    if "held_on" in values or "kind" in values or action is None:
        values.setdefault("held_on", action.held_on if action else None)
        values.setdefault("kind", action.kind if action else None)
        meeting = _meeting_id(values)
    else:
        meeting = action.meeting
    take_enterprise(values, "owner_enterprise_code", "owner_enterprise_id")
    current = {
        "due_on": action.due_on if action else None,
        "done_on": action.done_on if action else None,
    } | values
    raise_problems(rules.action_problems(current, meeting.held_on, clock.today()))
    return apply(action or Action(), values)


def mark_done(action, done_on=None):
    """Mark an action done (today unless done_on is given)."""
    done_on = done_on or clock.today()
    raise_problems(rules.action_problems({"done_on": done_on}, action.held_on, clock.today()))
    return apply(action, {"done_on": done_on})


def open_actions(enterprise_id=None):
    """Actions not done, the earliest due first (those with no due date last); only one
    enterprise's when enterprise_id is given."""
    query = (
        db.select(Action)
        .join(Action.meeting)
        .where(Action.done_on.is_(None))
        .order_by(Action.due_on.is_(None), Action.due_on, Meeting.held_on, Action.id)
    )
    if enterprise_id is not None:
        query = query.where(Action.owner_enterprise_id == enterprise_id)
    query = query.options(joinedload(Action.meeting), joinedload(Action.owner_enterprise))
    return db.session.execute(query).scalars().all()


def overdue_actions(today, limit=None):
    """Open actions whose due date has passed, the earliest due first."""
    query = (
        db.select(Action)
        .where(Action.overdue_on(today))
        .options(joinedload(Action.meeting), joinedload(Action.owner_enterprise))
        .order_by(Action.due_on, Action.id)
    )
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).scalars().all()


def count_overdue(today):
    return db.session.scalar(db.select(db.func.count(Action.id)).where(Action.overdue_on(today)))


# --- notices ------------------------------------------------------------------------------------


def save_notice(values, notice=None, author=None):
    """Post a notice (notice None, by author) or change one."""
    values = dict(values)
    take_mine(values)
    if notice is None:
        notice = Notice(author_id=author.id)
    return apply(notice, values)


def _unread(user):
    read = db.select(NoticeRead.notice_id).where(NoticeRead.user_id == user.id)
    return Notice.id.not_in(read), Notice.author_id != user.id


def unread_notices(user, limit=None):
    """Notices user has not read and did not post, the newest first."""
    query = (
        db.select(Notice)
        .where(*_unread(user))
        .options(joinedload(Notice.author), joinedload(Notice.mine))
        .order_by(Notice.posted_at.desc(), Notice.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).scalars().all()


def notices_about(mine, limit=None):
    """The notices about a mine, the newest first."""
    query = (
        db.select(Notice)
        .where(Notice.mine_id == mine.id)
        .options(joinedload(Notice.author))
        .order_by(Notice.posted_at.desc(), Notice.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).scalars().all()


def count_unread(user):
    return db.session.scalar(db.select(db.func.count(Notice.id)).where(*_unread(user)))


def mark_read(user, notices):
    """Record that user has read notices (those already read are left as they are)."""
    ids = {n.id for n in notices}
    if not ids:
        return
    done = set(
        db.session.execute(
            db.select(NoticeRead.notice_id).where(
                NoticeRead.user_id == user.id, NoticeRead.notice_id.in_(ids)
            )
        ).scalars()
    )
    for notice_id in sorted(ids - done):
        try:
            with db.session.begin_nested():
                db.session.add(NoticeRead(notice_id=notice_id, user_id=user.id))
        except IntegrityError:
            pass  # read at the same moment in another request: read all the same


def read_ids(user, notices):
    ids = [n.id for n in notices]
    if not ids:
        return set()
    return set(
        db.session.execute(
            db.select(NoticeRead.notice_id).where(
                NoticeRead.user_id == user.id, NoticeRead.notice_id.in_(ids)
            )
        ).scalars()
    )
