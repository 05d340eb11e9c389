"""Production and assay rules (coop/domain/assays.py), against values worked out by hand; no app,
no database. Properties (hypothesis): a recovery is a number within 0..100 or None with a reason,
whatever the input; the vectorised frame check finds what the row-by-row one finds."""

import math
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.domain import assays, recovery
from coop.domain.assays import (
    SAMPLE_TYPES,
    data_quality_flags,
    grade_flags,
    is_producing,
    mean_grades,
    period_bounds,
    period_of,
    reporting_gaps,
    sampling_flags,
    unsampled,
)
from coop.domain.recovery import (
    FEED_METAL_WEIGHTED,
    MASS_BALANCE,
    TWO_PRODUCT,
    MineRecovery,
    Note,
    Recovery,
    association_recovery,
    mass_balance_recovery,
    recovery_gap_warning,
    two_product_recovery,
    weighted_recovery,
)
from tests.helpers import marked_messages

TODAY = date(2025, 6, 15)
ALL = {"feed": 1, "concentrate": 1, "tailings": 1}


MARKED = marked_messages(assays) | marked_messages(recovery)


def text(note):
    """A Note or Problem as a person reads it in English; checks that it can be translated: its
    message is marked for extraction, and its params fill every placeholder."""
    assert note.message in MARKED, note.message
    return note.message % note.params if note.params else note.message


def messages(problems):
    return [(p.field, text(p)) for p in problems]


def assert_recovery(result):
    """The promise: a number within 0..100 and no reason, or None and a reason."""
    assert isinstance(result, Recovery)
    if result.value is None:
        assert isinstance(result.reason, Note)
        text(result.reason)
        assert not result.ok
    else:
        assert result.reason is None
        assert isinstance(result.value, float)
        assert 0.0 <= result.value <= 100.0
        assert result.ok


# two-product recovery --------------------------------------------------------------------------


def test_two_product_by_hand():
    # f = 3.48, c = 50, t = 0.28: R = 100 * 50 * (3.48 - 0.28) / (3.48 * (50 - 0.28))
    #   = 100 * 50 * 3.20 / (3.48 * 49.72) = 16000 / 173.0256 = 92.4718654...%
    result = two_product_recovery(
        3.48, 50, 0.28, counts={"feed": 90, "concentrate": 30, "tailings": 96}
    )
    assert result == Recovery(pytest.approx(92.4718654349), None, TWO_PRODUCT)
    assert result.value == pytest.approx(16000 / 173.0256, rel=1e-15)


def test_two_product_without_tailings_loss_is_100():
    # t = 0: c f / (f c) = 1
    assert two_product_recovery(3.0, 50.0, 0.0).value == 100.0


def test_two_product_floor_for_the_daoa_grades():
    # c (f - t) / (f (c - t)) falls towards (f - t) / f = 3.20 / 3.48 = 0.91954... as c grows:
    # no concentrate grade brings the DAOA's reported 91.25 %.
    floor = 100 * 3.20 / 3.48
    for c in (3.49, 5, 20, 50, 60, 99.99, 100):
        assert two_product_recovery(3.48, c, 0.28).value >= floor > 91.25
    # it tends to the floor as c grows: c = 100 gives 100 * 100 * 3.2 / (3.48 * 99.72) = 92.21
    assert two_product_recovery(3.48, 100, 0.28).value == pytest.approx(32000 / 347.0256)


@pytest.mark.parametrize(
    ("f", "c", "t", "expected"),
    [
        (3.48, 3.48, 0.28, "concentrate grade 3.48 % is not above the feed grade 3.48 %."),
        (3.48, 2.0, 0.28, "concentrate grade 2 % is not above the feed grade 3.48 %."),
        (3.48, 50, 3.48, "tailings grade 3.48 % is not below the feed grade 3.48 %."),
        (3.48, 50, 4.1, "tailings grade 4.1 % is not below the feed grade 3.48 %."),
        (0, 50, 0, "tailings grade 0 % is not below the feed grade 0 %."),
        (0.0, 0.0, 0.0, "tailings grade 0 % is not below the feed grade 0 %."),
        (
            3.48,
            50,
            -0.1,
            "grades must be finite numbers from 0 to 100 % (feed 3.48, concentrate 50, "
            "tailings -0.1).",
        ),
        (
            math.nan,
            50,
            0.28,
            "grades must be finite numbers from 0 to 100 % (feed nan, concentrate 50, "
            "tailings 0.28).",
        ),
        (
            3.48,
            math.inf,
            0.28,
            "grades must be finite numbers from 0 to 100 % (feed 3.48, concentrate inf, "
            "tailings 0.28).",
        ),
        (
            3.48,
            100.5,
            0.28,
            "grades must be finite numbers from 0 to 100 % (feed 3.48, concentrate 100.5, "
            "tailings 0.28).",
        ),
    ],
)
def test_two_product_refused(f, c, t, expected):
    result = two_product_recovery(f, c, t, counts=ALL, period="2005-03")
    assert result.value is None
    assert result.method == TWO_PRODUCT
    assert text(result.reason) == expected


