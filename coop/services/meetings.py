"""Meetings, their minutes (approval, amendments) and the calendar of monthly meetings
(docs/design.md "Meetings"). Attendance, actions and notices have services of their own. Flush,
never commit: the caller commits."""

from datetime import date

from flask_babel import gettext as _

from coop import clock
from coop.domain import meetings as rules
from coop.domain.months import add_months, month_bounds, month_of, months_between
from coop.extensions import db
from coop.formatting import day
from coop.labels import label
from coop.models import Amendment, Attendance, Enterprise, Meeting
from coop.schemas.meetings import MEETING_KIND_LABELS, MEETING_TITLES, MeetingSchema
from coop.services.errors import Conflict, RecordInvalid
from coop.services.records import apply, merged, owns_mine, raise_problems, text_search


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


def members_on(day):
    """The enterprises that were members on day, by code."""
    return (
        db.session.execute(
            db.select(Enterprise).where(Enterprise.member_on(day)).order_by(Enterprise.code)
        )
        .scalars()
        .all()
    )


def take_meeting(values, field="held_on"):
    """Replace held_on and kind in values by meeting_id; refuse a meeting not recorded. Returns
    the meeting."""
    held_on, kind = values.pop("held_on", None), values.pop("kind", None)
    meeting = meeting_of(held_on, kind)
    if meeting is None:
        day = held_on.isoformat() if isinstance(held_on, date) else held_on
        raise RecordInvalid(
            {
                field: _(
                    "no %(kind)s meeting is recorded on %(date)s.",
                    kind=label(MEETING_KIND_LABELS, kind),
                    date=day,
                )
            }
        )
    values["meeting_id"] = meeting.id
    return meeting


def locked_message(meeting):
    return _(
        "%(meeting)s: the minutes were approved on %(date)s and are locked; "
        "a correction is made as an amendment.",
        meeting=meeting_title(meeting),
        date=day(meeting.approved_on),
    )


def locked(meeting, field="minutes"):
    """The Conflict (409) of a change to a meeting whose minutes are approved."""
    return Conflict({field: locked_message(meeting)})


def check_meeting(values, meeting=None):
    """The meeting rules on values over the meeting's (MEETINGS.check)."""
    return rules.meeting_problems(merged(meeting, values, MeetingSchema.columns()), clock.today())


def save_meeting(values, meeting=None):
    """Create a meeting (meeting None) or change one; refused once its minutes are approved."""
    values = dict(values)
    if meeting is not None and meeting.locked:
        if any(getattr(meeting, name) != value for name, value in values.items()):
            raise locked(meeting)
        return meeting
    raise_problems(check_meeting(values, meeting))
    current = merged(meeting, values, MeetingSchema.columns())
    other = meeting_of(current["held_on"], current["kind"])
    if other is not None and other is not meeting:
        raise Conflict(
            {
                "held_on": _(
                    "a %(kind)s meeting is already recorded on %(date)s.",
                    kind=label(MEETING_KIND_LABELS, current["kind"]),
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
        raise locked(meeting)
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


def recent_gaps(as_of):
    """The months of the 12 full months before as_of's without a monthly meeting."""
    months = rules.last_full_months(as_of)
    first, last = month_bounds(months[0]), month_bounds(months[-1])
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
    this_month = month_of(as_of)
    if not meetings:
        return [], recent_gaps(as_of)
    first = month_of(min(meetings[0].held_on, as_of))
    last = max(this_month, month_of(meetings[-1].held_on))
    by_month = {}
    for meeting in meetings:
        by_month.setdefault(month_of(meeting.held_on), []).append(meeting)
    monthly_days = [m.held_on for m in meetings if m.kind == "monthly"]
    over = months_between(first, add_months(this_month, -1))  # this one is not
    gaps = set(rules.month_gaps(monthly_days, over))
    months = [
        {"month": month, "meetings": by_month.get(month, []), "gap": month in gaps}
        for month in reversed(months_between(first, last))
    ]
    return months, recent_gaps(as_of)


def meeting_title(meeting):
    """A meeting as a person names it: "Monthly meeting of Nov 13, 2026"."""
    return str(MEETING_TITLES[meeting.kind]) % {"day": day(meeting.held_on)}


def attendance_title(attendance):
    """An enterprise's attendance at a meeting: "Monthly meeting of Nov 13, 2026 · DY02"."""
    return f"{meeting_title(attendance.meeting)} · {attendance.enterprise_code}"


def action_title(action):
    """An action: its description's first words."""
    words = action.description.split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


# --- list filters (MeetingFilters, AttendanceFilters) ----------------------------------------


def filter_meetings(query, args):
    """from/to: meetings held in the period; q: text in the details and minutes; mine_code:
    meetings with the attendance of the mine's enterprise."""
    columns = ("location", "chair", "agenda", "minutes")
    query = text_search(query, Meeting, columns, args.get("q"))
    if args.get("mine_code"):
        query = query.where(
            Meeting.attendance.any(Attendance.enterprise.has(owns_mine(args["mine_code"])))
        )
    if args.get("from_"):
        query = query.where(Meeting.held_on >= args["from_"])
    if args.get("to"):
        query = query.where(Meeting.held_on <= args["to"])
    if args.get("kind"):
        query = query.where(Meeting.kind == args["kind"])
    return query


def of_meeting(query, model, args):
    """The from, to and kind filters of a record of a meeting: its meeting's."""
    if args.get("from_"):
        query = query.where(model.meeting.has(Meeting.held_on >= args["from_"]))
    if args.get("to"):
        query = query.where(model.meeting.has(Meeting.held_on <= args["to"]))
    if args.get("kind"):
        query = query.where(model.meeting.has(Meeting.kind == args["kind"]))
    return query


def held_on_of(model):
    """The held_on of a record's meeting, for ordering lists of attendance and actions."""
    return db.select(Meeting.held_on).where(Meeting.id == model.meeting_id).scalar_subquery().desc()
