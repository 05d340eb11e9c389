"""Production and assays (DOMAIN.md "Production and assays"): recovery by the two-product formula
and by mass balance, the association's recovery, period labels, data-quality flags and the rules
for one sample or one month of production, row by row and vectorised for a bulk import. Pure
functions: no Flask, no database.

Messages are English, marked with N_ and translated where they are shown: a rule that refuses a
field gives a `Problem(field, message, params)` (coop/domain/problems.py); a recovery that cannot
be computed, a warning or a data-quality flag gives a `Note(message, params)`. Every message that
holds a ``%%`` has params, so that ``message % params`` (what gettext with params does) always
applies; numbers in a Note's params are already formatted as text (grades and tonnes to 6
significant digits, recoveries and gaps to 2 decimals).

Recovery. Two methods, and a report says which one each figure comes from (`Recovery.method`):

- two-product: ``R = 100 c (f - t) / (f (c - t))`` from the mean zinc grades of feed, concentrate
  and tailings; defined only when each has a sample in the period and ``c > f > t >= 0``. It can
  never be below ``100 (f - t) / f`` (91.95 % for the DAOA's 2005 f = 3.48, t = 0.28), which is
  why the DAOA's 91.25 % can only come from weighed tonnages;
- mass balance: ``R = 100 (concentrate_t c) / (ore_processed_t f)``, from the month's tonnages.

Both are computed exactly (fractions of the floats given) and rounded once, so a value is always
within 0..100: a result that would be outside it is a data problem and is refused with a reason.
"""

import math
import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from coop.domain.problems import N_, Problem

SAMPLE_TYPES = ("feed", "concentrate", "tailings", "waste")
#: The types the two-product formula needs, in the order its messages name them.
RECOVERY_TYPES = ("feed", "concentrate", "tailings")
PERIODS = ("month", "quarter", "year")

TWO_PRODUCT = "two_product"
MASS_BALANCE = "mass_balance"
FEED_METAL_WEIGHTED = "feed_metal_weighted"

#: A gap between the two methods above this many points is a data-quality warning.
RECOVERY_GAP_LIMIT = 5.0

#: The columns sample_problems_frame reads (pb_pct may be absent).
SAMPLE_COLUMNS = ("sample_code", "mine_code", "sampled_on", "sample_type", "zn_pct", "pb_pct")
#: Text cells beginning with these were neutralised on export by a leading quote
#: (coop/services/tabular.py): an import takes the quote off again.
FORMULA_PREFIXES = ("=", "+", "-", "@")


class Note(NamedTuple):
    """Why a figure is missing, or a warning: an English message marked with N_ and its params."""

    message: str
    params: dict = {}

    def __str__(self):
        return self.message % self.params if self.params else self.message


class Recovery(NamedTuple):
    """A recovery in percent (0..100), or None with the reason; method is TWO_PRODUCT,
    MASS_BALANCE or FEED_METAL_WEIGHTED."""

    value: float | None
    reason: Note | None = None
    method: str = ""

    @property
    def ok(self):
        return self.value is not None


# --- messages ----------------------------------------------------------------------------------

# Shared with the rest of coop (already in the catalogue).
REQUIRED = N_("is required.")
IN_RANGE = N_("must be from %(min)s to %(max)s.")
NOT_A_NUMBER = N_("must be a number.")
NOT_FINITE = N_("must be a finite number.")
NOT_A_DATE = N_("is not a valid date (use YYYY-MM-DD).")
NOT_A_MONTH = N_("is not a valid month (use YYYY-MM).")
DUPLICATE = N_("%(key)s is already on line %(line)s.")

NOT_A_CHOICE = N_("must be one of: %(choices)s.")
IN_THE_FUTURE = N_("must not be after today (%(today)s).")
MONTH_IN_THE_FUTURE = N_("must not be after the current month (%(month)s).")
NEGATIVE = N_("must not be negative.")
CONCENTRATE_OVER_ORE = N_(
    "must not exceed ore_processed_t (%(ore_processed_t)s t): the concentrate is made from the "
    "ore processed, so it cannot weigh more."
)