def test_two_product_both_out_of_order_names_the_tailings_first():
    result = two_product_recovery(3.0, 2.0, 4.0)
    assert text(result.reason) == "tailings grade 4 % is not below the feed grade 3 %."


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"feed": 3, "tailings": 2}, "no concentrate assay in 2005-03."),
        ({"feed": 3, "concentrate": 0, "tailings": 2}, "no concentrate assay in 2005-03."),
        ({"concentrate": 1, "tailings": 2}, "no feed assay in 2005-03."),
        ({"feed": 1, "concentrate": 1, "waste": 4}, "no tailings assay in 2005-03."),
        ({"tailings": 1}, "no feed or concentrate assay in 2005-03."),
        ({"concentrate": 1}, "no feed or tailings assay in 2005-03."),
        ({"feed": 1}, "no concentrate or tailings assay in 2005-03."),
        ({}, "no feed, concentrate or tailings assay in 2005-03."),
        ({"waste": 12}, "no feed, concentrate or tailings assay in 2005-03."),
    ],
)
def test_two_product_missing_types(counts, expected):
    result = two_product_recovery(3.48, 50, 0.28, counts=counts, period="2005-03")
    assert result.value is None
    assert text(result.reason) == expected
    assert result.reason.params == {"period": "2005-03"}


def test_two_product_missing_grades_and_no_period():
    assert text(two_product_recovery(None, 50, 0.28).reason) == "no feed assay."
    assert text(two_product_recovery(3.48, None, None).reason) == (
        "no concentrate or tailings assay."
    )
    assert (
        text(two_product_recovery(None, None, None, period="2005").reason)
        == "no feed, concentrate or tailings assay in 2005."
    )
    # a count of samples and a grade that is None: still missing
    assert text(two_product_recovery(3.48, None, 0.28, counts=ALL, period="2005-Q1").reason) == (
        "no concentrate assay in 2005-Q1."
    )
    # counts not given: the grades alone decide
    assert two_product_recovery(3.48, 50, 0.28).value == pytest.approx(92.4718654349)


def test_two_product_takes_decimals_and_numpy():
    expected = two_product_recovery(3.48, 50, 0.28).value
    assert two_product_recovery(Decimal("3.48"), Decimal(50), Decimal("0.28")).value == expected
    assert two_product_recovery(np.float64(3.48), np.int64(50), np.float32(0.28)).ok


def test_two_product_at_the_float_edges():
    # f just above t, c just above f: still a number, within 0..100
    f = math.nextafter(0.28, 1)
    assert_recovery(two_product_recovery(f, math.nextafter(f, 1), 0.28))
    assert 0 < two_product_recovery(f, 50, 0.28).value < 1e-10
    # the tiniest grades there are
    tiny = 5e-324
    assert_recovery(two_product_recovery(2 * tiny, 3 * tiny, tiny))
    assert two_product_recovery(2 * tiny, 3 * tiny, tiny).value == pytest.approx(75.0)
    assert two_product_recovery(2 * tiny, 100, 0).value == 100.0


grades = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=100),
    st.sampled_from([0.0, -0.0, 0.28, 3.48, 50.0, 100.0, 5e-324, math.nextafter(100, 0)]),
)
counts = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(SAMPLE_TYPES), st.integers(min_value=0, max_value=3)),
)


