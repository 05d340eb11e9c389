"""The assay summary (docs/design.md "Production and assays"): sample counts, mean zinc grades and
recovery by both methods per mine and period and for the association, and the monthly
data-quality flags.

The database does the heavy part: one GROUP BY over the samples by mine, month and type (count
and sum of zn_pct) and one small query of the production months. pandas then rolls months into
quarters or years by adding sums and counts, so that a period's mean grade is the mean of its
samples, never a mean of monthly means. Python loops only over the (mine, period) rows that
come out, to hand each to the formulas of coop.domain.assays, which this module only feeds.

Read, never write: nothing here flushes.
"""

from dataclasses import dataclass

import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import func, literal_column

from coop.domain import assays as rules
from coop.domain import recovery as recoveries
from coop.domain.problems import N_
from coop.extensions import db
from coop.models import AuditEntry, Mine, Production, Sample

SAMPLE_TYPES = rules.SAMPLE_TYPES
PERIODS = rules.PERIODS

ORE_PROCESSED_MISSING = N_("no tonnage of ore processed is recorded for %(months)s.")
CONCENTRATE_MISSING = N_("no tonnage of concentrate is recorded for %(months)s.")

# How recovery_note names the figure a reason is about, and a warning.
TWO_PRODUCT_REASON = N_("Two-product recovery: %(reason)s")
MASS_BALANCE_REASON = N_("Mass-balance recovery: %(reason)s")
WEIGHTED_REASON = N_("Feed-metal-weighted recovery: %(reason)s")
WARNING = N_("Warning: %(warning)s")


def text(note):
    """A domain Note in the current language."""
    return _(note.message, **note.params)


# --- the two queries ---------------------------------------------------------------------------


def month_of(column):
    """SQL for the YYYY-MM of a date column. SQLite keeps dates as ISO text; PostgreSQL has a
    date type. Constants are written into the SQL, not bound: PostgreSQL would take two bound
    'YYYY-MM' (in SELECT and in GROUP BY) for two different expressions."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, literal_column("'YYYY-MM'"))
    return func.substr(column, literal_column("1"), literal_column("7"))


@dataclass(frozen=True)
class Months:
    """What the database gives, by mine and month.

    samples: mine_id, month, sample_type, n (samples), total (sum of zn_pct);
    production: mine_id, month, ore_mined_t, ore_processed_t, concentrate_t;
    codes: {mine_id: mine code}."""

    samples: pd.DataFrame
    production: pd.DataFrame
    codes: dict


# (columns, dtypes) of the two frames; other columns are Python objects.
SAMPLE_FRAME = (
    ["mine_id", "month", "sample_type", "n", "total"],
    {"n": "int64", "total": "float64"},
)
PRODUCTION_FRAME = (
    ["mine_id", "month", "ore_mined_t", "ore_processed_t", "concentrate_t"],
    dict.fromkeys(["ore_mined_t", "ore_processed_t", "concentrate_t"], "float64"),
)


def load_months(mine_code=None, start=None, end=None):
    """The samples' counts and zinc sums by mine, month and type (samples taken from start to
    end, both included, when given) and the production of the months from start's to end's."""
    codes = dict(db.session.execute(db.select(Mine.id, Mine.code)).all())
    mine_id = next((i for i, code in codes.items() if code == mine_code), None)
    if mine_code and mine_id is None:
        return Months(_frame([], *SAMPLE_FRAME), _frame([], *PRODUCTION_FRAME), codes)

    month = month_of(Sample.sampled_on).label("month")
    # Month first in GROUP BY: led by mine_id, SQLite would walk ix_samples_mine_day and fetch
    # every row from the table in index order, over twice as slow as one scan of the table.
    samples = db.select(
        Sample.mine_id,
        month,
        Sample.sample_type,
        func.count().label("n"),
        func.sum(Sample.zn_pct).label("total"),
    ).group_by(month, Sample.mine_id, Sample.sample_type)
    production = db.select(
        Production.mine_id,
        Production.month,
        Production.ore_mined_t,
        Production.ore_processed_t,
        Production.concentrate_t,
    )
    if mine_code:
        samples = samples.where(Sample.mine_id == mine_id)
        production = production.where(Production.mine_id == mine_id)
    if start is not None:
        samples = samples.where(Sample.sampled_on >= start)
        production = production.where(Production.month >= f"{start.year:04d}-{start.month:02d}")
    if end is not None:
        samples = samples.where(Sample.sampled_on <= end)
        production = production.where(Production.month <= f"{end.year:04d}-{end.month:02d}")

    # Through the session's connection, not the ORM's result machinery: plain tuples are all
    # there is to read, and 50,000 of them come faster so.
    connection = db.session.connection()
    return Months(
        _frame(connection.execute(samples).fetchall(), *SAMPLE_FRAME),
        _frame(connection.execute(production).fetchall(), *PRODUCTION_FRAME),
        codes,
    )


def _frame(rows, columns, dtypes):
    """Rows (tuples) as a DataFrame, built column by column."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame(
        {
            name: pd.Series(column, dtype=dtypes.get(name, object))
            for name, column in zip(columns, values, strict=True)
        }
    )


