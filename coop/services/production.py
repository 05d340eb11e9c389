"""Creating and changing samples and monthly production. Flush, never commit: the caller
commits."""

from flask_babel import gettext as _

from coop import clock
from coop.domain import assays as rules
from coop.domain.months import month_bounds, month_of
from coop.extensions import db
from coop.formatting import month
from coop.models import Mine, Production, Sample
from coop.schemas.production import ProductionSchema, SampleSchema
from coop.services.errors import Conflict
from coop.services.members import take_mine
from coop.services.records import apply, check_unique, merged, of_mine, raise_problems, text_search
from coop.services.refs import save_new


def production_of(mine_code, month):
    return db.session.execute(
        db.select(Production)
        .join(Production.mine)
        .where(Mine.code == mine_code, Production.month == month)
    ).scalar_one_or_none()


def production_title(production):
    """A mine's month as a person names it: "NJT-01A · Mar 2005"."""
    return f"{production.mine_code} · {month(production.month)}"


def check_sample(values, sample=None):
    """The sample rules on values over the sample's (SAMPLES.check)."""
    return rules.sample_problems(merged(sample, values, SampleSchema.columns()), clock.today())


def check_production(values, production=None):
    """The production rules on values over the record's (PRODUCTION.check)."""
    current = merged(production, values, ProductionSchema.columns())
    return rules.production_problems(current, clock.today())


def save_sample(values, sample=None):
    """Create a sample (sample None) or change one; mine_code names its mine."""
    values = dict(values)
    if values.get("sample_code"):
        check_unique(Sample, "sample_code", values["sample_code"], sample)
    raise_problems(check_sample(values, sample))
    named = dict(values)
    take_mine(values)
    if sample is None:
        return save_new(SampleSchema, Sample, values, named)
    return apply(sample, values)


def save_production(values, production=None):
    """Create a mine's month of production (production None) or change one."""
    values = dict(values)
    raise_problems(check_production(values, production))
    current = merged(production, values, ProductionSchema.columns())
    other = production_of(current["mine_code"], current["month"])
    if other is not None and other is not production:
        raise Conflict(
            {
                "month": [
                    _(
                        "%(mine)s already has production for %(month)s.",
                        mine=current["mine_code"],
                        month=current["month"],
                    )
                ]
            }
        )
    take_mine(values)
    return apply(production or Production(), values)


def reporting_gaps(enterprise_id, month):
    """[(mine, gaps)] of the enterprise's active mines that have not reported month (YYYY-MM)
    in full (coop.domain.assays.reporting_gaps), by mine code."""
    mines = db.session.scalars(
        db.select(Mine)
        .where(Mine.enterprise_id == enterprise_id, Mine.status == "active")
        .order_by(Mine.code)
    ).all()
    if not mines:
        return []
    ids = [mine.id for mine in mines]
    produced = {
        row.mine_id: {"ore_mined_t": row.ore_mined_t, "ore_processed_t": row.ore_processed_t}
        for row in db.session.execute(
            db.select(Production.mine_id, Production.ore_mined_t, Production.ore_processed_t).where(
                Production.mine_id.in_(ids), Production.month == month
            )
        )
    }
    first, last = month_bounds(month)
    counts = {}
    for mine_id, sample_type, n in db.session.execute(
        db.select(Sample.mine_id, Sample.sample_type, db.func.count())
        .where(Sample.mine_id.in_(ids), Sample.sampled_on.between(first, last))
        .group_by(Sample.mine_id, Sample.sample_type)
    ):
        counts.setdefault(mine_id, {})[sample_type] = n
    found = []
    for mine in mines:
        gaps = rules.reporting_gaps(produced.get(mine.id), counts.get(mine.id))
        if gaps:
            found.append((mine, gaps))
    return found


# --- list filters (SampleFilters, ProductionFilters) ---------------------------------------


def filter_samples(query, args):
    query = text_search(query, Sample, ("sample_code", "lab"), args.get("q"))
    query = of_mine(query, Sample, args)
    if args.get("sample_type"):
        query = query.where(Sample.sample_type == args["sample_type"])
    if args.get("from_"):
        query = query.where(Sample.sampled_on >= args["from_"])
    if args.get("to"):
        query = query.where(Sample.sampled_on <= args["to"])
    return query


def filter_production(query, args):
    query = of_mine(query, Production, args)
    # from/to: the months that overlap the period
    if args.get("from_"):
        query = query.where(Production.month >= month_of(args["from_"]))
    if args.get("to"):
        query = query.where(Production.month <= month_of(args["to"]))
    return query


# --- production totals (a report, read by every signed-in role) --------------------------------


def totals(mine_code=None, start=None, end=None, period="year"):
    """The production totals (coop.domain.assays.production_totals) of the months from start's to
    end's (dates; None: no bound), by period, with the zinc in the concentrate from the assay
    summary's mean concentrate grades of the same samples. Without mine_code: each mine's items
    and the association's (mine_code None); with it, that mine's only."""
    from coop.services import assays

    query = db.select(
        Mine.code.label("mine_code"),
        Production.month,
        *(getattr(Production, name) for name in rules.PRODUCTION_FIGURES),
    ).join(Production.mine)
    if mine_code:
        query = query.where(Mine.code == mine_code)
    if start is not None:
        query = query.where(Production.month >= month_of(start))
    if end is not None:
        query = query.where(Production.month <= month_of(end))
    months = [row._asdict() for row in db.session.execute(query)]
    grades = {
        (item["mine_code"], item["period"]): item["concentrate_zn_pct"]
        for item in assays.summary(mine_code, start, end, period)
        if item["mine_code"] is not None and item["concentrate_zn_pct"] is not None
    }
    items = rules.production_totals(months, period, grades)
    return [item for item in items if item["mine_code"]] if mine_code else items
