"""Assays and production (docs/design.md "Production and assays"): sample types, mean grades, the
periods of the assay summary, the data-quality flags of a mine's month, and the rules of one
sample or one month of production beyond their fields' own (SampleSchema's and
ProductionSchema's). Recovery is coop.domain.recovery's. Pure functions: no Flask, no database.

Messages are English, marked with N_ and translated where they are shown: a rule that refuses a
field gives a `Problem(field, message, params)` (coop/domain/problems.py); a data-quality flag
gives a `Note(message, params)` (coop.domain.recovery)."""

import math
import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from coop.domain.months import days_in, month_of
from coop.domain.problems import N_, Problem
from coop.domain.recovery import Note, as_number, fmt, is_finite

SAMPLE_TYPES = ("feed", "concentrate", "tailings", "waste")
PERIODS = ("month", "quarter", "year")

# --- messages ----------------------------------------------------------------------------------

IN_THE_FUTURE = N_("must not be after today (%(today)s).")
MONTH_IN_THE_FUTURE = N_("must not be after the current month (%(month)s).")
CONCENTRATE_OVER_ORE = N_(
    "must not exceed the ore processed (%(ore_processed_t)s t): the concentrate is made from the "
    "ore processed, so it cannot weigh more."
)


PRODUCED_WITHOUT_FEED_SAMPLE = N_(
    "%(mine)s produced in %(month)s but has no feed sample that month."
)
PRODUCED_WITHOUT_TAILINGS_SAMPLE = N_(
    "%(mine)s produced in %(month)s but has no tailings sample that month."
)
TAILINGS_AT_OR_ABOVE_FEED = N_(
    "%(mine)s, %(month)s: the mean tailings grade %(t)s %% is not below the mean feed grade "
    "%(f)s %%."
)
CONCENTRATE_BELOW_FEED = N_(
    "%(mine)s, %(month)s: the mean concentrate grade %(c)s %% is below the mean feed grade "
    "%(f)s %%."
)


class GradeSummary(NamedTuple):
    counts: dict  # type -> number of samples with a finite grade (every SAMPLE_TYPES key)
    means: dict  # type -> arithmetic mean grade, None where there is no sample


def mean_grades(samples):
    """Counts and mean grades by type of (sample_type, grade) pairs; non-finite grades and
    unknown types are left out."""
    values = {kind: [] for kind in SAMPLE_TYPES}
    for kind, grade in samples:
        grade = as_number(grade)
        if kind in values and is_finite(grade):
            values[kind].append(grade)
    return GradeSummary(
        {kind: len(v) for kind, v in values.items()},
        {kind: (math.fsum(v) / len(v) if v else None) for kind, v in values.items()},
    )


# --- periods -----------------------------------------------------------------------------------

_MONTH_TEXT = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])(?:-([0-9]{2}))?")
_LABEL = re.compile(r"([0-9]{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?")


def _check_period(period):
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


def _year_month(day_or_month):
    if isinstance(day_or_month, date):  # a datetime, or pandas's Timestamp, is a date
        return day_or_month.year, day_or_month.month
    if isinstance(day_or_month, str):
        match = _MONTH_TEXT.fullmatch(day_or_month.strip())
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if match.group(3) is not None:
                date(year, month, int(match.group(3)))  # a ValueError for a day that is not
            return year, month
    raise ValueError(f"not a date or a YYYY-MM month: {day_or_month!r}")


def period_of(day_or_month, period="month"):
    """The label of the period holding a day (date, datetime, "YYYY-MM-DD") or a month
    ("YYYY-MM"): "2005" for a year, "2005-Q1" for a quarter, "2005-03" for a month."""
    _check_period(period)
    year, month = _year_month(day_or_month)
    if period == "year":
        return f"{year:04d}"
    if period == "quarter":
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    return f"{year:04d}-{month:02d}"


