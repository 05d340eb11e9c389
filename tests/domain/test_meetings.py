"""Meeting, attendance and action rules (coop/domain/meetings.py), against values worked out by
hand; no app, no database. Properties (hypothesis): an attendance rate is within 0..100 with
present <= held; months_between over n months has n + 1 consecutive months; the attendance window
holds 365 days, or 366 when a 29 February falls in it."""

import calendar
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.domain import meetings
from coop.domain.meetings import (
    ATTENDANCE_STATUSES,
    WINDOW_MONTHS,
    Rate,
    action_problems,
    approval_problems,
    attendance_problems,
    attendance_rates,
    is_overdue,
    last_full_months,
    longest_run,
    meeting_problems,
    month_gaps,
    monthly_meeting_colour,
    was_member,
    window_start,
)
from coop.domain.months import add_months, month_of, months_between
from coop.domain.problems import Problem
from tests.helpers import marked_messages

TODAY = date(2025, 6, 15)


MARKED = marked_messages(meetings)


def text(problem):
    """A Problem as a person reads it in English; checks that it can be translated: its message
    is marked for extraction, and its params fill every placeholder."""
    assert isinstance(problem, Problem)
    assert problem.message in MARKED, problem.message
    return problem.message % problem.params if problem.params else problem.message


def messages(problems):
    return [(p.field, text(p)) for p in problems]


# months ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 6, 15), "2025-06"),
        (date(2025, 1, 1), "2025-01"),
        (date(2025, 12, 31), "2025-12"),
        (date(2028, 2, 29), "2028-02"),
        (date(999, 3, 4), "0999-03"),
    ],
    ids=["mid-month", "new-year", "new-years-eve", "leap-day", "three-digit-year"],
)
def test_month_of(day, expected):
    """A day's month is "YYYY-MM", zero-padded."""
    assert month_of(day) == expected


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [
        ("2005-11", 0, "2005-11"),
        ("2005-11", 1, "2005-12"),
        ("2005-11", 2, "2006-01"),
        ("2005-12", 1, "2006-01"),
        ("2005-01", -1, "2004-12"),
        ("2005-03", -3, "2004-12"),
        ("2005-03", -14, "2004-01"),
        ("2005-03", -15, "2003-12"),
        ("2005-11", 12, "2006-11"),
        ("2005-11", 26, "2008-01"),  # 2005-11 + 2 = 2006-01, + 24 = 2008-01
        ("2005-01", -12, "2004-01"),
        ("2005-01", -13, "2003-12"),
        ("1999-12", 1, "2000-01"),
        ("2000-01", -1, "1999-12"),
    ],
    ids=[
        "zero",
        "next",
        "across-year-end",
        "december-to-january",
        "january-back-to-december",
        "back-across-year-end",
        "back-fourteen",
        "back-fifteen",
        "a-year",
        "two-years-and-two",
        "back-a-year",
        "back-thirteen",
        "into-2000",
        "back-into-1999",
    ],
)
def test_add_months(month, n, expected):
    """Months are added across year ends either way; n may be negative."""
    assert add_months(month, n) == expected


def test_months_between():
    """Every month from first to last, both included."""
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between("2025-11", "2025-11") == ["2025-11"]
    assert len(months_between("2025-01", "2025-12")) == 12


@pytest.mark.parametrize(
    ("first", "last"),
    [("2025-11", "2025-10"), ("2026-01", "2025-12"), ("2026-01", "2024-06")],
    ids=["a-month-before", "across-year-end", "years-before"],
)
def test_months_between_is_empty_when_last_is_before_first(first, last):
    """No months when last is before first."""
    assert months_between(first, last) == []


@pytest.mark.parametrize(
    "as_of",
    [date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 31)],
    ids=["the-1st", "mid-month", "the-31st"],
)
def test_last_full_months_in_december(as_of):
    """The 12 months before as_of's month, oldest first; the month as_of is in is not over yet,
    whether as_of is its first day or its last."""
    expected = ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 12)]
    assert last_full_months(as_of) == expected
    assert "2026-12" not in last_full_months(as_of)


