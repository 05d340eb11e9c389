"""The member rules of coop/domain/members.py, worked by hand; no app, no database."""

from datetime import date

import pytest

from coop.domain.members import (
    enterprise_problems,
    mine_problems,
    normalise_minerals,
    was_member_during,
)
from coop.domain.problems import Problem


def messages(problems):
    """(field, message with its values put in), as a person reads them in English."""
    return [(p.field, p.message % p.params if p.params else p.message) for p in problems]


# enterprise_problems ---------------------------------------------------------------------------

JOINED = date(2005, 1, 1)


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"joined_on": JOINED},
        {"joined_on": JOINED, "left_on": None},
        {"joined_on": JOINED, "left_on": JOINED},  # leaving on the day of joining is fine
        {"joined_on": JOINED, "left_on": date(2005, 1, 2)},
        {"joined_on": JOINED, "left_on": date(2030, 12, 31)},
        {"left_on": date(1990, 1, 1)},  # no joined_on to compare with (required elsewhere)
        {"joined_on": None, "left_on": date(1990, 1, 1)},
    ],
)
def test_enterprise_without_problems(values):
    assert enterprise_problems(values) == []


def test_left_on_a_day_before_joined_on():
    problems = enterprise_problems({"joined_on": JOINED, "left_on": date(2004, 12, 31)})
    assert problems == [
        Problem(
            "left_on",
            "must not be before the joining date (%(joined_on)s).",
            {"joined_on": "2005-01-01"},
        )
    ]
    assert messages(problems) == [("left_on", "must not be before the joining date (2005-01-01).")]


def test_left_on_years_before_joined_on():
    problems = enterprise_problems({"joined_on": date(2003, 3, 1), "left_on": date(1999, 6, 1)})
    assert messages(problems) == [("left_on", "must not be before the joining date (2003-03-01).")]


def test_enterprise_rules_ignore_other_fields():
    values = {"code": "E1", "name": "", "joined_on": JOINED, "left_on": None, "contact_phone": "x"}
    assert enterprise_problems(values) == []


# mine_problems ---------------------------------------------------------------------------------

OPENED = date(1998, 9, 1)


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"status": "active"},
        {"status": "active", "opened_on": OPENED, "closed_on": None},
        {"status": "suspended", "opened_on": OPENED},
        {"status": "closed", "closed_on": date(2005, 12, 31)},
        {"status": "closed", "opened_on": OPENED, "closed_on": date(2005, 12, 31)},
        {"status": "closed", "opened_on": OPENED, "closed_on": OPENED},  # closed the day it opened
        {"status": "closed", "opened_on": None, "closed_on": date(2005, 12, 31)},
    ],
)
def test_mine_without_problems(values):
    assert mine_problems(values) == []


@pytest.mark.parametrize("closed_on", [None, ""])
def test_closed_needs_closed_on(closed_on):
    problems = mine_problems({"status": "closed", "opened_on": OPENED, "closed_on": closed_on})
    assert messages(problems) == [("closed_on", "is required when the status is closed.")]


@pytest.mark.parametrize("status", ["active", "suspended", None])
def test_only_closed_mines_have_closed_on(status):
    problems = mine_problems({"status": status, "closed_on": date(2005, 12, 31)})
    assert messages(problems) == [("closed_on", "must be empty unless the status is closed.")]


def test_closed_on_a_day_before_opened_on():
    problems = mine_problems(
        {"status": "closed", "opened_on": OPENED, "closed_on": date(1998, 8, 31)}
    )
    assert problems == [
        Problem(
            "closed_on",
            "must not be before the opening date (%(opened_on)s).",
            {"opened_on": "1998-09-01"},
        )
    ]
    assert messages(problems) == [
        ("closed_on", "must not be before the opening date (1998-09-01).")
    ]


def test_every_mine_problem_is_reported():
    problems = mine_problems(
        {"status": "active", "opened_on": OPENED, "closed_on": date(1990, 1, 1)}
    )
    assert messages(problems) == [
        ("closed_on", "must be empty unless the status is closed."),
        ("closed_on", "must not be before the opening date (1998-09-01)."),
    ]


def test_rules_return_new_lists():
    first = mine_problems({"status": "closed"})
    first.append("changed")
    assert mine_problems({"status": "closed"}) == [
        Problem("closed_on", "is required when the status is closed.")
    ]


# normalise_minerals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zn,Pb", "Zn,Pb"),
        ("zn, pb", "Zn,Pb"),
        ("ZN,PB", "Zn,Pb"),
        ("  zn  ,  pb  ", "Zn,Pb"),
        ("Zn，Pb", "Zn,Pb"),  # the full-width comma a Chinese keyboard types
        ("zn，pb,cd", "Zn,Pb,Cd"),
        ("pb,zn", "Pb,Zn"),  # the order given is kept
        ("Zn,zn,ZN", "Zn"),  # no repeats
        ("Zn,Pb,Zn,Cd", "Zn,Pb,Cd"),
        ("zn,,pb,", "Zn,Pb"),  # empty items dropped
        (" , , ", ""),
        ("", ""),
        (None, ""),
        ("ag", "Ag"),
    ],
)
def test_normalise_minerals(text, expected):
    assert normalise_minerals(text) == expected


def test_normalise_minerals_is_idempotent():
    once = normalise_minerals("pb, ZN，cd, zn")
    assert once == "Pb,Zn,Cd"
    assert normalise_minerals(once) == once


MEMBER_FROM, MEMBER_TO = date(2003, 3, 1), date(2010, 6, 30)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2000, 1, 1), date(2003, 2, 28), False),  # all before joining
        (date(2000, 1, 1), MEMBER_FROM, True),  # the joining day
        (MEMBER_TO, date(2012, 1, 1), True),  # the leaving day
        (date(2010, 7, 1), date(2012, 1, 1), False),  # all after leaving
        (date(2005, 1, 1), date(2005, 12, 31), True),
        (None, MEMBER_FROM, True),
        (date(2010, 7, 1), None, False),
        (None, None, True),
    ],
)
def test_was_member_during(start, end, expected):
    assert was_member_during(MEMBER_FROM, MEMBER_TO, start, end) is expected


def test_a_member_still_was_one_from_joining():
    assert was_member_during(MEMBER_FROM, None, date(2030, 1, 1), date(2030, 12, 31))
    assert not was_member_during(MEMBER_FROM, None, date(2000, 1, 1), date(2003, 2, 28))
    assert not was_member_during(None, None, None, None)