# --- rolling months into periods ----------------------------------------------------------------


def _with_period(frame, period):
    """frame with a period column: each distinct month's label (coop.domain's period_of)."""
    labels = {month: rules.period_of(month, period) for month in frame["month"].unique()}
    return frame.assign(period=frame["month"].map(labels).astype(object))


def _grades(grouped):
    """From sums and counts (n, total) indexed by some levels and sample_type: {key of the other
    levels: (counts, means)}, each a dict of every sample type; a mean is None where there is no
    sample (means clipped to 0..100: a sum of floats may round a hair past it)."""
    if grouped.empty:
        return {}
    counts = grouped["n"].unstack("sample_type").reindex(columns=list(SAMPLE_TYPES))
    counts = counts.fillna(0).astype("int64")
    totals = grouped["total"].unstack("sample_type").reindex(columns=list(SAMPLE_TYPES))
    means = (totals / counts.where(counts > 0)).clip(0, 100)
    means = means.astype(object).where(means.notna(), None)
    return {
        key: (dict(zip(SAMPLE_TYPES, c, strict=True)), dict(zip(SAMPLE_TYPES, m, strict=True)))
        for key, c, m in zip(
            counts.index, counts.to_numpy().tolist(), means.to_numpy().tolist(), strict=True
        )
    }


@dataclass(frozen=True)
class Tonnage:
    """A mine's production over a period: sums, and the months that lack a tonnage."""

    months: int
    ore_mined_t: float | None
    ore_processed_t: float | None
    concentrate_t: float | None
    no_ore_processed: tuple = ()
    no_concentrate: tuple = ()


def _tonnages(production, levels):
    """{key: Tonnage} of the production rows grouped by levels."""
    if production.empty:
        return {}
    frame = production.assign(
        no_op=production["ore_processed_t"].isna(), no_ct=production["concentrate_t"].isna()
    )
    sums = frame.groupby(levels, sort=False).agg(
        months=("month", "size"),
        ore_mined_t=("ore_mined_t", "sum"),
        mined_known=("ore_mined_t", "count"),
        ore_processed_t=("ore_processed_t", "sum"),
        concentrate_t=("concentrate_t", "sum"),
        no_op=("no_op", "sum"),
        no_ct=("no_ct", "sum"),
    )
    lacking = {}
    for flag in ("no_op", "no_ct"):
        rows = frame[frame[flag]].sort_values("month")
        lacking[flag] = rows.groupby(levels, sort=False)["month"].agg(tuple).to_dict()
    found = {}
    for key, row in zip(sums.index, sums.itertuples(index=False), strict=True):
        found[key] = Tonnage(
            months=int(row.months),
            ore_mined_t=float(row.ore_mined_t) if row.mined_known else None,
            ore_processed_t=None if row.no_op else float(row.ore_processed_t),
            concentrate_t=None if row.no_ct else float(row.concentrate_t),
            no_ore_processed=lacking["no_op"].get(key, ()),
            no_concentrate=lacking["no_ct"].get(key, ()),
        )
    return found


# --- recoveries --------------------------------------------------------------------------------


def mass_balance(tonnage, means, period):
    """The mass-balance recovery of a mine's period: its summed tonnages with the period's mean
    grades; None with the reason when it has no production or a month lacks a tonnage."""
    if tonnage is None:
        return recoveries.Recovery(
            None,
            recoveries.Note(recoveries.NO_PRODUCTION, {"period": period}),
            recoveries.MASS_BALANCE,
        )
    if tonnage.no_ore_processed:
        note = recoveries.Note(
            ORE_PROCESSED_MISSING, {"months": ", ".join(tonnage.no_ore_processed)}
        )
        return recoveries.Recovery(None, note, recoveries.MASS_BALANCE)
    if tonnage.no_concentrate:
        note = recoveries.Note(CONCENTRATE_MISSING, {"months": ", ".join(tonnage.no_concentrate)})
        return recoveries.Recovery(None, note, recoveries.MASS_BALANCE)
    return recoveries.mass_balance_recovery(
        tonnage.concentrate_t, means["concentrate"], tonnage.ore_processed_t, means["feed"]
    )


def _item(mine_code, period, counts, means, two, mass):
    """One item of the summary: the JSON fields, and for the page the reasons and warnings one
    by one (translated)."""
    warning = recoveries.recovery_gap_warning(two, mass)
    mass_label = (
        WEIGHTED_REASON if mass.method == recoveries.FEED_METAL_WEIGHTED else MASS_BALANCE_REASON
    )
    notes = []
    if two.reason is not None:
        notes.append(_(TWO_PRODUCT_REASON, reason=text(two.reason)))
    if mass.reason is not None:
        notes.append(_(mass_label, reason=text(mass.reason)))
    warnings = [text(warning)] if warning is not None else []
    notes += [_(WARNING, warning=w) for w in warnings]
    return {
        "mine_code": mine_code,
        "period": period,
        "samples": dict(counts),
        "feed_zn_pct": means["feed"],
        "concentrate_zn_pct": means["concentrate"],
        "tailings_zn_pct": means["tailings"],
        "waste_zn_pct": means["waste"],
        "recovery_two_product_pct": two.value,
        "recovery_mass_balance_pct": mass.value,
        "recovery_mass_balance_method": mass.method,
        "recovery_note": " ".join(notes) or None,
        "two_product_reason": text(two.reason) if two.reason else None,
        "mass_balance_reason": text(mass.reason) if mass.reason else None,
        "warnings": warnings,
    }