@pytest.mark.parametrize(
    "as_of", [date(2026, 1, 1), date(2026, 1, 31)], ids=["january-1st", "january-31st"]
)
def test_last_full_months_in_january_is_the_previous_year(as_of):
    """As of any day of January, the full months are last year's twelve."""
    assert last_full_months(as_of) == [f"2025-{m:02d}" for m in range(1, 13)]


def test_last_full_months_other_lengths():
    # as of 2026-03-31: March is not over; the two before are January and February
    assert last_full_months(date(2026, 3, 31), 2) == ["2026-01", "2026-02"]
    assert last_full_months(date(2026, 1, 1), 1) == ["2025-12"]
    assert last_full_months(date(2026, 2, 28), 3) == ["2025-11", "2025-12", "2026-01"]
    assert last_full_months(date(2026, 5, 5), 0) == []
    assert WINDOW_MONTHS == 12


def test_month_gaps():
    """The months given with no monthly meeting in them, in the order given; meetings in other
    months, and a second meeting in one month, change nothing."""
    months = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    days = [
        date(2025, 3, 31),
        date(2025, 1, 1),
        date(2025, 3, 2),  # a second one in March
        date(2024, 2, 10),  # February, but of the year before
        date(2025, 6, 1),  # outside the months given
        date(2025, 5, 31),
    ]
    assert month_gaps(days, months) == ["2025-02", "2025-04"]
    assert month_gaps([], months) == months
    assert month_gaps(days, []) == []
    assert month_gaps(iter(days), months) == ["2025-02", "2025-04"]  # any iterable


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ([], 0),
        (["2025-03"], 1),
        (["2025-03", "2025-05"], 1),
        (["2025-03", "2025-04"], 2),
        (["2025-11", "2025-12", "2026-01"], 3),
        (["2025-01", "2025-02", "2025-04", "2025-05", "2025-06", "2025-08"], 3),
        (["2024-12", "2025-12"], 1),  # same month number, a year apart: not consecutive
        (["2025-01", "2025-02", "2025-03", "2025-05", "2025-06"], 3),  # the first run is longest
    ],
    ids=[
        "empty",
        "one",
        "a-gap-between",
        "two-in-a-row",
        "across-year-end",
        "the-middle-run",
        "a-year-apart",
        "the-first-run",
    ],
)
def test_longest_run(months, expected):
    """The longest run of consecutive calendar months."""
    assert longest_run(months) == expected


def test_two_gaps_in_a_row_make_a_run_of_two():
    """How the monthly_meeting rule reads the gaps: none in November and December 2025 (as of
    2026-01-10, the last 12 full months are 2025's) is a run of two."""
    months = last_full_months(date(2026, 1, 10))
    days = [date(2025, m, 15) for m in range(1, 11)]
    gaps = month_gaps(days, months)
    assert gaps == ["2025-11", "2025-12"]
    assert longest_run(gaps) == 2


# membership ------------------------------------------------------------------------------------


JOINED, LEFT = date(2020, 3, 10), date(2025, 4, 30)


@pytest.mark.parametrize(
    ("joined_on", "left_on", "day", "expected"),
    [
        (JOINED, None, date(2020, 3, 9), False),
        (JOINED, None, JOINED, True),
        (JOINED, None, date(2030, 1, 1), True),
        (JOINED, LEFT, date(2022, 1, 1), True),
        (JOINED, LEFT, LEFT, True),
        (JOINED, LEFT, date(2025, 5, 1), False),
        (JOINED, LEFT, date(2020, 3, 9), False),
        (None, None, date(2022, 1, 1), False),
        (None, LEFT, date(2022, 1, 1), False),
        (JOINED, JOINED, JOINED, True),  # joined and left the same day: a member that day
    ],
    ids=[
        "the-day-before-joining",
        "the-joining-day",
        "still-a-member",
        "between",
        "the-leaving-day",
        "the-day-after-leaving",
        "before-joining-with-leaving-day",
        "never-joined",
        "never-joined-but-left",
        "joined-and-left-the-same-day",
    ],
)
def test_was_member(joined_on, left_on, day, expected):
    """A member from the day it joins to the day it leaves, both included."""
    assert was_member(joined_on, left_on, day) is expected


