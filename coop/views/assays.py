"""The assay summary (docs/design.md "Production and assays"): the page with grades and recovery by
both methods per period, the association first, the data-quality flags, and its charts (SVG,
coop/charts.py); and GET /api/v1/assays/summary. The summary's pandas loads with the first
request for it."""

import marshmallow as ma
from flask import Blueprint, abort, render_template, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import login_required

from coop.charts import Line, Panel, chart_response, line_chart
from coop.domain.assays import period_bounds, periods_between
from coop.domain.recovery import FEED_METAL_WEIGHTED
from coop.schemas.assays import AssaySummaryListSchema, SummaryArgs
from coop.schemas.base import not_storable
from coop.services.members import mine_by_code, mine_options

bp = Blueprint("assays", __name__)

CHARTS = ("grades", "recovery", "association")
# How many data-quality flags the page lists; the rest are counted.
SHOWN_FLAGS = 200


@bp.before_request
@login_required
def signed_in():
    pass


def period_labels():
    return {"year": _("Year"), "quarter": _("Quarter"), "month": _("Month")}


def read_args(values):
    """The filters (mine_code, from, to, period) parsed, or (None, errors)."""
    values = {k: v for k, v in values.items() if k in ("mine_code", "from", "to", "period") and v}
    try:
        return SummaryArgs().load(values), None
    except ma.ValidationError as error:
        return None, {k: [str(m) for m in v] for k, v in error.messages.items()}


def known_mine_or_404(code):
    if code and (not_storable(code) or mine_by_code(code) is None):
        abort(404)
    return code or None


def query_of(args, **extra):
    """args as URL query values again (for the chart addresses and links)."""
    query = {
        "mine_code": args["mine_code"],
        "from": args["from_"].isoformat() if args["from_"] else None,
        "to": args["to"].isoformat() if args["to"] else None,
        "period": args["period"],
    }
    return {k: v for k, v in (query | extra).items() if v}


def month_link(mine_code, month):
    first, last = period_bounds(month)
    return url_for(
        "production.samples",
        mine_code=mine_code,
        **{"from": first.isoformat()},
        to=last.isoformat(),
    )


@bp.get("/assays/")
def summary():
    from coop.services import assays

    mines = mine_options()
    args, errors = read_args(request.args)
    context = {"mines": mines, "periods": period_labels(), "raw": request.args}
    if errors:
        return render_template("assays/summary.html", errors=errors, **context), 400
    code = known_mine_or_404((args["mine_code"] or "").strip())
    args["mine_code"] = code
    report = assays.report(code, args["from_"], args["to"], args["period"])

    by_period = {}
    for item in report.items:
        by_period.setdefault(item["period"], []).append(item)
    flags = [
        flag | {"url": month_link(flag["mine_code"], flag["month"])}
        for flag in report.flags[:SHOWN_FLAGS]
    ]

    # The mine of the charts: the filter's, else the one asked for, else the first with items.
    codes = {c for c, _name in mines}
    chart_mine = code or request.args.get("chart_mine")
    if chart_mine not in codes:
        chart_mine = next((i["mine_code"] for i in report.items if i["mine_code"]), None)
    charts = {}
    if chart_mine:
        for name in ("grades", "recovery"):
            charts[name] = url_for(".chart", name=name, **query_of(args, mine_code=chart_mine))
    if not code:
        charts["association"] = url_for(
            ".chart", name="association", **query_of(args, period="year")
        )
    return render_template(
        "assays/summary.html",
        args=args,
        by_period=sorted(by_period.items(), reverse=True),  # the latest period first
        flags=flags,
        flag_count=len(report.flags),
        more_flags=len(report.flags) - len(flags),
        chart_mine=chart_mine,
        charts=charts,
        weighted=FEED_METAL_WEIGHTED,
        **context,
    )


@bp.app_template_global()
def mine_recovery_by_year(code, years=3):
    """A mine's last few years of the assay summary, the latest first (the mine's page)."""
    from coop.services import assays

    return assays.summary(code, period="year")[-years:][::-1]


# --- charts ------------------------------------------------------------------------------------


def time_series(items):
    """The periods of items (sorted, of one kind) from the first to the last, those without an
    item included: (the first day of each, the item of each or None). The chart's axis is then
    to scale, and its lines break where a period has no data."""
    if not items:
        return [], []
    by_period = {item["period"]: item for item in items}
    labels = periods_between(items[0]["period"], items[-1]["period"])
    return [period_bounds(label)[0] for label in labels], [by_period.get(p) for p in labels]