# Missing assays, by the set of types missing: with the period, and without one.
_MISSING = {
    ("feed",): (N_("no feed assay in %(period)s."), N_("no feed assay.")),
    ("concentrate",): (N_("no concentrate assay in %(period)s."), N_("no concentrate assay.")),
    ("tailings",): (N_("no tailings assay in %(period)s."), N_("no tailings assay.")),
    ("feed", "concentrate"): (
        N_("no feed or concentrate assay in %(period)s."),
        N_("no feed or concentrate assay."),
    ),
    ("feed", "tailings"): (
        N_("no feed or tailings assay in %(period)s."),
        N_("no feed or tailings assay."),
    ),
    ("concentrate", "tailings"): (
        N_("no concentrate or tailings assay in %(period)s."),
        N_("no concentrate or tailings assay."),
    ),
    ("feed", "concentrate", "tailings"): (
        N_("no feed, concentrate or tailings assay in %(period)s."),
        N_("no feed, concentrate or tailings assay."),
    ),
}
GRADES_INVALID = N_(
    "grades must be finite numbers from 0 to 100 %% (feed %(f)s, concentrate %(c)s, tailings "
    "%(t)s)."
)
TAILINGS_NOT_BELOW_FEED = N_("tailings grade %(t)s %% is not below the feed grade %(f)s %%.")
CONCENTRATE_NOT_ABOVE_FEED = N_("concentrate grade %(c)s %% is not above the feed grade %(f)s %%.")

NO_PRODUCTION = N_("no production is recorded for %(period)s.")
NO_ORE_PROCESSED_TONNAGE = N_("no tonnage of ore processed is recorded.")
NO_CONCENTRATE_TONNAGE = N_("no tonnage of concentrate is recorded.")
NO_TONNAGES = N_("no tonnage of ore processed or of concentrate is recorded.")
BALANCE_INVALID = N_(
    "tonnages must be finite and not negative, grades finite numbers from 0 to 100 %% (ore "
    "processed %(ore_processed_t)s t at %(f)s %%, concentrate %(concentrate_t)s t at %(c)s %%)."
)
NO_ORE_PROCESSED = N_("no ore was processed (%(ore_processed_t)s t).")
NO_FEED_METAL = N_("the feed grade is %(f)s %%: the feed holds no metal.")
NO_CONCENTRATE_METAL = N_("no metal in concentrate (%(concentrate_t)s t at %(c)s %%).")
METAL_EXCEEDS_FEED = N_(
    "the metal in concentrate (%(metal_concentrate)s t) exceeds the metal in the ore processed "
    "(%(metal_feed)s t): a tonnage or a grade is wrong."
)

RECOVERY_GAP = N_(
    "the two-product recovery (%(two_product)s %%) and the mass-balance recovery "
    "(%(mass_balance)s %%) differ by %(gap)s points, more than %(limit)s: check the grades and "
    "the tonnages."
)