def period_bounds(label):
    """(first day, last day) of a period label ("2005", "2005-Q1", "2005-03")."""
    match = _LABEL.fullmatch(str(label).strip())
    if match is None or int(match.group(1)) == 0:
        raise ValueError(f"not a period label: {label!r}")
    year = int(match.group(1))
    if match.group(2):
        first = last = int(match.group(2))
    elif match.group(3):
        first = 3 * int(match.group(3)) - 2
        last = first + 2
    else:
        first, last = 1, 12
    return date(year, first, 1), date(year, last, days_in(year, last))


# --- data quality ------------------------------------------------------------------------------


def is_producing(ore_mined_t=None, ore_processed_t=None):
    """Whether a month of production mined or processed any ore."""
    return any(is_finite(x) and x > 0 for x in (as_number(ore_mined_t), as_number(ore_processed_t)))


#: The samples a producing month needs, and the note of each one missing.
REQUIRED_SAMPLES = {
    "feed": PRODUCED_WITHOUT_FEED_SAMPLE,
    "tailings": PRODUCED_WITHOUT_TAILINGS_SAMPLE,
}


def unsampled(counts):
    """The required sample types (REQUIRED_SAMPLES) a month has none of; counts: by type."""
    return [kind for kind in REQUIRED_SAMPLES if not (counts or {}).get(kind)]


def sampling_flags(mine, month, counts, ore_mined_t=None, ore_processed_t=None):
    """Notes for a producing month (ore mined or processed > 0) with no feed or no tailings
    sample; counts: samples that month by type."""
    if not is_producing(ore_mined_t, ore_processed_t):
        return []
    return [
        Note(REQUIRED_SAMPLES[kind], {"mine": str(mine), "month": str(month)})
        for kind in unsampled(counts)
    ]


def reporting_gaps(production, counts):
    """What an active mine has not reported for a month: "production" when no production is
    recorded; "samples" when it produced, or its production is not known, without a sample of
    each required type (unsampled). production: {ore_mined_t, ore_processed_t} or None; counts:
    samples that month by type."""
    gaps = ["production"] if production is None else []
    if (production is None or is_producing(**production)) and unsampled(counts):
        gaps.append("samples")
    return gaps


def grade_flags(mine, month, f=None, c=None, t=None):
    """Notes for mean grades out of order: tailings at or above feed, concentrate below feed
    (each only when both grades are known)."""
    f, c, t = as_number(f), as_number(c), as_number(t)
    params = {"mine": str(mine), "month": str(month), "f": fmt(f)}
    flags = []
    if is_finite(f) and is_finite(t) and t >= f:
        flags.append(Note(TAILINGS_AT_OR_ABOVE_FEED, params | {"t": fmt(t)}))
    if is_finite(f) and is_finite(c) and c < f:
        flags.append(Note(CONCENTRATE_BELOW_FEED, params | {"c": fmt(c)}))
    return flags


def data_quality_flags(mine, month, counts, means, ore_mined_t=None, ore_processed_t=None):
    """sampling_flags and grade_flags of one mine's month; means: mean grade by type."""
    means = means or {}
    return sampling_flags(mine, month, counts, ore_mined_t, ore_processed_t) + grade_flags(
        mine, month, means.get("feed"), means.get("concentrate"), means.get("tailings")
    )


# --- one sample, one month: the rules beyond each field's own (those are SampleSchema's and
# ProductionSchema's: types, ranges, choices) ----------------------------------------------------


def sample_problems(values, today):
    """Problems with one sample's values (its fields read by SampleSchema): it was not taken
    after today."""
    day = values.get("sampled_on")
    if isinstance(day, datetime):
        day = day.date()
    if day is not None and day > today:
        return [Problem("sampled_on", IN_THE_FUTURE, {"today": today.isoformat()})]
    return []


def sampled_after_today(days, today):
    """sample_problems's rule over a whole column of an import: which of days (a numpy
    datetime64 array, NaT where there is no day) are after today."""
    import numpy as np  # only where an import needs it

    return days > np.datetime64(today, "us")


