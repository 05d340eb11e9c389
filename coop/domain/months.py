"""Calendar months as docs/design.md writes them ("YYYY-MM"): the month of a day, months apart,
their first and last days. Every rule that counts months (production, the meetings calendar, the
assay periods, the demo) counts them here. Pure: no Flask, no database."""

from datetime import date


def month_of(day):
    """The month of a date (or datetime): "2005-03"."""
    return label(day.year, day.month)


def label(year, number):
    """The month of a year and a month number: "2005-03"."""
    return f"{year:04d}-{number:02d}"


def year_month(month):
    """(year, month number) of "YYYY-MM"."""
    year, number = month.rsplit("-", 1)
    return int(year), int(number)


def index_of(year, number):
    """A month's number counted from January of year 0: months apart subtract."""
    return year * 12 + number - 1


def at_index(value):
    """(year, month number) of the month index_of() numbers value."""
    return value // 12, value % 12 + 1


def index(month):
    """index_of() of a month "YYYY-MM"."""
    return index_of(*year_month(month))


def from_index(value):
    """The month "YYYY-MM" of a number that index() gives."""
    return label(*at_index(value))


def add_months(month, n):
    """ "2005-11" plus n months (n may be negative)."""
    return from_index(index(month) + n)


def months_between(first, last):
    """Every month from first to last, both included ([] when last is before first)."""
    return [add_months(first, n) for n in range(index(last) - index(first) + 1)]


def days_in(year, month):
    """The number of days of a month."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def last_day(year, number):
    """The last day of a month."""
    return date(year, number, days_in(year, number))


def month_bounds(month):
    """The first and the last day of a month "YYYY-MM"."""
    year, number = year_month(month)
    return date(year, number, 1), last_day(year, number)
