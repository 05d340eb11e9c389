"""Samples and monthly production: lists, the quick sample form, production forms."""

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coop import clock, policy
from coop.charts import Line, Panel, chart_response, line_chart
from coop.domain.months import add_months, month_of
from coop.forms.base import select_choices
from coop.forms.production import ProductionForm, SampleForm
from coop.manifests.production import PRODUCTION, SAMPLES
from coop.registry import StartSection
from coop.services import production as service
from coop.services.members import mine_options
from coop.views.assays import (
    known_mine_or_404,
    period_labels,
    query_of,
    read_args,
    time_series,
    values,
)
from coop.views.helpers import (
    list_args,
    paginate,
    readable_mines,
    record_or_404,
    save_form,
    writable_mines,
)

bp = Blueprint("production", __name__)


@bp.before_request
@login_required
def signed_in():
    pass


def mine_select(form, kind):
    form.mine_code.choices = select_choices(writable_mines(kind))


# --- samples ---------------------------------------------------------------------------------


@bp.get("/samples/")
def samples():
    args, filters = list_args(SAMPLES)
    page = paginate(SAMPLES.select(current_user, filters))
    return render_template(
        "production/samples.html",
        page=page,
        args=args,
        mines=readable_mines(SAMPLES),
    )


@bp.get("/samples/<code>")
def sample(code):
    return render_template("production/sample.html", sample=record_or_404(SAMPLES, code))


def after_sample(form):
    """Where a saved sample goes: its page, or with "Save and add another" a new form that keeps
    the mine, date, type and laboratory (a lab's results come in runs)."""

    def page_of(saved):
        if form.another.data:
            return url_for(
                ".create_sample",
                mine_code=saved.mine_code,
                sampled_on=saved.sampled_on.isoformat(),
                sample_type=saved.sample_type,
                lab=saved.lab or "",
            )
        return url_for(".sample", code=saved.sample_code)

    return page_of


@bp.route("/samples/new", methods=["GET", "POST"])
def create_sample():
    policy.require(policy.can_write(current_user, SAMPLES))
    preset = {
        name: request.args.get(name)
        for name in ("mine_code", "sample_type", "lab")
        if request.args.get(name)
    }
    try:
        sampled_on = date.fromisoformat(request.args.get("sampled_on", ""))
    except ValueError:
        sampled_on = clock.today()
    form = SampleForm(sampled_on=sampled_on, **preset)
    mine_select(form, SAMPLES)
    return save_form(SAMPLES, form, None, "production/sample_form.html", after_sample(form))


@bp.route("/samples/<code>/edit", methods=["GET", "POST"])
def edit_sample(code):
    record = record_or_404(SAMPLES, code, write=True)
    form = SampleForm(obj=record, mine_code=record.mine_code)
    mine_select(form, SAMPLES)
    return save_form(SAMPLES, form, record, "production/sample_form.html", after_sample(form))


# --- production ------------------------------------------------------------------------------


@bp.get("/production/")
def production():
    args, filters = list_args(PRODUCTION)
    page = paginate(PRODUCTION.select(current_user, filters))
    return render_template(
        "production/production.html", page=page, args=args, mines=readable_mines(PRODUCTION)
    )


def production_page(saved):
    return url_for(".production", mine_code=saved.mine_code)


@bp.route("/production/new", methods=["GET", "POST"])
def create_production():
    policy.require(policy.can_write(current_user, PRODUCTION))
    form = ProductionForm(mine_code=request.args.get("mine_code"), month=request.args.get("month"))
    mine_select(form, PRODUCTION)
    return save_form(PRODUCTION, form, None, "production/production_form.html", production_page)


@bp.route("/production/<key>/edit", methods=["GET", "POST"])
def edit_production(key):
    record = record_or_404(PRODUCTION, key, write=True)
    form = ProductionForm(obj=record, mine_code=record.mine_code)
    mine_select(form, PRODUCTION)
    return save_form(PRODUCTION, form, record, "production/production_form.html", production_page)


def start_sections(user):
    """For an operator: its active mines that have not reported last month in full."""
    own = policy.own_enterprise_id(user)
    if own is None:
        return []
    month = add_months(month_of(clock.today()), -1)
    gaps = service.reporting_gaps(own, month)
    return (
        [StartSection(35, "production/_start.html", {"month": month, "gaps": gaps})] if gaps else []
    )


# --- production totals -----------------------------------------------------------------------


@bp.get("/production/totals")
def totals():
    """Production totals per period, of the association and of each mine (a report: every
    signed-in role reads every mine's), with their chart."""
    from coop.services.production import totals as production_totals

    context = {"mines": mine_options(), "periods": period_labels(), "raw": request.args}
    args, errors = read_args(request.args)
    if errors:
        return render_template("production/totals.html", errors=errors, **context), 400
    code = known_mine_or_404((args["mine_code"] or "").strip())
    args["mine_code"] = code
    items = production_totals(code, args["from_"], args["to"], args["period"])
    by_period = {}
    for item in items:
        by_period.setdefault(item["period"], []).append(item)
    return render_template(
        "production/totals.html",
        args=args,
        by_period=sorted(by_period.items(), reverse=True),  # the latest period first
        chart=url_for(".totals_chart", **query_of(args)) if items else None,
        **context,
    )


def as_float(value):
    return None if value is None else float(value)


def totals_figure(code, items):
    """Ore mined and processed, concentrate and its zinc, revenue, per period, on a time axis:
    three panels, since tonnes of ore, of concentrate and RMB are orders of magnitude apart."""
    items = [i for i in items if i["mine_code"] == code]
    days, slots = time_series(items)
    panels = [
        Panel(
            [
                Line(_("Ore mined"), values(slots, "ore_mined_t"), "#848482"),
                Line(_("Ore processed"), values(slots, "ore_processed_t"), "#f38400", "s"),
            ],
            _("t"),
            ylim=(0, None),
        ),
        Panel(
            [
                Line(_("Concentrate"), values(slots, "concentrate_t"), "#0067a5"),
                Line(_("Zinc in concentrate"), values(slots, "metal_t"), "#008856", "s", "--"),
            ],
            _("t"),
            ylim=(0, None),
        ),
        Panel(
            [Line(_("Revenue"), [as_float(v) for v in values(slots, "revenue_rmb")], "#be0032")],
            _("RMB"),
            ylim=(0, None),
        ),
    ]
    title = _("Production of %(mine)s", mine=code) if code else _("Production of the association")
    return line_chart(title, days, panels, _("No production in this period."), 6.2)


@bp.get("/production/totals/chart.svg")
def totals_chart():
    """The chart of the production totals of ?mine_code= (or the association's) per ?period=,
    from ?from= to ?to=. Drawn once per version of the data."""
    from coop.services.assays import data_version
    from coop.services.production import totals as production_totals

    args, errors = read_args(request.args)
    if errors:
        abort(400)
    code = known_mine_or_404((args["mine_code"] or "").strip())
    chart_of = (code, args["from_"], args["to"], args["period"])

    def draw():
        return totals_figure(code, production_totals(*chart_of))

    return chart_response((data_version(), "production", *chart_of), draw, "production")
