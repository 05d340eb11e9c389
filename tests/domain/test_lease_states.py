"""A lease's state on a day (coop.domain.leases.lease_state), worked out by hand: one state for
a date, shown the same on every page, the map and the API."""

from datetime import date

import pytest

from coop.domain.leases import (
    ENDING,
    EXPIRED,
    IN_FORCE,
    LEASE_STATES,
    NOT_YET_VALID,
    RENEWED,
    VALID,
    days_to_expiry,
    is_renewed,
    lease_state,
)

FROM, TO = date(2020, 1, 1), date(2025, 12, 31)


@pytest.mark.parametrize(
    ("day", "renewed", "expected"),
    [
        (date(2019, 12, 31), False, NOT_YET_VALID),  # the day before it starts
        (date(2019, 12, 31), True, NOT_YET_VALID),
        (FROM, False, VALID),  # its first day is in force
        (date(2025, 10, 1), False, VALID),  # 91 days left
        (date(2025, 10, 2), False, ENDING),  # 90 days left: within the 90
        (TO, False, ENDING),  # its last day: 0 days left, in force
        (TO, True, RENEWED),
        (date(2026, 1, 1), False, EXPIRED),  # the day after
        (date(2026, 1, 1), True, EXPIRED),  # renewed, but this one is over
        (date(2023, 6, 1), True, RENEWED),  # in force with a renewal recorded
    ],
)
def test_lease_state(day, renewed, expected):
    assert lease_state(FROM, TO, day, renewed=renewed) == expected


def test_ending_counts_the_days_left():
    # 2025-10-02 to 2025-12-31 is 90 days: ending (at most 90 days left); 2025-10-01 is 91
    assert days_to_expiry(TO, date(2025, 10, 2)) == 90
    assert lease_state(FROM, TO, date(2025, 10, 2)) == ENDING
    assert days_to_expiry(TO, date(2025, 10, 1)) == 91
    assert lease_state(FROM, TO, date(2025, 10, 1)) == VALID
    # the setting moves the line
    assert lease_state(FROM, TO, date(2025, 10, 1), ending_within=91) == ENDING
    assert lease_state(FROM, TO, date(2025, 12, 30), ending_within=0) == VALID
    assert lease_state(FROM, TO, TO, ending_within=0) == ENDING


def test_a_one_day_lease():
    assert lease_state(TO, TO, TO) == ENDING
    assert lease_state(TO, TO, date(2026, 1, 1)) == EXPIRED


def test_renewed_is_a_later_end():
    assert is_renewed(TO, [date(2030, 12, 31)])
    assert not is_renewed(TO, [TO, date(2010, 1, 1)])  # ending the same day, or before
    assert not is_renewed(TO, [])


def test_the_states():
    assert set(IN_FORCE) == {VALID, ENDING, RENEWED}
    assert set(LEASE_STATES) == set(IN_FORCE) | {EXPIRED, NOT_YET_VALID}