# attendance rates ------------------------------------------------------------------------------


MEMBERS = {
    "A": (date(2020, 1, 1), None),  # a member all year
    "B": (date(2025, 7, 15), None),  # joined mid-year, on the day of a meeting
    "C": (date(2019, 5, 1), date(2025, 4, 30)),  # left on the day of a meeting
    "D": (date(2025, 3, 31), None),  # joined on the day of a meeting
    "E": (date(2026, 1, 1), None),  # joined after the period
}
MEETINGS = [
    (date(2024, 12, 20), {"A": "absent", "C": "absent"}),  # before start: ignored
    (date(2025, 1, 1), {"A": "present", "C": "present"}),  # on start: counted
    (date(2025, 2, 28), {"A": "absent", "C": "excused"}),
    (date(2025, 3, 31), {"A": "present", "C": "present", "D": "present"}),
    (date(2025, 4, 30), {"A": "present"}),  # C (its last day) and D missing: absent
    (date(2025, 5, 31), {}),  # attendance not taken: says nothing about anyone
    (date(2025, 6, 30), {"A": "excused", "D": "present", "X": "present"}),  # X: no member
    (date(2025, 7, 15), {"A": "present", "B": "present", "D": "absent"}),
    (date(2025, 8, 31), {"A": "present", "B": "excused", "D": "present"}),
    # C has left: its "present" does not count for it
    (date(2025, 9, 30), {"A": "present", "B": "present", "C": "present", "D": "present"}),
    (date(2025, 12, 31), {"A": "present", "B": "absent", "D": "present"}),  # on end: counted
    (date(2026, 1, 1), {"A": "absent", "B": "absent", "E": "present"}),  # after end: ignored
]
START, END = date(2025, 1, 1), date(2025, 12, 31)


def test_attendance_rates_by_hand():
    """Present over meetings held while a member, attendance taken, from start to end; excused
    is not present; missing from a meeting whose attendance was taken is absent."""
    # meetings counted (taken, within 2025): 01-01, 02-28, 03-31, 04-30, 06-30, 07-15, 08-31,
    # 09-30, 12-31 (05-31 was not taken; 2024-12-20 and 2026-01-01 are outside)
    # A, all nine:        P  A  P  P  E  P  P  P  P  -> 7 / 9
    # B, from 07-15:      07-15 P, 08-31 E, 09-30 P, 12-31 A -> 2 / 4
    # C, to 04-30:        01-01 P, 02-28 E, 03-31 P, 04-30 missing -> 2 / 4
    # D, from 03-31:      03-31 P, 04-30 missing, 06-30 P, 07-15 A, 08-31 P, 09-30 P,
    #                     12-31 P -> 5 / 7
    # E, joined 2026:     none held -> 0 / 0, no rate
    rates = attendance_rates(MEETINGS, MEMBERS, START, END)
    assert rates == {
        "A": Rate(7, 9),
        "B": Rate(2, 4),
        "C": Rate(2, 4),
        "D": Rate(5, 7),
        "E": Rate(0, 0),
    }
    assert rates["A"].pct == pytest.approx(700 / 9)  # 77.78 %
    assert rates["B"].pct == 50.0
    assert rates["C"].pct == 50.0
    assert rates["D"].pct == pytest.approx(500 / 7)  # 71.43 %: below the 75 % of the rule
    assert rates["E"].pct is None
    assert "X" not in rates  # only members get a rate