@settings(max_examples=500, deadline=None)
@given(f=grades, c=grades, t=grades, counts=counts, period=st.one_of(st.none(), st.just("2005")))
def test_two_product_is_a_percentage_or_none_with_a_reason(f, c, t, counts, period):
    result = two_product_recovery(f, c, t, counts=counts, period=period)
    assert_recovery(result)
    if result.ok:
        assert c > f > t >= 0
        # the exact value, rounded once
        F, C, T = Fraction(f), Fraction(c), Fraction(t)
        assert result.value == float(100 * C * (F - T) / (F * (C - T)))


@settings(max_examples=500, deadline=None)
@given(
    t=st.floats(min_value=0, max_value=99),
    df=st.floats(min_value=1e-9, max_value=1),
    dc=st.floats(min_value=1e-9, max_value=1),
)
def test_two_product_is_never_below_its_floor(t, df, dc):
    f = t + df * (100 - t)
    c = f + dc * (100 - f)
    if not 100 >= c > f > t:
        return
    value = two_product_recovery(f, c, t).value
    # the limit as c grows, 100 (f - t) / f, exactly and then rounded (rounding keeps order)
    assert float(100 * (Fraction(f) - Fraction(t)) / Fraction(f)) <= value <= 100


# mass balance ----------------------------------------------------------------------------------


def test_mass_balance_by_hand_exactly_91_25():
    # ore 10,000 t at 4 %: 400 t of zinc; concentrate 730 t at 50 %: 365 t; 365 / 400 = 91.25 %
    assert mass_balance_recovery(730, 50, 10_000, 4) == Recovery(91.25, None, MASS_BALANCE)


def test_mass_balance_for_the_daoa_figure():
    # ore 10,000 t at 3.48 % holds 348 t of zinc; 91.25 % of it is 317.55 t, which at c = 52 %
    # is 317.55 / 0.52 = 610.673... t of concentrate.
    concentrate_t = 0.9125 * 10_000 * 3.48 / 52
    assert concentrate_t == pytest.approx(610.6730769)
    assert mass_balance_recovery(concentrate_t, 52, 10_000, 3.48).value == pytest.approx(91.25)
    # weighed to 10 kg: 610.67 t * 52 % / 348 t = 91.2495...%
    assert mass_balance_recovery(610.67, 52, 10_000, 3.48).value == pytest.approx(
        100 * 610.67 * 52 / 34_800
    )


def test_all_metal_recovered_is_exactly_100():
    assert mass_balance_recovery(100, 40, 1000, 4).value == 100.0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((None, 52, 10_000, 3.48), "no tonnage of concentrate is recorded."),
        ((600, 52, None, 3.48), "no tonnage of ore processed is recorded."),
        ((None, 52, None, 3.48), "no tonnage of ore processed or of concentrate is recorded."),
        ((600, None, 10_000, 3.48), "no concentrate assay."),
        ((600, 52, 10_000, None), "no feed assay."),
        ((600, None, 10_000, None), "no feed or concentrate assay."),
        ((600, 52, 0, 3.48), "no ore was processed (0 t)."),
        ((0, 52, 0, 3.48), "no ore was processed (0 t)."),
        ((600, 52, 10_000, 0), "the feed grade is 0 %: the feed holds no metal."),
        ((0, 52, 10_000, 3.48), "no metal in concentrate (0 t at 52 %)."),
        ((600, 0, 10_000, 3.48), "no metal in concentrate (600 t at 0 %)."),
        (
            (700, 52, 10_000, 3.48),
            "the metal in concentrate (364 t) exceeds the metal in the ore processed (348 t): a "
            "tonnage or a grade is wrong.",
        ),
        (
            (-600, 52, 10_000, 3.48),
            "tonnages must be finite and not negative, grades finite numbers from 0 to 100 % (ore "
            "processed 10000 t at 3.48 %, concentrate -600 t at 52 %).",
        ),
        (
            (600, 52, math.nan, 3.48),
            "tonnages must be finite and not negative, grades finite numbers from 0 to 100 % (ore "
            "processed nan t at 3.48 %, concentrate 600 t at 52 %).",
        ),
        (
            (600, 52, math.inf, 3.48),
            "tonnages must be finite and not negative, grades finite numbers from 0 to 100 % (ore "
            "processed inf t at 3.48 %, concentrate 600 t at 52 %).",
        ),
        (
            (600, 152, 10_000, 3.48),
            "tonnages must be finite and not negative, grades finite numbers from 0 to 100 % (ore "
            "processed 10000 t at 3.48 %, concentrate 600 t at 152 %).",
        ),
    ],
)
def test_mass_balance_refused(args, expected):
    result = mass_balance_recovery(*args)
    assert result.value is None
    assert result.method == MASS_BALANCE
    assert text(result.reason) == expected