def values(slots, key):
    return [None if item is None else item[key] for item in slots]


def grades_chart(code, items):
    """Feed, concentrate and tailings grades of a mine per period: concentrate above, feed and
    tailings below (an order of magnitude apart, they would flatten on one scale)."""
    days, slots = time_series(items)
    concentrate = Line(_("Concentrate"), values(slots, "concentrate_zn_pct"), "#0067a5")
    feed = Line(_("Feed"), values(slots, "feed_zn_pct"), "#f38400")
    tailings = Line(_("Tailings"), values(slots, "tailings_zn_pct"), "#848482")
    panels = [
        Panel([concentrate], _("Zn (%)")),
        Panel([feed, tailings], _("Zn (%)"), ylim=(0, None), height=1.3),
    ]
    title = _("Zinc grades of %(mine)s", mine=code)
    return line_chart(title, days, panels, _("No assays in this period."), 4.6)


def recovery_panel(slots, mass_label):
    """Recovery by both methods, from 5 points under the lowest to 100 %."""
    two = values(slots, "recovery_two_product_pct")
    mass = values(slots, "recovery_mass_balance_pct")
    known = [v for v in two + mass if v is not None]
    lines = [
        Line(_("Two-product formula"), two, "#0067a5"),
        Line(mass_label, mass, "#008856", marker="s", style="--"),
    ]
    bottom = max(0.0, min(known) - 5) if known else 0
    return Panel(lines, _("Recovery (%)"), ylim=(bottom, 100.5))


def recovery_chart(code, items):
    days, slots = time_series(items)
    panel = recovery_panel(slots, _("Mass balance"))
    title = _("Recovery of %(mine)s", mine=code)
    return line_chart(title, days, [panel], _("No assays in this period."))


def association_chart(items):
    days, slots = time_series(items)
    panel = recovery_panel(slots, _("Mass balance (feed-metal-weighted)"))
    title = _("Recovery of the association, per year")
    return line_chart(title, days, [panel], _("No assays in this period."))


def draw(name, code, start, end, period):
    """The figure of one chart (the summary's items read only when it is drawn)."""
    from coop.services import assays

    if name == "association":
        items = [i for i in assays.summary(None, start, end, "year") if i["mine_code"] is None]
        return association_chart(items)
    items = assays.summary(code, start, end, period)
    return grades_chart(code, items) if name == "grades" else recovery_chart(code, items)


@bp.get("/assays/chart/<name>.svg")
def chart(name):
    """One chart as SVG: grades or recovery of ?mine_code= per ?period=, or the association's
    recovery per year; samples from ?from= to ?to=. Drawn once per version of the data."""
    from coop.services import assays

    if name not in CHARTS:
        abort(404)
    args, errors = read_args(request.args)
    if errors:
        abort(400)
    code, period = None, "year"
    if name != "association":
        code, period = known_mine_or_404((args["mine_code"] or "").strip()), args["period"]
        if code is None:
            abort(400)
    chart_of = (name, code, args["from_"], args["to"], period)
    key = (assays.data_version(), *chart_of)
    return chart_response(key, lambda: draw(*chart_of), name)


# --- GET /api/v1/assays/summary --------------------------------------------------------------


def api_blueprint():
    """GET /api/v1/assays/summary (docs/design.md "Production and assays"): a report, read by every
    signed-in role, as association-wide reports are."""
    from coop.views.api import document_errors, signed_in_blueprint

    blp = signed_in_blueprint("api_assays", "/api/v1/assays", "Assays")

    @blp.route("/summary")
    class Summary(MethodView):
        @blp.arguments(SummaryArgs, location="query")
        @blp.response(200, AssaySummaryListSchema)
        @document_errors(blp, 401, 404)
        def get(self, args):
            """Sample counts, mean zinc grades and recovery by both methods, per mine and
            period, and per period for the association (mine_code null, first). Samples are
            taken from `from` to `to` (both included), production is that of their months.
            A null recovery has its reason in recovery_note. An unknown mine_code is 404."""
            from coop.services import assays

            code = args["mine_code"] or None
            if code is not None and (not_storable(code) or mine_by_code(code) is None):
                abort(404)
            return {"items": assays.summary(code, args["from_"], args["to"], args["period"])}

    return blp
