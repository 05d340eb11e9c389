"""Recovery of the zinc in the ore (docs/design.md "Production and assays"), by two methods, and a
report says which one each figure comes from (`Recovery.method`):

- two-product: ``R = 100 c (f - t) / (f (c - t))`` from the mean zinc grades of feed, concentrate
  and tailings; defined only when each has a sample in the period and ``c > f > t >= 0``. It can
  never be below ``100 (f - t) / f`` (91.95 % for the DAOA's 2005 f = 3.48, t = 0.28), which is
  why the DAOA's 91.25 % can only come from weighed tonnages;
- mass balance: ``R = 100 (concentrate_t c) / (ore_processed_t f)``, from the month's tonnages;

and for the association, the two-product formula on the pooled grades and the
feed-metal-weighted mean of the mines' recoveries. Both are computed exactly (fractions of the
floats given) and rounded once, so a value is always within 0..100: a result that would be
outside it is a data problem and is refused with a reason.

A recovery that cannot be computed, or a warning, gives a `Note(message, params)`: an English
message marked with N_, translated where it is shown. Every message that holds a ``%%`` has
params, so that ``message % params`` (what gettext with params does) always applies; numbers in
a Note's params are already formatted as text (grades and tonnes to 6 significant digits,
recoveries and gaps to 2 decimals). Pure functions: no Flask, no database."""

import math
import numbers
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from coop.domain.problems import N_

#: The types the two-product formula needs, in the order its messages name them.
RECOVERY_TYPES = ("feed", "concentrate", "tailings")

TWO_PRODUCT = "two_product"
MASS_BALANCE = "mass_balance"
FEED_METAL_WEIGHTED = "feed_metal_weighted"

#: A gap between the two methods above this many points is a data-quality warning.
RECOVERY_GAP_LIMIT = 5.0


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

# --- numbers -----------------------------------------------------------------------------------


def as_number(value):
    """value as a float; None stays None; anything that is not a number is NaN."""
    if value is None:
        return None
    if isinstance(value, bool):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return math.nan


def is_finite(x):
    return x is not None and math.isfinite(x)


def _grade_ok(x):
    return is_finite(x) and 0 <= x <= 100


def fmt(value):
    """A grade, tonnage or count as text for a message: 6 significant digits ('3.48', '610.669')."""
    if value is None:
        return "—"
    if isinstance(value, numbers.Real | Decimal):
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
    grades = {"feed": as_number(f), "concentrate": as_number(c), "tailings": as_number(t)}
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


def mass_balance_recovery(concentrate_t, c, ore_processed_t, f):
    """Recovery (percent) by mass balance: ``100 (concentrate_t c) / (ore_processed_t f)``.

    Recovery(None, Note) when a tonnage or grade is missing, not a finite number, a tonnage is
    negative or a grade outside 0..100, no ore was processed, the feed grade is 0, there is no
    metal in the concentrate (0 t or 0 %), or the metal in the concentrate exceeds the metal in
    the ore processed (a data problem)."""
    ct, c, op, f = as_number(concentrate_t), as_number(c), as_number(ore_processed_t), as_number(f)
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
    if not (
        is_finite(op) and is_finite(ct) and op >= 0 and ct >= 0 and _grade_ok(f) and _grade_ok(c)
    ):
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
    return as_number(recovery)


def recovery_gap_warning(two_product, mass_balance, limit=RECOVERY_GAP_LIMIT):
    """A Note when both recoveries (Recovery or float) exist and differ by more than limit
    points (compared exactly), else None."""
    a, b = _value(two_product), _value(mass_balance)
    if not (is_finite(a) and is_finite(b)):
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
        op, f, recovery = as_number(row[0]), as_number(row[1]), _value(row[2])
        mine = row[3] if len(row) > 3 and row[3] is not None else f"#{position}"
        if op is None:
            return _weighted_none(MINE_NO_ORE_PROCESSED, mine=mine)
        if op == 0:
            continue
        if f is None:
            return _weighted_none(MINE_NO_FEED_GRADE, mine=mine)
        if recovery is None:
            return _weighted_none(MINE_NO_RECOVERY, mine=mine)
        if not (is_finite(op) and op > 0 and _grade_ok(f) and _grade_ok(recovery)):
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