def test_attendance_rates_do_not_depend_on_the_order_of_meetings():
    shuffled = MEETINGS[:]
    random.Random(7).shuffle(shuffled)
    assert attendance_rates(shuffled, MEMBERS, START, END) == attendance_rates(
        MEETINGS, MEMBERS, START, END
    )


def test_attendance_rates_over_a_shorter_period():
    """Only meetings from start to end, both included, count."""
    # 2025-04-30 .. 2025-07-15: 04-30, (05-31 not taken), 06-30, 07-15
    # A: P, E, P -> 2 / 3; B: 07-15 P -> 1 / 1; C: 04-30 missing -> 0 / 1;
    # D: 04-30 missing, 06-30 P, 07-15 A -> 1 / 3
    rates = attendance_rates(MEETINGS, MEMBERS, date(2025, 4, 30), date(2025, 7, 15))
    assert rates == {
        "A": Rate(2, 3),
        "B": Rate(1, 1),
        "C": Rate(0, 1),
        "D": Rate(1, 3),
        "E": Rate(0, 0),
    }
    assert rates["B"].pct == 100.0
    assert rates["C"].pct == 0.0


def test_attendance_rates_with_no_meetings_or_no_members():
    assert attendance_rates([], MEMBERS, START, END) == dict.fromkeys(MEMBERS, Rate(0, 0))
    assert attendance_rates(MEETINGS, {}, START, END) == {}
    # end before start: nothing is within
    assert attendance_rates(MEETINGS, MEMBERS, END, START) == dict.fromkeys(MEMBERS, Rate(0, 0))


def test_a_meeting_whose_attendance_was_not_taken_counts_for_no_one():
    members = {"A": (date(2020, 1, 1), None)}
    assert attendance_rates([(date(2025, 5, 1), {})], members, START, END) == {"A": Rate(0, 0)}
    # but one whose attendance names only others was taken: A was absent
    taken = [(date(2025, 5, 1), {"Z": "present"})]
    assert attendance_rates(taken, members, START, END) == {"A": Rate(0, 1)}


@pytest.mark.parametrize(
    ("status", "expected"),
    [("present", Rate(1, 1)), ("absent", Rate(0, 1)), ("excused", Rate(0, 1))],
    ids=ATTENDANCE_STATUSES,
)
def test_only_present_is_attending(status, expected):
    """Excused is not present: it counts as held and not attended."""
    meetings_ = [(date(2025, 5, 1), {"A": status})]
    assert attendance_rates(meetings_, {"A": (date(2020, 1, 1), None)}, START, END) == {
        "A": expected
    }


@pytest.mark.parametrize(
    ("present", "held", "pct"),
    [(0, 0, None), (0, 3, 0.0), (3, 3, 100.0), (1, 3, 100 / 3), (3, 4, 75.0), (2, 3, 200 / 3)],
    ids=["none-held", "none-attended", "all", "a-third", "three-quarters", "two-thirds"],
)
def test_rate_pct(present, held, pct):
    """The rate in percent; None when no meeting was held."""
    rate = Rate(present, held)
    if pct is None:
        assert rate.pct is None
    else:
        assert rate.pct == pytest.approx(pct)
    assert (rate.present, rate.held) == (present, held)


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def members_(draw):
    codes = draw(st.lists(st.sampled_from("ABCDEFG"), unique=True, max_size=5))
    members = {}
    for code in codes:
        joined_on = draw(st.one_of(st.none(), days))
        left_on = draw(st.one_of(st.none(), days))
        members[code] = (joined_on, left_on)
    return members


meetings_list = st.lists(
    st.tuples(
        days,
        st.dictionaries(st.sampled_from("ABCDEFGXYZ"), st.sampled_from(ATTENDANCE_STATUSES)),
    ),
    max_size=15,
)