def test_mass_balance_at_the_exact_edge():
    # the metal in concentrate equals the metal in feed to the last bit: 100, not above
    ore, f = 0.1, 0.3  # neither is exact in binary
    concentrate_t, c = 0.3, 0.1
    assert mass_balance_recovery(concentrate_t, c, ore, f).value == 100.0
    # one bit more concentrate: the metal exceeds the feed's, refused rather than 100.00000001
    result = mass_balance_recovery(math.nextafter(concentrate_t, 1), c, ore, f)
    assert result.value is None
    assert result.reason.message == recovery.METAL_EXCEEDS_FEED


tonnages = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e7),
    st.sampled_from([0.0, 610.67, 10_000.0, 5e-324, 1e308]),
)


@settings(max_examples=500, deadline=None)
@given(concentrate_t=tonnages, c=grades, ore_processed_t=tonnages, f=grades)
def test_mass_balance_is_a_percentage_or_none_with_a_reason(concentrate_t, c, ore_processed_t, f):
    result = mass_balance_recovery(concentrate_t, c, ore_processed_t, f)
    assert_recovery(result)
    if result.ok:
        exact = Fraction(concentrate_t) * Fraction(c) / (Fraction(ore_processed_t) * Fraction(f))
        assert result.value == float(100 * exact)
        assert 0 < exact <= 1


# the gap between the two -----------------------------------------------------------------------


def test_gap_warning():
    note = recovery_gap_warning(97.5, 91.25)
    assert text(note) == (
        "the two-product recovery (97.50 %) and the mass-balance recovery (91.25 %) differ by "
        "6.25 points, more than 5: check the grades and the tonnages."
    )
    assert recovery_gap_warning(91.25, 97.5).params["gap"] == "6.25"
    assert recovery_gap_warning(96.25, 91.25) is None  # exactly 5 points is not more than 5
    assert recovery_gap_warning(96.26, 91.25) is not None
    assert recovery_gap_warning(93.0, 91.25, limit=1.0) is not None
    assert recovery_gap_warning(None, 91.25) is None
    assert recovery_gap_warning(97.5, None) is None
    assert recovery_gap_warning(math.nan, 50.0) is None


def test_gap_warning_takes_recoveries():
    # the DAOA: two-product at least 91.95 %, mass balance 91.25 %: within 5 points
    two_product = two_product_recovery(3.48, 50, 0.28)
    mass_balance = mass_balance_recovery(0.9125 * 10_000 * 3.48 / 52, 52, 10_000, 3.48)
    assert recovery_gap_warning(two_product, mass_balance) is None
    # with poorer tailings sampling the gap grows
    assert recovery_gap_warning(two_product_recovery(3.48, 50, 0.05), mass_balance) is not None
    assert recovery_gap_warning(two_product_recovery(3.48, 2, 0.28), mass_balance) is None


# the association -------------------------------------------------------------------------------


def test_weighted_recovery_by_hand():
    # A: 1000 t at 4 % (40 t of zinc) recovered 90 %; B: 3000 t at 2 % (60 t) recovered 80 %.
    # (40 * 90 + 60 * 80) / (40 + 60) = (3600 + 4800) / 100 = 84 %
    # (a plain mean would say 85 %, a tonnage-weighted one 82.5 %)
    mines = [MineRecovery(1000, 4, 90, "A"), MineRecovery(3000, 2, 80, "B")]
    assert weighted_recovery(mines) == Recovery(84.0, None, FEED_METAL_WEIGHTED)
    assert weighted_recovery([(1000, 4, 90), (3000, 2, 80)]).value == 84.0
    # recoveries as Recovery, and a mine that processed nothing weighs nothing
    mines = [
        (1000, 4, Recovery(90.0, None, TWO_PRODUCT)),
        (3000, 2, mass_balance_recovery(1000, 4.8, 3000, 2)),  # 4800 / 6000 = 80 %
        MineRecovery(0, None, None, "idle"),
    ]
    assert weighted_recovery(mines).value == pytest.approx(84.0)


