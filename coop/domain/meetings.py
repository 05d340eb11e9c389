"""Rules for meetings, attendance and actions (docs/design.md "Meetings").

The DAOA agreed to meet monthly: a calendar month with no `monthly` meeting is a gap. A member's
attendance rate is the meetings it attended (present, in person or by a representative) over
the meetings held while it was a member, counting only meetings whose attendance was taken (a
meeting with no attendance recorded says nothing about anyone). Approved minutes are locked:
a later correction is an amendment kept beside them.

Pure: no Flask, no database. Dates are datetime.date; months are "YYYY-MM"."""

from datetime import date
from typing import NamedTuple

from coop.domain.members import was_member
from coop.domain.months import add_months, days_in, month_of
from coop.domain.problems import N_, Problem

MEETING_KINDS = ("monthly", "extraordinary", "general_assembly")
ATTENDANCE_STATUSES = ("present", "absent", "excused")
# How many months the calendar rules look back, and the attendance a member should keep over
# them (docs/design.md "Compliance rules": attendance, amber under 75 %).
WINDOW_MONTHS = 12
ATTENDANCE_TARGET_PCT = 75


# --- months ---------------------------------------------------------------------------------


def last_full_months(as_of, n=WINDOW_MONTHS):
    """The n calendar months before as_of's month, oldest first: as of 2026-12-01 (or
    2026-12-31), 2025-12 .. 2026-11. The month as_of is in is not over, so it cannot be a gap."""
    current = month_of(as_of)
    return [add_months(current, -i) for i in range(n, 0, -1)]


def month_gaps(monthly_days, months):
    """The months, of those given, with no monthly meeting held in them.

    monthly_days: the dates of the monthly meetings (any order, any months)."""
    held = {month_of(day) for day in monthly_days}
    return [month for month in months if month not in held]


def monthly_meeting_colour(gaps):
    """The rule monthly_meeting of the compliance dashboard, on the months without a monthly
    meeting of the last 12 full months: red for two months in a row, amber for one, green for
    none."""
    if not gaps:
        return "green"
    return "red" if longest_run(sorted(gaps)) >= 2 else "amber"


def longest_run(months):
    """The length of the longest run of consecutive months in a sorted list of months."""
    longest = run = 0
    previous = None
    for month in months:
        run = run + 1 if previous is not None and add_months(previous, 1) == month else 1
        longest = max(longest, run)
        previous = month
    return longest


# --- attendance ---------------------------------------------------------------------------------


class Rate(NamedTuple):
    """A member's attendance over a period: meetings attended (present), meetings held while it
    was a member (with attendance taken), and the rate in percent (None when none was held)."""

    present: int
    held: int

    @property
    def pct(self):
        return None if self.held == 0 else 100.0 * self.present / self.held

    @property
    def below_target(self):
        """Under ATTENDANCE_TARGET_PCT (never when no meeting was held)."""
        return self.pct is not None and self.pct < ATTENDANCE_TARGET_PCT


def attendance_rates(meetings, members, start, end):
    """{enterprise code: Rate} over the meetings held from start to end (dates, both included).

    meetings: (held_on, {enterprise code: status}) pairs, one per meeting of any kind; a meeting
    whose attendance dict is empty was not taken and is not counted. A member missing from a
    meeting's attendance that was taken counts as absent.
    members: {enterprise code: (joined_on, left_on)}."""
    present = dict.fromkeys(members, 0)
    held = dict.fromkeys(members, 0)
    for day, statuses in meetings:
        if not statuses or not start <= day <= end:
            continue
        for code, (joined_on, left_on) in members.items():
            if not was_member(joined_on, left_on, day):
                continue
            held[code] += 1
            if statuses.get(code) == "present":
                present[code] += 1
    return {code: Rate(present[code], held[code]) for code in members}


def window_start(as_of, months=WINDOW_MONTHS):
    """The first day of the attendance window ending on as_of: the same day months months
    earlier, plus one (as of 2026-12-01: 2025-12-02), so the window holds 12 months of meetings."""
    month = add_months(month_of(as_of), -months)
    year, number = int(month[:4]), int(month[5:7])
    # The same day of that month, or its last day (as of 2027-03-31: 2026-03-31; of 2028-02-29:
    # 2027-02-28).
    day = min(as_of.day, days_in(year, number))
    return date.fromordinal(date(year, number, day).toordinal() + 1)


# --- checks on values ---------------------------------------------------------------------------


# How far ahead a meeting may be logged (with its agenda), and the earliest year of a record.
PLANNED_AHEAD_DAYS = 366
FIRST_YEAR = 1900


def meeting_problems(values, today):
    """Problems with a meeting's values taken together: a meeting is held in coop's years, and
    planned at most a year ahead; the minutes of a meeting not yet held cannot be written (its
    agenda can)."""
    held_on = values.get("held_on")
    if held_on is None:
        return []
    if held_on.year < FIRST_YEAR:
        return [Problem("held_on", N_("must not be before %(year)s."), {"year": FIRST_YEAR})]
    if (held_on - today).days > PLANNED_AHEAD_DAYS:
        return [Problem("held_on", N_("must not be more than a year ahead."))]
    if held_on > today and values.get("minutes"):
        return [Problem("minutes", N_("cannot be written before the meeting is held."))]
    return []


def attendance_problems(values, held_on, joined_on, left_on, today):
    """Problems with one enterprise's attendance at a meeting held on held_on: only a member
    on that day, only a meeting already held, a representative only for one present."""
    problems = []
    if held_on is not None and held_on > today:
        problems.append(Problem("held_on", N_("the meeting has not been held yet.")))
    if held_on is not None and not was_member(joined_on, left_on, held_on):
        problems.append(
            Problem(
                "enterprise_code",
                N_("%(code)s was not a member on %(date)s."),
                {"code": values.get("enterprise_code"), "date": held_on.isoformat()},
            )
        )
    if values.get("representative") and values.get("status") != "present":
        problems.append(
            Problem("representative", N_("is given only for an enterprise that was present."))
        )
    return problems


def action_problems(values, held_on, today):
    """Problems with an action decided at a meeting held on held_on: not due before the
    meeting, not done before it or in the future."""
    problems = []
    due_on, done_on = values.get("due_on"), values.get("done_on")
    if held_on is not None and due_on is not None and due_on < held_on:
        problems.append(
            Problem(
                "due_on",
                N_("must not be before the meeting (%(date)s)."),
                {"date": held_on.isoformat()},
            )
        )
    if held_on is not None and done_on is not None and done_on < held_on:
        problems.append(
            Problem(
                "done_on",
                N_("must not be before the meeting (%(date)s)."),
                {"date": held_on.isoformat()},
            )
        )
    if done_on is not None and done_on > today:
        problems.append(Problem("done_on", N_("must not be in the future.")))
    return problems


def approval_problems(held_on, approved_on, today):
    """Minutes are approved at a later meeting (or the same day at the earliest), never in the
    future."""
    if approved_on < held_on:
        return [
            Problem(
                "approved_on",
                N_("must not be before the meeting (%(date)s)."),
                {"date": held_on.isoformat()},
            )
        ]
    if approved_on > today:
        return [Problem("approved_on", N_("must not be in the future."))]
    return []


def is_overdue(due_on, done_on, today):
    """An action is overdue when it is not done and its due date has passed."""
    return done_on is None and due_on is not None and due_on < today