@settings(max_examples=300, deadline=None)
@given(meetings_=meetings_list, members=members_(), start=days, end=days)
def test_attendance_rate_is_within_0_and_100(meetings_, members, start, end):
    """Whatever the meetings and members: a rate for each member and no one else, present <=
    held <= the meetings taken within the period, and a percentage within 0..100, None only when
    none was held."""
    rates = attendance_rates(meetings_, members, start, end)
    assert set(rates) == set(members)
    taken = [(day, statuses) for day, statuses in meetings_ if statuses and start <= day <= end]
    for code, rate in rates.items():
        assert 0 <= rate.present <= rate.held <= len(taken)
        # present can be no more than the meetings at which it was marked present
        assert rate.present <= sum(statuses.get(code) == "present" for _, statuses in taken)
        if rate.held == 0:
            assert rate.pct is None
        else:
            assert 0.0 <= rate.pct <= 100.0
        if members[code][0] is None:  # never joined
            assert rate == Rate(0, 0)


# the attendance window -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 12, 1), date(2025, 12, 2)),
        (date(2026, 6, 15), date(2025, 6, 16)),
        # the last day of the year: the window is the calendar year
        (date(2026, 12, 31), date(2026, 1, 1)),
        # 2026-03-31 + 1 day
        (date(2027, 3, 31), date(2026, 4, 1)),
        (date(2027, 4, 30), date(2026, 5, 1)),
        # 2027 has no 29 February: 2027-02-28 + 1 day
        (date(2028, 2, 29), date(2027, 3, 1)),
        (date(2028, 2, 28), date(2027, 3, 1)),
        (date(2028, 3, 1), date(2027, 3, 2)),
        # 2028-02-28 + 1 day is the leap day
        (date(2029, 2, 28), date(2028, 2, 29)),
        # January: into the year before
        (date(2027, 1, 1), date(2026, 1, 2)),
        (date(2027, 1, 31), date(2026, 2, 1)),
    ],
    ids=[
        "the-1st",
        "ordinary-day",
        "new-years-eve",
        "march-31st",
        "april-30th",
        "leap-day",
        "the-day-before-leap-day",
        "the-day-after-leap-day",
        "february-28th-after-a-leap-year",
        "january-1st",
        "january-31st",
    ],
)
def test_window_start(as_of, expected):
    """The same day 12 months earlier (or that month's last day), plus one."""
    assert window_start(as_of) == expected


@pytest.mark.parametrize(
    ("as_of", "months", "expected"),
    [
        (date(2027, 3, 31), 1, date(2027, 3, 1)),  # 2027-02-28 + 1
        (date(2027, 3, 15), 1, date(2027, 2, 16)),
        (date(2027, 5, 31), 3, date(2027, 3, 1)),  # 2027-02-28 + 1
        (date(2026, 7, 31), 1, date(2026, 7, 1)),  # 2026-06-30 + 1
        (date(2027, 2, 10), 2, date(2026, 12, 11)),  # across the year end
        (date(2027, 2, 10), 0, date(2027, 2, 11)),  # no months: an empty window
    ],
    ids=["a-month-from-march-31st", "a-month", "three-months", "july-31st", "two-months", "zero"],
)
def test_window_start_other_lengths(as_of, months, expected):
    assert window_start(as_of, months) == expected


def _has_leap_day(first, last):
    """Whether a 29 February falls from first to last, both included."""
    years = range(first.year, last.year + 1)
    return any(calendar.isleap(year) and first <= date(year, 2, 29) <= last for year in years)


@settings(max_examples=500, deadline=None)
@given(as_of=st.dates(min_value=date(1901, 1, 1), max_value=date(9998, 12, 31)))
def test_the_window_is_a_year_of_days(as_of):
    """From window_start to as_of, both included, is 365 days, or 366 when a 29 February is in
    it; and the window moves forward with as_of (never back)."""
    start = window_start(as_of)
    assert start <= as_of
    assert (as_of - start).days + 1 == (366 if _has_leap_day(start, as_of) else 365)
    assert window_start(as_of + timedelta(1)) >= start