NO_WEIGHT = N_("no mine processed ore with metal in its feed: there is nothing to weigh by.")
MINE_NO_ORE_PROCESSED = N_("mine %(mine)s has no tonnage of ore processed.")
MINE_NO_FEED_GRADE = N_("mine %(mine)s has no feed grade.")
MINE_NO_RECOVERY = N_("mine %(mine)s has no recovery.")
MINE_INVALID = N_(
    "mine %(mine)s has a tonnage, grade or recovery that is not valid (%(ore_processed_t)s t at "
    "%(f)s %%, recovery %(recovery)s %%)."
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


# --- numbers -----------------------------------------------------------------------------------


def _number(value):
    """value as a float; None stays None; anything that is not a number is NaN."""
    if value is None:
        return None
    if isinstance(value, bool):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return math.nan


def _finite(x):
    return x is not None and math.isfinite(x)


def _grade_ok(x):
    return _finite(x) and 0 <= x <= 100


def fmt(value):
    """A grade, tonnage or count as text for a message: 6 significant digits ('3.48', '610.669')."""
    if value is None:
        return "—"
    if isinstance(value, float | int | Decimal | np.floating | np.integer):
        return format(float(value), ".6g")
    return str(value)


def fmt_pct(value):
    """A recovery or a gap in points as text: 2 decimals ('92.47')."""
    if value is None:
        return "—"
    return format(float(value), ".2f")


def _exact(x):
    return Fraction(x)  # a finite float is exactly a fraction


def _percent(numerator, denominator):
    """100 * numerator / denominator rounded once to a float; the caller has made sure it is
    within 0..100, which correct rounding keeps (0 and 100 are floats)."""
    value = float(100 * numerator / denominator)
    return min(100.0, max(0.0, value))


def _missing_note(types, period=None):
    with_period, without = _MISSING[tuple(types)]
    if period is None:
        return Note(without, {})
    return Note(with_period, {"period": str(period)})


# --- recovery ----------------------------------------------------------------------------------


def two_product_recovery(f, c, t, counts=None, period=None):
    """Recovery (percent) by the two-product formula from mean grades f (feed), c (concentrate),
    t (tailings): ``100 c (f - t) / (f (c - t))``.

    counts: samples in the period by type ({"feed": 12, ...}), if known; a type with none (or a
    grade None) is missing. period: its label ("2005-03"), named by the reason. Defined only when
    all three are there, are finite grades within 0..100 and ``c > f > t >= 0``; otherwise
    Recovery(None, Note) naming what is missing or wrong."""
    grades = {"feed": _number(f), "concentrate": _number(c), "tailings": _number(t)}
    missing = [
        kind
        for kind in RECOVERY_TYPES
        if grades[kind] is None or (counts is not None and not (counts.get(kind) or 0) >= 1)
    ]
    if missing:
        return Recovery(None, _missing_note(missing, period), TWO_PRODUCT)
    f, c, t = grades["feed"], grades["concentrate"], grades["tailings"]
    if not all(_grade_ok(x) for x in (f, c, t)):
        return Recovery(
            None, Note(GRADES_INVALID, {"f": fmt(f), "c": fmt(c), "t": fmt(t)}), TWO_PRODUCT
        )
    if not t < f:
        return Recovery(
            None, Note(TAILINGS_NOT_BELOW_FEED, {"t": fmt(t), "f": fmt(f)}), TWO_PRODUCT
        )
    if not c > f:
        return Recovery(
            None, Note(CONCENTRATE_NOT_ABOVE_FEED, {"c": fmt(c), "f": fmt(f)}), TWO_PRODUCT
        )
    # c > f > t >= 0, so c (f - t) <= f (c - t), both positive: 0 < R <= 100.
    F, C, T = _exact(f), _exact(c), _exact(t)
    return Recovery(_percent(C * (F - T), F * (C - T)), None, TWO_PRODUCT)


def two_product_floor(f, t):
    """The least recovery the two-product formula can give for f and t, whatever c > f:
    ``100 (f - t) / f`` (the limit as c grows); None unless f > t >= 0."""
    f, t = _number(f), _number(t)
    if not (_grade_ok(f) and _grade_ok(t) and t < f):
        return None
    return _percent(_exact(f) - _exact(t), _exact(f))


def mass_balance_recovery(concentrate_t, c, ore_processed_t, f):
    """Recovery (percent) by mass balance: ``100 (concentrate_t c) / (ore_processed_t f)``.

    Recovery(None, Note) when a tonnage or grade is missing, not a finite number, a tonnage is
    negative or a grade outside 0..100, no ore was processed, the feed grade is 0, there is no
    metal in the concentrate (0 t or 0 %), or the metal in the concentrate exceeds the metal in
    the ore processed (a data problem)."""
    ct, c, op, f = _number(concentrate_t), _number(c), _number(ore_processed_t), _number(f)
    if op is None or ct is None:
        message = (
            NO_TONNAGES
            if op is None and ct is None
            else NO_ORE_PROCESSED_TONNAGE
            if op is None
            else NO_CONCENTRATE_TONNAGE
        )
        return Recovery(None, Note(message, {}), MASS_BALANCE)
    missing = [kind for kind, grade in (("feed", f), ("concentrate", c)) if grade is None]
    if missing:
        return Recovery(None, _missing_note(missing), MASS_BALANCE)
    params = {"ore_processed_t": fmt(op), "f": fmt(f), "concentrate_t": fmt(ct), "c": fmt(c)}
    if not (_finite(op) and _finite(ct) and op >= 0 and ct >= 0 and _grade_ok(f) and _grade_ok(c)):
        return Recovery(None, Note(BALANCE_INVALID, params), MASS_BALANCE)
    if op == 0:
        return Recovery(None, Note(NO_ORE_PROCESSED, {"ore_processed_t": fmt(op)}), MASS_BALANCE)
    if f == 0:
        return Recovery(None, Note(NO_FEED_METAL, {"f": fmt(f)}), MASS_BALANCE)
    if ct == 0 or c == 0:
        return Recovery(
            None, Note(NO_CONCENTRATE_METAL, {"concentrate_t": fmt(ct), "c": fmt(c)}), MASS_BALANCE
        )
    metal_concentrate, metal_feed = _exact(ct) * _exact(c), _exact(op) * _exact(f)
    if metal_concentrate > metal_feed:
        return Recovery(
            None,
            Note(
                METAL_EXCEEDS_FEED,
                {
                    "metal_concentrate": fmt(float(metal_concentrate / 100)),
                    "metal_feed": fmt(float(metal_feed / 100)),
                },
            ),
            MASS_BALANCE,
        )
    return Recovery(_percent(metal_concentrate, metal_feed), None, MASS_BALANCE)


def _value(recovery):
    if isinstance(recovery, Recovery):
        return recovery.value
    return _number(recovery)


def recovery_gap_warning(two_product, mass_balance, limit=RECOVERY_GAP_LIMIT):
    """A Note when both recoveries (Recovery or float) exist and differ by more than limit
    points (compared exactly), else None."""
    a, b = _value(two_product), _value(mass_balance)
    if not (_finite(a) and _finite(b)):
        return None
    gap = abs(_exact(a) - _exact(b))
    if gap <= _exact(float(limit)):
        return None
    return Note(
        RECOVERY_GAP,
        {
            "two_product": fmt_pct(a),
            "mass_balance": fmt_pct(b),
            "gap": fmt_pct(float(gap)),
            "limit": fmt(limit),
        },
    )


class MineRecovery(NamedTuple):
    """One mine's part in the association's feed-metal-weighted recovery; a plain
    (ore_processed_t, f, recovery) tuple works too. recovery: a float or a Recovery."""

    ore_processed_t: float | None
    f: float | None
    recovery: Any
    mine: Any = None


def weighted_recovery(mines):
    """The feed-metal-weighted mean of the mines' recoveries: weights ore_processed_t * f.

    mines: (ore_processed_t, f, recovery[, mine]) per mine. A mine that processed no ore (0 t)
    weighs nothing and is left out. Recovery(None, Note) if any other mine lacks
    ore_processed_t, a feed grade or a recovery, has one that is not valid, or no mine weighs
    anything."""
    numerator = denominator = Fraction(0)
    for position, row in enumerate(mines, 1):
        op, f, recovery = _number(row[0]), _number(row[1]), _value(row[2])
        mine = row[3] if len(row) > 3 and row[3] is not None else f"#{position}"
        if op is None:
            return _weighted_none(MINE_NO_ORE_PROCESSED, mine=mine)
        if op == 0:
            continue
        if f is None:
            return _weighted_none(MINE_NO_FEED_GRADE, mine=mine)
        if recovery is None:
            return _weighted_none(MINE_NO_RECOVERY, mine=mine)
        if not (_finite(op) and op > 0 and _grade_ok(f) and _grade_ok(recovery)):
            return _weighted_none(
                MINE_INVALID,
                mine=mine,
                ore_processed_t=fmt(op),
                f=fmt(f),
                recovery=fmt(recovery),
            )
        weight = _exact(op) * _exact(f)
        numerator += weight * _exact(recovery)
        denominator += weight
    if denominator == 0:
        return Recovery(None, Note(NO_WEIGHT, {}), FEED_METAL_WEIGHTED)
    # A mean with non-negative weights lies between the least and the greatest recovery.
    return Recovery(_percent(numerator / 100, denominator), None, FEED_METAL_WEIGHTED)


def _weighted_none(message, **params):
    return Recovery(
        None, Note(message, {k: str(v) for k, v in params.items()}), FEED_METAL_WEIGHTED
    )


class AssociationRecovery(NamedTuple):
    pooled: Recovery  # two-product on the pooled mean grades of all members' samples
    weighted: Recovery  # feed-metal-weighted mean of the mines' recoveries


def association_recovery(f, c, t, counts=None, period=None, mines=()):
    """The association's recovery for a period: the two-product formula on the pooled mean grades
    (f, c, t, with the pooled counts by type) and the feed-metal-weighted mean of the mines'
    recoveries (mines as weighted_recovery takes them)."""
    return AssociationRecovery(
        two_product_recovery(f, c, t, counts=counts, period=period), weighted_recovery(mines)
    )


class GradeSummary(NamedTuple):
    counts: dict  # type -> number of samples with a finite grade (every SAMPLE_TYPES key)
    means: dict  # type -> arithmetic mean grade, None where there is no sample


def mean_grades(samples):
    """Counts and mean grades by type of (sample_type, grade) pairs; non-finite grades and
    unknown types are left out."""
    values = {kind: [] for kind in SAMPLE_TYPES}
    for kind, grade in samples:
        grade = _number(grade)
        if kind in values and _finite(grade):
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
    if isinstance(day_or_month, date | pd.Timestamp):  # datetime is a date
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
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


def months_in(label):
    """The months ("YYYY-MM") of a period label, in order."""
    first, last = period_bounds(label)
    return [f"{first.year:04d}-{m:02d}" for m in range(first.month, last.month + 1)]


def periods_between(start, end, period="month"):
    """Every period label from the one holding start to the one holding end, both included
    (start and end as period_of takes them); [] when start is after end."""
    _check_period(period)
    (y0, m0), (y1, m1) = _year_month(start), _year_month(end)
    labels = []
    index, last = y0 * 12 + m0 - 1, y1 * 12 + m1 - 1
    while index <= last:
        label = period_of(f"{index // 12:04d}-{index % 12 + 1:02d}", period)
        if not labels or labels[-1] != label:
            labels.append(label)
        index += 1
    return labels


# --- data quality ------------------------------------------------------------------------------


def is_producing(ore_mined_t=None, ore_processed_t=None):
    """Whether a month of production mined or processed any ore."""
    return any(_finite(x) and x > 0 for x in (_number(ore_mined_t), _number(ore_processed_t)))


def sampling_flags(mine, month, counts, ore_mined_t=None, ore_processed_t=None):
    """Notes for a producing month (ore mined or processed > 0) with no feed or no tailings
    sample; counts: samples that month by type."""
    if not is_producing(ore_mined_t, ore_processed_t):
        return []
    params = {"mine": str(mine), "month": str(month)}
    flags = []
    if not (counts or {}).get("feed"):
        flags.append(Note(PRODUCED_WITHOUT_FEED_SAMPLE, params))
    if not (counts or {}).get("tailings"):
        flags.append(Note(PRODUCED_WITHOUT_TAILINGS_SAMPLE, dict(params)))
    return flags


def grade_flags(mine, month, f=None, c=None, t=None):
    """Notes for mean grades out of order: tailings at or above feed, concentrate below feed
    (each only when both grades are known)."""
    f, c, t = _number(f), _number(c), _number(t)
    params = {"mine": str(mine), "month": str(month), "f": fmt(f)}
    flags = []
    if _finite(f) and _finite(t) and t >= f:
        flags.append(Note(TAILINGS_AT_OR_ABOVE_FEED, params | {"t": fmt(t)}))
    if _finite(f) and _finite(c) and c < f:
        flags.append(Note(CONCENTRATE_BELOW_FEED, params | {"c": fmt(c)}))
    return flags


def data_quality_flags(mine, month, counts, means, ore_mined_t=None, ore_processed_t=None):
    """sampling_flags and grade_flags of one mine's month; means: mean grade by type."""
    means = means or {}
    return sampling_flags(mine, month, counts, ore_mined_t, ore_processed_t) + grade_flags(
        mine, month, means.get("feed"), means.get("concentrate"), means.get("tailings")
    )


# --- one sample, one month ---------------------------------------------------------------------


def _day(value):
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    return value


def _range_problems(field, value, required):
    if value is None or (isinstance(value, str) and not value.strip()):
        return [Problem(field, REQUIRED, {})] if required else []
    number = _number(value)
    if isinstance(value, str) or math.isnan(number):
        return [Problem(field, NOT_A_NUMBER, {})]
    if not 0 <= number <= 100:
        return [Problem(field, IN_RANGE, {"min": 0, "max": 100})]
    return []


def sample_problems(values, today):
    """Problems with one sample's parsed values (a mapping; absent is None): sampled_on a date
    not after today, sample_type one of SAMPLE_TYPES, zn_pct required and pb_pct optional, each
    a number from 0 to 100."""
    problems = []
    day = _day(values.get("sampled_on"))
    if day is None:
        problems.append(Problem("sampled_on", REQUIRED, {}))
    elif not isinstance(day, date):
        problems.append(Problem("sampled_on", NOT_A_DATE, {}))
    elif day > today:
        problems.append(Problem("sampled_on", IN_THE_FUTURE, {"today": today.isoformat()}))
    kind = values.get("sample_type")
    if kind is None or kind == "":
        problems.append(Problem("sample_type", REQUIRED, {}))
    elif kind not in SAMPLE_TYPES:
        problems.append(Problem("sample_type", NOT_A_CHOICE, {"choices": ", ".join(SAMPLE_TYPES)}))
    problems += _range_problems("zn_pct", values.get("zn_pct"), required=True)
    problems += _range_problems("pb_pct", values.get("pb_pct"), required=False)
    return problems


_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_TONNAGES = ("ore_mined_t", "ore_processed_t", "concentrate_t")


def _amount_problems(field, value):
    if value is None:
        return []
    try:
        if isinstance(value, Decimal):
            number = float(value) if value.is_finite() else math.nan
        elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool
        ):
            number = float(value)
        else:
            return [Problem(field, NOT_A_NUMBER, {})]
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        return [Problem(field, NOT_FINITE, {})]
    if number < 0:
        return [Problem(field, NEGATIVE, {})]
    return []