@pytest.mark.parametrize(
    ("mines", "expected"),
    [
        ([], "no mine processed ore with metal in its feed: there is nothing to weigh by."),
        (
            [(0, 4, 90)],
            "no mine processed ore with metal in its feed: there is nothing to weigh by.",
        ),
        (
            [(1000, 4, 90), MineRecovery(None, 3, 80, "NJT-02")],
            "mine NJT-02 has no tonnage of ore processed.",
        ),
        ([(1000, 4, 90), (2000, 3, None)], "mine #2 has no recovery."),
        (
            [(1000, 4, 90), (2000, 3, Recovery(None, Note("x"), TWO_PRODUCT))],
            "mine #2 has no recovery.",
        ),
        ([MineRecovery(1000, None, 90, "A")], "mine A has no feed grade."),
        (
            [MineRecovery(1000, 4, 101, "A")],
            "mine A has a tonnage, grade or recovery that is not valid "
            "(1000 t at 4 %, recovery 101 %).",
        ),
        (
            [MineRecovery(-5, 4, 90, "A")],
            "mine A has a tonnage, grade or recovery that is not valid "
            "(-5 t at 4 %, recovery 90 %).",
        ),
        (
            [MineRecovery(math.inf, 4, 90, "A")],
            "mine A has a tonnage, grade or recovery that is not valid "
            "(inf t at 4 %, recovery 90 %).",
        ),
    ],
)
def test_weighted_recovery_refused(mines, expected):
    result = weighted_recovery(mines)
    assert result.value is None
    assert result.method == FEED_METAL_WEIGHTED
    assert text(result.reason) == expected


mine_rows = st.lists(
    st.tuples(tonnages, grades, st.one_of(grades, st.floats(min_value=0, max_value=100))),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(mines=mine_rows)
def test_weighted_recovery_is_a_percentage_within_the_mines(mines):
    result = weighted_recovery(mines)
    assert_recovery(result)
    if result.ok:
        counted = [r for op, _, r in mines if op != 0]
        assert min(counted) <= result.value <= max(counted)


def test_association_recovery():
    result = association_recovery(
        3.48,
        50,
        0.28,
        counts={"feed": 90, "concentrate": 30, "tailings": 96},
        period="2005",
        mines=[(1000, 4, 90), (3000, 2, 80)],
    )
    assert result.pooled.value == pytest.approx(92.4718654349)
    assert result.weighted.value == 84.0
    result = association_recovery(3.48, 50, 0.28, counts={"feed": 1}, period="2005")
    assert text(result.pooled.reason) == "no concentrate or tailings assay in 2005."
    assert result.weighted.value is None


def test_mean_grades():
    summary = mean_grades(
        [
            ("feed", 3.0),
            ("feed", 4.0),
            ("tailings", 0.28),
            ("concentrate", 50),
            ("feed", None),
            ("feed", math.nan),
            ("slag", 1.0),
        ]
    )
    assert summary.counts == {"feed": 2, "concentrate": 1, "tailings": 1, "waste": 0}
    assert summary.means == {"feed": 3.5, "concentrate": 50.0, "tailings": 0.28, "waste": None}


# periods ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "period", "expected"),
    [
        (date(2005, 3, 31), "month", "2005-03"),
        (date(2005, 3, 31), "quarter", "2005-Q1"),
        (date(2005, 4, 1), "quarter", "2005-Q2"),
        (date(2005, 9, 30), "quarter", "2005-Q3"),
        (date(2005, 12, 31), "quarter", "2005-Q4"),
        (date(2005, 12, 31), "year", "2005"),
        (datetime(2005, 7, 1, 23, 59), "month", "2005-07"),
        (pd.Timestamp("2005-11-02"), "quarter", "2005-Q4"),
        ("2005-03", "month", "2005-03"),
        ("2005-03", "quarter", "2005-Q1"),
        ("2005-03", "year", "2005"),
        ("2005-10-09", "quarter", "2005-Q4"),
        (" 2005-01 ", "year", "2005"),
    ],
)
def test_period_of(value, period, expected):
    assert period_of(value, period) == expected