def production_problems(values, today):
    """Problems with one month of production's values (its fields read by ProductionSchema):
    the month is not after today's; concentrate_t is not above ore_processed_t (the
    concentrate is made from the ore processed). ore_processed_t may exceed ore_mined_t (ore
    from a stockpile)."""
    problems = []
    month, current = values.get("month"), month_of(today)
    if month is not None and month > current:
        problems.append(Problem("month", MONTH_IN_THE_FUTURE, {"month": current}))
    concentrate, processed = values.get("concentrate_t"), values.get("ore_processed_t")
    if concentrate is not None and processed is not None and concentrate > processed:
        problems.append(
            Problem("concentrate_t", CONCENTRATE_OVER_ORE, {"ore_processed_t": fmt(processed)})
        )
    return problems


def period_kind(label):
    """ "year", "quarter" or "month": the kind of a period label ("2005", "2005-Q1", "2005-03")."""
    period_bounds(label)  # a ValueError for a label that is none
    match = _LABEL.fullmatch(str(label).strip())
    return "month" if match.group(2) else "quarter" if match.group(3) else "year"


def periods_between(first, last):
    """Every period from the label first to the label last (of one kind), both included: the
    periods of a chart's axis, those without data included ([] when last is before first)."""
    kind = period_kind(first)
    if period_kind(last) != kind:
        raise ValueError(f"{first!r} and {last!r} are not periods of one kind")
    labels, start = [], period_bounds(first)[0]
    end = period_bounds(last)[0]
    while start <= end:
        labels.append(period_of(start, kind))
        start = period_bounds(labels[-1])[1] + timedelta(days=1)
    return labels


# --- production totals -------------------------------------------------------------------------

#: The figures of a month of production that add up over a period (the annual report's names).
PRODUCTION_FIGURES = ("ore_mined_t", "ore_processed_t", "concentrate_t", "revenue_rmb")


def _total(values):
    """The sum of the values given; None when none is."""
    known = [v for v in values if v is not None]
    return sum(known[1:], known[0]) if known else None


def production_totals(months, period="year", concentrate_grades=None):
    """The production of each mine and period, and of the association, from months of
    production (mappings with mine_code, month and PRODUCTION_FIGURES).

    Each figure is the sum of the months that give it (None when none does), with `months` the
    number of months recorded. `metal_t`, the zinc in the concentrate, is concentrate_t times the
    period's mean concentrate grade (concentrate_grades: {(mine_code, period): Zn %}) / 100, the
    numerator of the mass balance; None without a grade. The association's items (mine_code
    None, first in each period) add the mines'; its metal_t only when every mine that made
    concentrate in the period has its metal_t, since a sum without it would understate it; its
    `months` are the mines' months added up. Sorted by period, then mine code."""
    _check_period(period)
    grades = concentrate_grades or {}
    groups = {}
    for row in months:
        key = (period_of(row["month"], period), row["mine_code"])
        groups.setdefault(key, []).append(row)
    items = []
    for (label, code), rows in groups.items():
        item = {"mine_code": code, "period": label, "months": len(rows)}
        item |= {name: _total(row[name] for row in rows) for name in PRODUCTION_FIGURES}
        grade = grades.get((code, label))
        concentrate = item["concentrate_t"]
        item["metal_t"] = (
            None if concentrate is None or grade is None else concentrate * grade / 100
        )
        items.append(item)
    for label in sorted({item["period"] for item in items}):
        mines = [item for item in items if item["period"] == label and item["mine_code"]]
        association = {
            "mine_code": None,
            "period": label,
            "months": sum(m["months"] for m in mines),
        }
        association |= {name: _total(m[name] for m in mines) for name in PRODUCTION_FIGURES}
        made = [m for m in mines if m["concentrate_t"]]
        association["metal_t"] = (
            _total(m["metal_t"] for m in made)
            if all(m["metal_t"] is not None for m in made)
            else None
        )
        items.append(association)
    items.sort(key=lambda i: (i["period"], i["mine_code"] is not None, i["mine_code"] or ""))
    return items