def production_problems(values, today):
    """Problems with one month of production's parsed values: month "YYYY-MM" not after
    today's month; tonnages and revenue_rmb finite and not negative; concentrate_t not above
    ore_processed_t. ore_processed_t may exceed ore_mined_t (ore from a stockpile)."""
    problems = []
    month = values.get("month")
    if isinstance(month, date | pd.Timestamp):
        month = f"{month.year:04d}-{month.month:02d}"
    current = f"{today.year:04d}-{today.month:02d}"
    if month is None or (isinstance(month, str) and not month.strip()):
        problems.append(Problem("month", REQUIRED, {}))
    elif not (isinstance(month, str) and _MONTH.fullmatch(month.strip())):
        problems.append(Problem("month", NOT_A_MONTH, {}))
    elif month.strip() > current:
        problems.append(Problem("month", MONTH_IN_THE_FUTURE, {"month": current}))
    bad = set()
    for field in (*_TONNAGES, "revenue_rmb"):
        found = _amount_problems(field, values.get(field))
        if found:
            bad.add(field)
        problems += found
    concentrate, processed = values.get("concentrate_t"), values.get("ore_processed_t")
    if (
        concentrate is not None
        and processed is not None
        and not {"concentrate_t", "ore_processed_t"} & bad
        and float(concentrate) > float(processed)
    ):
        problems.append(
            Problem("concentrate_t", CONCENTRATE_OVER_ORE, {"ore_processed_t": fmt(processed)})
        )
    return problems


