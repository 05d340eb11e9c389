"""Samples and monthly production: lists, the quick sample form, production forms."""

from datetime import date

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from coop import clock, policy
from coop.extensions import db
from coop.forms.base import select_choices
from coop.forms.production import ProductionForm, SampleForm
from coop.models import SAMPLE_TYPES, Mine
from coop.services.registry import PRODUCTION, SAMPLES
from coop.views.helpers import list_args, paginate, record_or_404, save_form, writable_mines

bp = Blueprint("production", __name__)


@bp.before_request
@login_required
def signed_in():
    pass


def readable_mines(kind):
    query = db.select(Mine.code, Mine.name).order_by(Mine.code)
    if policy.read_scope(current_user, kind) is not None:
        query = query.where(Mine.enterprise_id == current_user.enterprise_id)
    return db.session.execute(query).all()


def mine_select(form):
    form.mine_code.choices = select_choices(
        [(code, f"{code} {name}") for code, name in writable_mines()]
    )


# --- samples ---------------------------------------------------------------------------------


@bp.get("/samples/")
def samples():
    args = list_args()
    page = paginate(SAMPLES.select(current_user, args))
    return render_template(
        "production/samples.html",
        page=page,
        args=args,
        mines=readable_mines("samples"),
        types=SAMPLE_TYPES,
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
    policy.require(policy.can_write(current_user, "samples"))
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
    mine_select(form)
    return save_form(SAMPLES, form, None, "production/sample_form.html", after_sample(form))


@bp.route("/samples/<code>/edit", methods=["GET", "POST"])
def edit_sample(code):
    record = record_or_404(SAMPLES, code, write=True)
    form = SampleForm(obj=record, mine_code=record.mine_code)
    mine_select(form)
    return save_form(SAMPLES, form, record, "production/sample_form.html", after_sample(form))


# --- production ------------------------------------------------------------------------------


@bp.get("/production/")
def production():
    args = list_args()
    page = paginate(PRODUCTION.select(current_user, args))
    return render_template(
        "production/production.html", page=page, args=args, mines=readable_mines("production")
    )


def production_page(saved):
    return url_for(".production", mine_code=saved.mine_code)


@bp.route("/production/new", methods=["GET", "POST"])
def create_production():
    policy.require(policy.can_write(current_user, "production"))
    form = ProductionForm(mine_code=request.args.get("mine_code"))
    mine_select(form)
    return save_form(PRODUCTION, form, None, "production/production_form.html", production_page)


@bp.route("/production/<key>/edit", methods=["GET", "POST"])
def edit_production(key):
    record = record_or_404(PRODUCTION, key, write=True)
    form = ProductionForm(obj=record, mine_code=record.mine_code)
    mine_select(form)
    return save_form(PRODUCTION, form, record, "production/production_form.html", production_page)
