"""Calendar months (coop.domain.months), worked out by hand: every rule that counts months counts
them with these."""

from datetime import date

import pytest

from coop.domain.months import (
    add_months,
    at_index,
    days_in,
    from_index,
    index,
    index_of,
    label,
    last_day,
    month_bounds,
    month_of,
    months_between,
    year_month,
)


def test_a_month_and_its_number():
    assert label(2005, 3) == "2005-03" == month_of(date(2005, 3, 31))
    assert year_month("2005-03") == (2005, 3)
    assert index_of(2005, 3) == 2005 * 12 + 2 == index("2005-03")
    assert at_index(index_of(2005, 12)) == (2005, 12)
    assert at_index(index_of(2006, 1)) == (2006, 1)
    assert from_index(index("1999-06")) == "1999-06"
    assert index("2006-01") - index("2005-12") == 1


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [("2005-11", 2, "2006-01"), ("2005-01", -1, "2004-12"), ("2005-06", 0, "2005-06"),
     ("2005-06", -18, "2003-12"), ("2005-06", 120, "2015-06")],
)  # fmt: skip
def test_add_months(month, n, expected):
    assert add_months(month, n) == expected


def test_days_and_bounds():
    assert [days_in(2024, m) for m in (1, 2, 4, 12)] == [31, 29, 30, 31]
    assert days_in(2023, 2) == 28 and days_in(1900, 2) == 28 and days_in(2000, 2) == 29
    assert last_day(2024, 2) == date(2024, 2, 29)
    assert month_bounds("2005-12") == (date(2005, 12, 1), date(2005, 12, 31))


def test_months_between():
    assert months_between("2005-11", "2006-02") == ["2005-11", "2005-12", "2006-01", "2006-02"]
    assert months_between("2005-11", "2005-11") == ["2005-11"]
    assert months_between("2006-01", "2005-12") == []