# --- sample rows as text: one by one, and a whole frame at once --------------------------------

_NUMBER_TEXT = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_DATE_TEXT = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_NUMBER_RE = re.compile(_NUMBER_TEXT)
_DATE_RE = re.compile(_DATE_TEXT)
_QUOTED_FORMULA_RE = re.compile(r"'+[=+\-@]")


def cell_text(value):
    """A cell as text: empty for None or NaN, stripped, and a formula neutralised on export by a
    leading quote without it. Anything else is str() of it."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = (value if isinstance(value, str) else str(value)).strip()
    if _QUOTED_FORMULA_RE.match(text):
        text = text[1:]
    return text


def parse_sample_row(row):
    """One row of text cells (a mapping by SAMPLE_COLUMNS; pb_pct may be absent) -> (values,
    problems): values as sample_problems takes them (None where a cell is empty or unreadable),
    problems for cells that are required and empty, or unreadable."""
    text = {name: cell_text(row.get(name)) for name in SAMPLE_COLUMNS}
    values, problems = {}, []
    for name in ("sample_code", "mine_code"):
        values[name] = text[name] or None
        if not text[name]:
            problems.append(Problem(name, REQUIRED, {}))
    day = text["sampled_on"]
    values["sampled_on"] = None
    if day:
        try:
            if not _DATE_RE.fullmatch(day):
                raise ValueError(day)
            values["sampled_on"] = date(int(day[:4]), int(day[5:7]), int(day[8:]))
        except ValueError:
            problems.append(Problem("sampled_on", NOT_A_DATE, {}))
    values["sample_type"] = text["sample_type"] or None
    for name in ("zn_pct", "pb_pct"):
        cell = text[name]
        values[name] = None
        if cell:
            if _NUMBER_RE.fullmatch(cell):
                values[name] = float(cell)
            else:
                problems.append(Problem(name, NOT_A_NUMBER, {}))
    return values, problems


def sample_row_problems(row, today):
    """parse_sample_row, then sample_problems on the cells that could be read: (values,
    problems), problems in SAMPLE_COLUMNS order. What sample_problems_frame finds for the row,
    but for duplicates, which need the other rows."""
    values, problems = parse_sample_row(row)
    unreadable = {p.field for p in problems}
    problems += [p for p in sample_problems(values, today) if p.field not in unreadable]
    order = {name: i for i, name in enumerate(SAMPLE_COLUMNS)}
    return values, sorted(problems, key=lambda p: order[p.field])


def _frame_text(series):
    """A column of cells as an object array of text ("" for empty): cell_text of each cell."""
    text = np.array(
        [cell.strip() if type(cell) is str else cell_text(cell) for cell in series.to_numpy()],
        dtype=object,
    )
    if len(text) and ("\n'" in "\n".join(text) or text[0][:1] == "'"):
        text = np.array([cell_text(cell) for cell in text], dtype=object)  # a quoted formula
    return text


def _fullmatches(pattern, cells, whole_column=False):
    """Whether each cell (an object array of text) fullmatches pattern, a regular expression
    that cannot match a newline. With whole_column, first tried on all the cells at once (faster
    for a simple pattern when every cell matches, the common case); cell by cell otherwise."""
    if not len(cells):
        return np.zeros(0, dtype=bool)
    if whole_column:
        joined = "\n".join(cells) + "\n"
        if joined.count("\n") == len(cells) and re.fullmatch(f"(?:{pattern}\n)*", joined):
            return np.ones(len(cells), dtype=bool)
    match = re.compile(pattern).fullmatch
    return np.fromiter((match(cell) is not None for cell in cells), dtype=bool, count=len(cells))


def _read_days(text, filled):
    """(datetime64[us] array, readable mask) of YYYY-MM-DD cells: exactly that shape in ASCII
    digits, a real calendar day (pandas reads it), year 1 or later (as Python's date)."""
    days = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    readable = np.zeros(len(text), dtype=bool)
    positions = np.flatnonzero(filled)
    cells = text[positions]
    shaped = _fullmatches(_DATE_TEXT, cells, whole_column=True)
    if shaped.any():
        positions, cells = positions[shaped], cells[shaped].astype("U10")
        parsed = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
        parsed = np.asarray(parsed, dtype="datetime64[us]").copy()
        parsed[np.char.startswith(cells, "0000")] = np.datetime64("NaT")  # Python has no year 0
        ok = ~np.isnat(parsed)
        days[positions[ok]] = parsed[ok]
        readable[positions[ok]] = True
    return days, readable


def sample_problems_frame(frame, today, first_line=None):
    """Check a whole frame of sample rows (text cells as read from a CSV, columns SAMPLE_COLUMNS;
    pb_pct may be absent) at once, vectorised: the same rules and messages as
    sample_row_problems, and a sample_code repeated within the frame, naming the line that has it
    first (DUPLICATE, params key and line).

    Returns (parsed, problems). parsed is a copy of frame whose SAMPLE_COLUMNS hold the values:
    sample_code, mine_code and sample_type stripped text (object dtype, None where empty),
    sampled_on datetime64[us] (NaT where empty or unreadable), zn_pct and pb_pct float64 (NaN
    where empty or unreadable). problems is a list of (row index label, column, Problem) ordered
    by row, then column in SAMPLE_COLUMNS order. Lines count from first_line (default
    frame.attrs["first_line"], else 2: the header is line 1)."""
    missing = [name for name in SAMPLE_COLUMNS[:-1] if name not in frame.columns]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    if first_line is None:
        first_line = frame.attrs.get("first_line", 2)
    n = len(frame)
    parsed = frame.copy()
    found = []  # (column, mask of rows, Problem)

    text, filled = {}, {}
    for name in SAMPLE_COLUMNS:
        if name in frame.columns:
            text[name] = _frame_text(frame[name])
        else:
            text[name] = np.full(n, "", dtype=object)
        filled[name] = text[name] != ""

    def as_values(name):
        values = text[name].copy()
        values[~filled[name]] = None
        return pd.Series(values, index=frame.index, dtype=object)

    for name in ("sample_code", "mine_code"):
        found.append((name, ~filled[name], Problem(name, REQUIRED, {})))
        parsed[name] = as_values(name)

    days, readable = _read_days(text["sampled_on"], filled["sampled_on"])
    found.append(("sampled_on", ~filled["sampled_on"], Problem("sampled_on", REQUIRED, {})))
    found.append(
        ("sampled_on", filled["sampled_on"] & ~readable, Problem("sampled_on", NOT_A_DATE, {}))
    )
    found.append(
        (
            "sampled_on",
            readable & (days > np.datetime64(today, "us")),
            Problem("sampled_on", IN_THE_FUTURE, {"today": today.isoformat()}),
        )
    )
    parsed["sampled_on"] = pd.Series(days, index=frame.index)

    kinds = text["sample_type"]
    known = np.zeros(n, dtype=bool)
    for kind in SAMPLE_TYPES:
        known |= kinds == kind
    found.append(("sample_type", ~filled["sample_type"], Problem("sample_type", REQUIRED, {})))
    found.append(
        (
            "sample_type",
            filled["sample_type"] & ~known,
            Problem("sample_type", NOT_A_CHOICE, {"choices": ", ".join(SAMPLE_TYPES)}),
        )
    )
    parsed["sample_type"] = as_values("sample_type")

    for name, required in (("zn_pct", True), ("pb_pct", False)):
        positions = np.flatnonzero(filled[name])
        is_number = np.zeros(n, dtype=bool)
        is_number[positions] = _fullmatches(_NUMBER_TEXT, text[name][positions])
        numbers = np.full(n, np.nan)
        if is_number.any():
            numbers[is_number] = pd.to_numeric(text[name][is_number], errors="coerce")
        if required:
            found.append((name, ~filled[name], Problem(name, REQUIRED, {})))
        found.append((name, filled[name] & ~is_number, Problem(name, NOT_A_NUMBER, {})))
        with np.errstate(invalid="ignore"):
            outside = is_number & ~((numbers >= 0) & (numbers <= 100))
        found.append((name, outside, Problem(name, IN_RANGE, {"min": 0, "max": 100})))
        parsed[name] = pd.Series(numbers, index=frame.index)

    codes = pd.Series(text["sample_code"])
    first = ~codes.duplicated(keep="first").to_numpy()
    repeated = ~first & filled["sample_code"]

    order = {name: i for i, name in enumerate(SAMPLE_COLUMNS)}
    rows = []  # (position, column order, column, Problem)
    for name, mask, problem in found:
        rows.extend(
            (position, order[name], name, problem) for position in np.flatnonzero(mask).tolist()
        )
    if repeated.any():
        line_of = dict(
            zip(codes[first], (np.flatnonzero(first) + first_line).tolist(), strict=True)
        )
        for position in np.flatnonzero(repeated).tolist():
            code = codes.iat[position]
            problem = Problem("sample_code", DUPLICATE, {"key": code, "line": line_of[code]})
            rows.append((position, order["sample_code"], "sample_code", problem))
    rows.sort(key=lambda row: (row[0], row[1]))
    index = frame.index
    return parsed, [(index[position], name, problem) for position, _, name, problem in rows]