def test_period_of_refuses():
    with pytest.raises(ValueError, match="period must be one of"):
        period_of(date(2005, 1, 1), "week")
    for value in ("2005-13", "2005-3", "2005", "2005-02-30", "march", None, 2005):
        with pytest.raises(ValueError):
            period_of(value, "month")


def test_period_bounds_and_months():
    assert period_bounds("2005") == (date(2005, 1, 1), date(2005, 12, 31))
    assert period_bounds("2004-Q1") == (date(2004, 1, 1), date(2004, 3, 31))
    assert period_bounds("2005-Q4") == (date(2005, 10, 1), date(2005, 12, 31))
    assert period_bounds("2004-02") == (date(2004, 2, 1), date(2004, 2, 29))  # leap year
    assert period_bounds("2005-02") == (date(2005, 2, 1), date(2005, 2, 28))
    for label in ("2005-Q5", "2005-13", "0000", "05", ""):
        with pytest.raises(ValueError):
            period_bounds(label)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(), period=st.sampled_from(assays.PERIODS))
def test_a_day_lies_within_its_period(day, period):
    first, last = period_bounds(period_of(day, period))
    assert first <= day <= last
    assert period_of(first, period) == period_of(last, period) == period_of(day, period)


# data-quality flags ----------------------------------------------------------------------------


def test_producing():
    assert is_producing(100, None)
    assert is_producing(None, 50)
    assert is_producing(0, 0.5)
    assert not is_producing(0, 0)
    assert not is_producing(None, None)
    assert not is_producing(math.nan, -1)


def test_sampling_flags():
    flags = sampling_flags("NJT-01A", "2005-03", {"concentrate": 2}, ore_mined_t=800)
    assert [text(f) for f in flags] == [
        "NJT-01A produced in 2005-03 but has no feed sample that month.",
        "NJT-01A produced in 2005-03 but has no tailings sample that month.",
    ]
    assert flags[0].params == {"mine": "NJT-01A", "month": "2005-03"}
    # processing from a stockpile counts as producing
    flags = sampling_flags("NJT-01A", "2005-03", {"feed": 3, "tailings": 0}, 0, 120)
    assert [text(f) for f in flags] == [
        "NJT-01A produced in 2005-03 but has no tailings sample that month."
    ]
    assert sampling_flags("NJT-01A", "2005-03", {"feed": 1, "tailings": 1}, 800, 700) == []
    # a month without production needs no samples
    assert sampling_flags("NJT-01A", "2005-03", {}, 0, 0) == []
    assert sampling_flags("NJT-01A", "2005-03", None, None, None) == []


def test_grade_flags():
    flags = grade_flags("NJT-01A", "2005-03", f=3.48, c=2.5, t=3.48)
    assert [text(f) for f in flags] == [
        "NJT-01A, 2005-03: the mean tailings grade 3.48 % is not below the mean feed grade 3.48 %.",
        "NJT-01A, 2005-03: the mean concentrate grade 2.5 % is below the mean feed grade 3.48 %.",
    ]
    assert flags[0].params == {"mine": "NJT-01A", "month": "2005-03", "f": "3.48", "t": "3.48"}
    assert flags[1].params == {"mine": "NJT-01A", "month": "2005-03", "f": "3.48", "c": "2.5"}
    assert grade_flags("M", "2005-03", f=3.48, c=50, t=0.28) == []
    assert grade_flags("M", "2005-03", f=3.48, c=3.48, t=0.28) == []  # equal is not below
    assert [text(x) for x in grade_flags("M", "2005-03", f=3.48, t=4)] == [
        "M, 2005-03: the mean tailings grade 4 % is not below the mean feed grade 3.48 %."
    ]
    assert grade_flags("M", "2005-03", f=None, c=1, t=5) == []
    assert grade_flags("M", "2005-03", f=3.48, c=None, t=None) == []


def test_data_quality_flags():
    flags = data_quality_flags(
        "M",
        "2005-03",
        {"feed": 2, "concentrate": 1},
        {"feed": 3.0, "concentrate": 2.0},
        ore_processed_t=500,
    )
    assert [f.message for f in flags] == [
        assays.PRODUCED_WITHOUT_TAILINGS_SAMPLE,
        assays.CONCENTRATE_BELOW_FEED,
    ]
    assert data_quality_flags("M", "2005-03", {}, {}) == []


# messages --------------------------------------------------------------------------------------