NO_SAMPLES = (dict.fromkeys(SAMPLE_TYPES, 0), dict.fromkeys(SAMPLE_TYPES))


def summarise(months, period="year", association=True):
    """The summary's items from load_months's data: one per mine and period that has samples or
    production, and (with association) one per period with mine_code None, first. Sorted by
    period, then mine code."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    samples = _with_period(months.samples, period)
    production = _with_period(months.production, period)
    by_mine = samples.groupby(["mine_id", "period", "sample_type"], sort=False)[["n", "total"]]
    by_mine = by_mine.sum()
    mine_grades = _grades(by_mine)
    tonnages = _tonnages(production, ["mine_id", "period"])

    keys = sorted(set(mine_grades) | set(tonnages), key=lambda key: (key[1], months.codes[key[0]]))
    items, mines_of_period = [], {}
    for key in keys:
        mine_id, label = key
        code = months.codes[mine_id]
        counts, means = mine_grades.get(key, NO_SAMPLES)
        tonnage = tonnages.get(key)
        two = recoveries.two_product_recovery(
            means["feed"], means["concentrate"], means["tailings"], counts=counts, period=label
        )
        mass = mass_balance(tonnage, means, label)
        items.append(_item(code, label, counts, means, two, mass))
        # The association's weighted recovery counts every mine with assays for recovery in the
        # period, or that processed ore: a mine left out would leave its metal out.
        assayed = any(counts[kind] for kind in recoveries.RECOVERY_TYPES)
        processed = tonnage is not None and (tonnage.ore_processed_t or 0) > 0
        if assayed or processed:
            ore = tonnage.ore_processed_t if tonnage is not None else None
            mines_of_period.setdefault(label, []).append(
                recoveries.MineRecovery(ore, means["feed"], mass, code)
            )

    if association and items:
        pooled = _grades(by_mine.groupby(level=["period", "sample_type"]).sum())
        for label in sorted({item["period"] for item in items}):
            counts, means = pooled.get(label, NO_SAMPLES)
            recovery = recoveries.association_recovery(
                means["feed"],
                means["concentrate"],
                means["tailings"],
                counts=counts,
                period=label,
                mines=mines_of_period.get(label, ()),
            )
            items.append(_item(None, label, counts, means, recovery.pooled, recovery.weighted))
    items.sort(key=lambda item: (item["period"], item["mine_code"] is not None, item["mine_code"]))
    return items


def summary(mine_code=None, start=None, end=None, period="year"):
    """The assay summary of the samples taken from start to end (dates, both included; None: no
    bound) and the production of their months, by period ("month", "quarter" or "year").

    Without mine_code: one item per mine and period, and one per period for the association
    (mine_code None). With mine_code: that mine's items only ([] for a code no mine has)."""
    return summarise(load_months(mine_code, start, end), period, association=not mine_code)


def data_version():
    """A version of the samples, production and mines, for the charts drawn from them: the last
    entry of the audit log, which every insert, update and delete of them (an import's too) moves
    on, in the transaction that makes it. Read by the primary key, it costs nothing; a change of
    another record moves it too, which costs one more drawing, never a stale chart (max(id) of
    the samples would miss an edit or a delete, max(updated_at) a delete, and both scan)."""
    return db.session.scalar(db.select(func.max(AuditEntry.id)))


# --- data quality ------------------------------------------------------------------------------


def quality_flags(months):
    """The data-quality flags of each mine's month (coop.domain.assays.data_quality_flags): a
    producing month without a feed or a tailings sample, mean tailings at or above feed, mean
    concentrate below feed. [{"mine_code", "month", "message"}] by mine code, then month."""
    by_month = months.samples.groupby(["mine_id", "month", "sample_type"], sort=False)
    grades = _grades(by_month[["n", "total"]].sum())
    tonnages = _tonnages(months.production, ["mine_id", "month"])
    keys = sorted(set(grades) | set(tonnages), key=lambda key: (months.codes[key[0]], key[1]))
    flags = []
    for key in keys:
        code, month = months.codes[key[0]], key[1]
        counts, means = grades.get(key, NO_SAMPLES)
        tonnage = tonnages.get(key)
        notes = rules.data_quality_flags(
            code,
            month,
            counts,
            means,
            tonnage.ore_mined_t if tonnage else None,
            tonnage.ore_processed_t if tonnage else None,
        )
        flags += [{"mine_code": code, "month": month, "message": text(note)} for note in notes]
    return flags


@dataclass(frozen=True)
class Report:
    items: list
    flags: list


def report(mine_code=None, start=None, end=None, period="year"):
    """The summary's items and the data-quality flags, from one pair of queries (the page)."""
    months = load_months(mine_code, start, end)
    return Report(summarise(months, period, association=not mine_code), quality_flags(months))