# checks on values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"held_on": date(2025, 6, 16), "minutes": "Agreed."}, ["minutes"]),
        ({"held_on": date(2025, 6, 16), "agenda": "1. Safety"}, []),
        ({"held_on": date(2025, 6, 16), "minutes": ""}, []),
        ({"held_on": date(2025, 6, 16), "minutes": None}, []),
        ({"held_on": TODAY, "minutes": "Agreed."}, []),
        ({"held_on": date(2025, 6, 14), "minutes": "Agreed."}, []),
        ({"held_on": None, "minutes": "Agreed."}, []),
        ({"minutes": "Agreed."}, []),
    ],
    ids=[
        "minutes-of-a-future-meeting",
        "agenda-of-a-future-meeting",
        "empty-minutes",
        "no-minutes",
        "minutes-today",
        "minutes-of-a-past-meeting",
        "no-date",
        "no-date-key",
    ],
)
def test_meeting_problems(values, expected):
    """The minutes of a meeting not yet held cannot be written; its agenda can."""
    problems = meeting_problems(values, TODAY)
    assert [p.field for p in problems] == expected
    if expected:
        assert messages(problems) == [("minutes", "cannot be written before the meeting is held.")]


@pytest.mark.parametrize(
    ("held_on", "expected"),
    [
        (date(1900, 1, 1), []),
        (date(1899, 12, 31), [("held_on", "must not be before 1900.")]),
        # 2025-06-15 + 366 days = 2026-06-16 (2026 has no 29 February before June)
        (date(2026, 6, 16), []),
        (date(2026, 6, 17), [("held_on", "must not be more than a year ahead.")]),
        (date(9999, 12, 1), [("held_on", "must not be more than a year ahead.")]),
    ],
    ids=["first-day-of-1900", "before-1900", "a-year-ahead", "a-day-more", "year-9999"],
)
def test_a_meeting_is_held_in_coops_years(held_on, expected):
    """A meeting is dated from 1900, and logged (with its agenda) at most 366 days ahead: no
    calendar of 9999 years."""
    assert messages(meeting_problems({"held_on": held_on, "agenda": "1."}, TODAY)) == expected


@pytest.mark.parametrize(
    ("values", "held_on", "joined_on", "left_on", "expected"),
    [
        ({"enterprise_code": "M07", "status": "present"}, TODAY, JOINED, None, []),
        (
            {"enterprise_code": "M07", "status": "present"},
            date(2025, 6, 16),
            JOINED,
            None,
            [("held_on", "the meeting has not been held yet.")],
        ),
        (
            {"enterprise_code": "M07", "status": "absent"},
            date(2020, 3, 9),
            JOINED,
            None,
            [("enterprise_code", "M07 was not a member on 2020-03-09.")],
        ),
        ({"enterprise_code": "M07", "status": "absent"}, JOINED, JOINED, None, []),
        ({"enterprise_code": "M07", "status": "absent"}, LEFT, JOINED, LEFT, []),
        (
            {"enterprise_code": "M07", "status": "absent"},
            date(2025, 5, 1),
            JOINED,
            LEFT,
            [("enterprise_code", "M07 was not a member on 2025-05-01.")],
        ),
        (
            {"enterprise_code": "M07", "status": "present"},
            date(2025, 1, 1),
            None,
            None,
            [("enterprise_code", "M07 was not a member on 2025-01-01.")],
        ),
        (
            {"enterprise_code": "M07", "status": "present", "representative": "王明"},
            TODAY,
            JOINED,
            None,
            [],
        ),
        (
            {"enterprise_code": "M07", "status": "excused", "representative": "王明"},
            TODAY,
            JOINED,
            None,
            [("representative", "is given only for an enterprise that was present.")],
        ),
        (
            {"enterprise_code": "M07", "status": "absent", "representative": "王明"},
            TODAY,
            JOINED,
            None,
            [("representative", "is given only for an enterprise that was present.")],
        ),
        (
            {"enterprise_code": "M07", "status": "absent", "representative": ""},
            TODAY,
            JOINED,
            None,
            [],
        ),
        (
            # a future meeting after it left: both, in that order
            {"enterprise_code": "M07", "status": "absent", "representative": "王明"},
            date(2025, 7, 1),
            JOINED,
            LEFT,
            [
                ("held_on", "the meeting has not been held yet."),
                ("enterprise_code", "M07 was not a member on 2025-07-01."),
                ("representative", "is given only for an enterprise that was present."),
            ],
        ),
        ({"status": "excused", "representative": None}, None, None, None, []),
    ],
    ids=[
        "fine",
        "future-meeting",
        "before-joining",
        "the-joining-day",
        "the-leaving-day",
        "after-leaving",
        "never-joined",
        "representative-when-present",
        "representative-when-excused",
        "representative-when-absent",
        "empty-representative",
        "all-three",
        "no-date",
    ],
)
def test_attendance_problems(values, held_on, joined_on, left_on, expected):
    """Attendance only at a meeting already held, only of a member on that day, and a
    representative only for one present."""
    assert messages(attendance_problems(values, held_on, joined_on, left_on, TODAY)) == expected