def test_every_message_with_a_percent_sign_has_params():
    """gettext puts params in only when there are some: a %% without them would show as %%."""
    for message in MARKED:
        if "%%" in message:
            assert "%(" in message, message


def test_no_production_note():
    """For the service: a period with samples and no production row has no mass balance."""
    note = Note(recovery.NO_PRODUCTION, {"period": "2005-03"})
    assert text(note) == "no production is recorded for 2005-03."


# --- periods of a chart's axis, production totals ------------------------------------------------


@pytest.mark.parametrize(
    "first, last, expected",
    [
        ("2005", "2008", ["2005", "2006", "2007", "2008"]),
        ("2005-Q3", "2006-Q2", ["2005-Q3", "2005-Q4", "2006-Q1", "2006-Q2"]),
        ("2005-11", "2006-02", ["2005-11", "2005-12", "2006-01", "2006-02"]),
        ("2005-03", "2005-03", ["2005-03"]),
        ("2006", "2005", []),
    ],
)
def test_periods_between_keeps_the_periods_without_data(first, last, expected):
    assert assays.periods_between(first, last) == expected


def test_periods_between_needs_one_kind():
    with pytest.raises(ValueError):
        assays.periods_between("2005", "2005-03")


def month(mine, label, mined=None, processed=None, concentrate=None, revenue=None):
    return {
        "mine_code": mine,
        "month": label,
        "ore_mined_t": mined,
        "ore_processed_t": processed,
        "concentrate_t": concentrate,
        "revenue_rmb": revenue,
    }


def test_production_totals_by_hand():
    months = [
        month("M1", "2005-01", 100.0, 90.0, 6.0, Decimal("1000.00")),
        month("M1", "2005-02", 50.0, None, 4.0, None),
        month("M2", "2005-03", 10.0, 10.0, 1.0, Decimal("250.50")),
        month("M2", "2006-01"),
    ]
    items = assays.production_totals(months, "year", {("M1", "2005"): 50.0})
    assert [(i["period"], i["mine_code"]) for i in items] == [
        ("2005", None),
        ("2005", "M1"),
        ("2005", "M2"),
        ("2006", None),
        ("2006", "M2"),
    ]
    association, m1, m2, later, m2_later = items
    assert m1 == {
        "mine_code": "M1",
        "period": "2005",
        "months": 2,
        "ore_mined_t": 150.0,
        "ore_processed_t": 90.0,  # the months that give it
        "concentrate_t": 10.0,
        "revenue_rmb": Decimal("1000.00"),
        "metal_t": 5.0,  # 10 t of concentrate at 50 % Zn
    }
    assert m2["metal_t"] is None  # no concentrate grade in 2005
    assert association["months"] == 3
    assert association["ore_mined_t"] == 160.0
    assert association["revenue_rmb"] == Decimal("1250.50")
    assert association["metal_t"] is None  # M2 made concentrate of no known grade
    assert m2_later["ore_mined_t"] is None and later["ore_mined_t"] is None


def test_association_metal_is_the_mines_when_each_has_a_grade():
    months = [month("M1", "2005-01", concentrate=10.0), month("M2", "2005-02", concentrate=4.0)]
    grades = {("M1", "2005-Q1"): 50.0, ("M2", "2005-Q1"): 25.0}
    association = assays.production_totals(months, "quarter", grades)[0]
    assert association["metal_t"] == 6.0
    assert assays.production_totals([], "month") == []


def test_reporting_gaps():
    both = {"feed": 2, "tailings": 1}
    # nothing recorded: production, and samples unless both kinds were taken
    assert reporting_gaps(None, None) == ["production", "samples"]
    assert reporting_gaps(None, {"feed": 1}) == ["production", "samples"]
    assert reporting_gaps(None, both) == ["production"]
    # produced: both kinds of sample needed (a concentrate sample is not one of them)
    produced = {"ore_mined_t": 800, "ore_processed_t": None}
    assert reporting_gaps(produced, {"concentrate": 3, "tailings": 1}) == ["samples"]
    assert reporting_gaps(produced, both) == []
    # a month without ore needs no samples
    assert reporting_gaps({"ore_mined_t": 0, "ore_processed_t": 0}, None) == []
    assert unsampled({"feed": 0, "tailings": 2}) == ["feed"]
