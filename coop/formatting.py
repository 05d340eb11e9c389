"""Numbers, dates, months and durations as a person reads them, one way everywhere and in the
reader's language (Flask-Babel: 1,843.46 · Nov 13, 2026 / 2026年11月13日 · 21 years ago / 21年前).
Templates use them as filters ({{ lease.area_m2|number }}, {{ meeting.held_on|day }}); views,
charts and messages call them. Inputs, exports, the API and the audit log's stored values keep
the design's forms (ISO dates, plain numbers): these are for reading only."""

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

from babel.dates import format_skeleton
from flask_babel import format_date, format_decimal, format_time, format_timedelta, get_locale
from flask_babel import gettext as _

from coop.domain.months import year_month

#: What a page shows where there is no value.
NONE = "—"

#: Durations shorter than this are said in days ("in 30 days"), longer ones in the largest unit
#: that fits ("21 years ago").
DAYS_UP_TO = 60


def _missing(value):
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def number(value, digits=0):
    """value with digits decimals and the locale's grouping: number(1843.456, 2) is 1,843.46."""
    if _missing(value):
        return NONE
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(Decimal(str(value)) if isinstance(value, float) else value, pattern)


def percent(value, digits=2):
    """A percentage already in percent (a grade, a recovery): 91.25 %."""
    return NONE if _missing(value) else f"{number(value, digits)} %"


def day(value):
    """A date as the locale writes it in prose and tables (Nov 13, 2026; 2026年11月13日)."""
    if value is None:
        return NONE
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "medium")


def moment(value):
    """A time (an aware datetime), in the association's time zone, to the minute."""
    if value is None:
        return NONE
    return f"{format_date(value, 'medium')} {format_time(value, 'HH:mm')}"


def month(value):
    """A month "YYYY-MM" (or a date's month) as the locale writes it (Nov 2026; 2026年11月)."""
    if value is None:
        return NONE
    if isinstance(value, str):
        value = date(*year_month(value), 1)
    return format_skeleton("yMMM", value, locale=get_locale())


def period(label):
    """A period of a summary ("2005", "2005-Q1", "2005-03") as the locale writes it (2005; Q1
    2005, 2005年第1季度; Mar 2005, 2005年3月)."""
    if label is None:
        return NONE
    year, _sep, part = str(label).partition("-")
    if not part:
        return year
    if part.startswith("Q"):
        first = date(int(year), 3 * int(part[1:]) - 2, 1)
        return format_skeleton("yQQQ", first, locale=get_locale())
    return month(label)


def in_days(days):
    """A number of days from today, said with its direction: in 30 days, 21 years ago."""
    if days is None:
        return NONE
    if days == 0:
        return _("today")
    delta = timedelta(days=days)
    if abs(days) < DAYS_UP_TO:
        return format_timedelta(delta, granularity="day", threshold=math.inf, add_direction=True)
    return format_timedelta(delta, granularity="day", add_direction=True)


FILTERS = {
    "number": number,
    "percent": percent,
    "day": day,
    "moment": moment,
    "month": month,
    "period": period,
    "in_days": in_days,
}


def init_app(app):
    app.jinja_env.filters.update(FILTERS)