HELD = date(2025, 5, 20)
BEFORE = "must not be before the meeting (2025-05-20)."
FUTURE = "must not be in the future."


@pytest.mark.parametrize(
    ("values", "held_on", "expected"),
    [
        ({"due_on": date(2025, 7, 1), "done_on": None}, HELD, []),
        ({"due_on": HELD, "done_on": HELD}, HELD, []),
        ({"due_on": TODAY, "done_on": TODAY}, HELD, []),
        ({}, HELD, []),
        ({"due_on": date(2025, 5, 19)}, HELD, [("due_on", BEFORE)]),
        ({"due_on": date(2025, 7, 1), "done_on": date(2025, 5, 19)}, HELD, [("done_on", BEFORE)]),
        ({"due_on": date(2025, 7, 1), "done_on": date(2025, 6, 16)}, HELD, [("done_on", FUTURE)]),
        (
            {"due_on": date(2025, 5, 1), "done_on": date(2025, 5, 2)},
            HELD,
            [("due_on", BEFORE), ("done_on", BEFORE)],
        ),
        # no meeting date: only the future is checked
        ({"due_on": date(2000, 1, 1), "done_on": date(2000, 1, 1)}, None, []),
        ({"done_on": date(2025, 6, 16)}, None, [("done_on", FUTURE)]),
        # a meeting still to come: done before it is both before it and, here, not in the future
        (
            {"done_on": TODAY},
            date(2025, 6, 20),
            [("done_on", "must not be before the meeting (2025-06-20).")],
        ),
    ],
    ids=[
        "fine",
        "due-and-done-at-the-meeting",
        "done-today",
        "no-dates",
        "due-before-meeting",
        "done-before-meeting",
        "done-in-the-future",
        "due-and-done-before-meeting",
        "no-meeting-date",
        "no-meeting-date-done-in-the-future",
        "future-meeting",
    ],
)
def test_action_problems(values, held_on, expected):
    """An action is not due before its meeting, and not done before it or in the future; each
    problem names its field."""
    assert messages(action_problems(values, held_on, TODAY)) == expected


@pytest.mark.parametrize(
    ("held_on", "approved_on", "expected"),
    [
        (HELD, date(2025, 6, 10), []),
        (HELD, HELD, []),
        (HELD, TODAY, []),
        (HELD, date(2025, 5, 19), [("approved_on", BEFORE)]),
        (HELD, date(2025, 6, 16), [("approved_on", FUTURE)]),
        (date(2025, 6, 20), date(2025, 6, 20), [("approved_on", FUTURE)]),
        # before a future meeting: the first problem is enough
        (
            date(2025, 6, 20),
            date(2025, 6, 18),
            [("approved_on", "must not be before the meeting (2025-06-20).")],
        ),
    ],
    ids=[
        "at-a-later-meeting",
        "the-same-day",
        "today",
        "before-the-meeting",
        "in-the-future",
        "future-meeting-same-day",
        "before-a-future-meeting",
    ],
)
def test_approval_problems(held_on, approved_on, expected):
    """Minutes are approved the day of the meeting at the earliest, and never in the future."""
    assert messages(approval_problems(held_on, approved_on, TODAY)) == expected


@pytest.mark.parametrize(
    ("due_on", "done_on", "expected"),
    [
        (date(2025, 6, 14), None, True),
        (date(2020, 1, 1), None, True),
        (TODAY, None, False),
        (date(2025, 6, 16), None, False),
        (date(2025, 6, 14), date(2025, 6, 14), False),
        (date(2025, 6, 1), date(2025, 6, 10), False),  # done late, but done
        (None, None, False),
        (None, date(2025, 6, 1), False),
    ],
    ids=[
        "due-yesterday",
        "due-long-ago",
        "due-today",
        "due-tomorrow",
        "done",
        "done-late",
        "no-due-date",
        "no-due-date-done",
    ],
)
def test_is_overdue(due_on, done_on, expected):
    """Overdue: not done and the due date has passed (due today is not yet overdue)."""
    assert is_overdue(due_on, done_on, TODAY) is expected


def test_every_marked_message_is_used_by_a_test_above():
    """The messages these tests read are the module's: none is left unchecked."""
    expected = {
        "cannot be written before the meeting is held.",
        "the meeting has not been held yet.",
        "%(code)s was not a member on %(date)s.",
        "is given only for an enterprise that was present.",
        "must not be before the meeting (%(date)s).",
        "must not be in the future.",
        "must not be before %(year)s.",
        "must not be more than a year ahead.",
    }
    assert expected == MARKED


# properties of months --------------------------------------------------------------------------


month_strings = st.builds(
    lambda year, month: f"{year:04d}-{month:02d}",
    st.integers(min_value=1000, max_value=9000),
    st.integers(min_value=1, max_value=12),
)


@settings(max_examples=300, deadline=None)
@given(month=month_strings, n=st.integers(min_value=0, max_value=400))
def test_months_between_a_month_and_n_later_has_n_plus_1(month, n):
    """n months on from a month: n + 1 months, consecutive, from it to the last; and n months
    back again is where it started."""
    last = add_months(month, n)
    months = months_between(month, last)
    assert len(months) == n + 1
    assert months[0] == month and months[-1] == last
    assert longest_run(months) == n + 1
    assert months == sorted(months)
    assert add_months(last, -n) == month
    if n:
        assert months_between(last, month) == []


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=date(1000, 1, 1), max_value=date(9000, 12, 31)))
def test_last_full_months_end_the_month_before(day):
    months = last_full_months(day)
    assert len(months) == WINDOW_MONTHS
    assert months[-1] == month_of(day.replace(day=1) - timedelta(1))
    assert months == months_between(months[0], months[-1])


@pytest.mark.parametrize(
    ("gaps", "colour"),
    [
        ([], "green"),
        (["2026-03"], "amber"),
        (["2026-03", "2026-07"], "amber"),  # two months, not in a row
        (["2026-03", "2026-04"], "red"),
        (["2025-12", "2026-01"], "red"),  # across the new year
        (["2026-07", "2026-03", "2026-04"], "red"),  # in any order
    ],
)
def test_monthly_meeting_colour(gaps, colour):
    """The compliance rule monthly_meeting: amber for a month without a monthly meeting, red for
    two in a row."""
    assert monthly_meeting_colour(gaps) == colour
