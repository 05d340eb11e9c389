"""Leases and disputes: lists, detail pages, forms, the conflicts between leases and the leases
that need attention (ending soon, expired)."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coop import clock, policy
from coop.extensions import db
from coop.forms.base import select_choices
from coop.forms.leases import DisputeForm, LeaseForm
from coop.models import Enterprise, Lease, Mine
from coop.services import leases as service
from coop.services.registry import DISPUTES, LEASES
from coop.views.helpers import list_args, paginate, record_or_404, save_form

bp = Blueprint("leases", __name__)


@bp.before_request
@login_required
def signed_in():
    pass


def flash_conflicts(lease):
    """Saving a conflicting lease is allowed (the land is what it is), but said at once."""
    for conflict in service.lease_conflicts(lease):
        flash(
            _(
                "%(permit)s overlaps lease %(other)s by %(area)s m² (%(mu)s mu).",
                permit=lease.permit_no,
                other=conflict.b,
                area=f"{conflict.area_m2:,.0f}",
                mu=f"{conflict.area_mu:,.2f}",
            ),
            "warning",
        )


# --- leases ----------------------------------------------------------------------------------


@bp.get("/leases/")
def leases():
    args = list_args()
    query = LEASES.select(current_user, args)
    today = clock.today()
    if args.get("state") == "current":
        query = query.where(Lease.valid_from <= today, Lease.valid_to >= today)
    elif args.get("state") == "expired":
        query = query.where(Lease.valid_to < today)
    page = paginate(query)
    conflicts = service.all_conflicts()
    return render_template(
        "leases/leases.html",
        page=page,
        args=args,
        today=today,
        conflict_count=len(conflicts),
        conflicting=service.conflicts_by_permit(conflicts),
        enterprises=enterprise_choices(),
    )


@bp.get("/leases/<permit_no>")
def lease(permit_no):
    record = record_or_404(LEASES, permit_no)
    return render_template(
        "leases/lease.html",
        lease=record,
        today=clock.today(),
        conflicts=service.lease_conflicts(record),
        disputes=service.readable_disputes(current_user, [record]),
    )


def enterprise_choices():
    return db.session.execute(
        db.select(Enterprise.code, Enterprise.name).order_by(Enterprise.code)
    ).all()


def mine_choices():
    rows = db.session.execute(db.select(Mine.code, Mine.name).order_by(Mine.code)).all()
    return select_choices([("", "")] + [(code, f"{code} {name}") for code, name in rows])


def lease_form(record=None):
    if record is None:
        form = LeaseForm(mine_code=request.args.get("mine_code"))
    else:
        form = LeaseForm(obj=record, mine_code=record.mine_code)
    form.mine_code.choices = mine_choices()
    from coop.domain.crs import crs_choices

    form.crs.choices = select_choices([(code, f"{code} {name}") for code, name in crs_choices()])
    return form


def save_lease(form, record):
    return save_form(
        LEASES,
        form,
        record,
        "leases/lease_form.html",
        lambda saved: url_for(".lease", permit_no=saved.permit_no),
        after_save=flash_conflicts,
    )


@bp.route("/leases/new", methods=["GET", "POST"])
def create_lease():
    policy.require(policy.can_write(current_user, "leases"))
    return save_lease(lease_form(), None)


@bp.route("/leases/<permit_no>/edit", methods=["GET", "POST"])
def edit_lease(permit_no):
    record = record_or_404(LEASES, permit_no, write=True)
    return save_lease(lease_form(record), record)


@bp.get("/leases/conflicts")
def conflicts():
    """Every conflicting pair of leases, with the disputes already opened between them."""
    found = service.all_conflicts()
    permits = {p for c in found for p in (c.a, c.b)}
    by_permit = {
        lease.permit_no: lease
        for lease in db.session.execute(db.select(Lease).where(Lease.permit_no.in_(permits)))
        .scalars()
        .all()
    }
    disputes = {}
    for dispute in service.readable_disputes(current_user, list(by_permit.values())):
        disputes.setdefault(frozenset((dispute.lease_a, dispute.lease_b)), []).append(dispute)
    rows = [
        (by_permit[c.a], by_permit[c.b], c, disputes.get(frozenset((c.a, c.b)), [])) for c in found
    ]
    return render_template("leases/conflicts.html", rows=rows)


@bp.get("/leases/attention")
def attention():
    """Leases ending within the warning period, and mines working on an expired lease."""
    today = clock.today()
    days = current_app.config["LEASE_EXPIRY_WARNING_DAYS"]
    return render_template(
        "leases/attention.html",
        today=today,
        days=days,
        ending=service.leases_ending(today, today + timedelta(days=days)),
        expired=service.expired_leases(today),
        conflict_count=len(service.all_conflicts()),
    )


# --- disputes --------------------------------------------------------------------------------


@bp.get("/disputes/")
def disputes():
    args = list_args()
    page = paginate(DISPUTES.select(current_user, args))
    return render_template("leases/disputes.html", page=page, args=args)


@bp.get("/disputes/<ref>")
def dispute(ref):
    record = record_or_404(DISPUTES, ref)
    return render_template("leases/dispute.html", dispute=record)


def lease_choices():
    rows = db.session.execute(
        db.select(Lease.permit_no, Mine.code).join(Lease.mine).order_by(Lease.permit_no)
    ).all()
    return select_choices([("", "")] + [(permit, f"{permit} ({mine})") for permit, mine in rows])


def dispute_form(record=None):
    if record is None:
        form = DisputeForm(
            lease_a=request.args.get("lease_a"),
            lease_b=request.args.get("lease_b"),
            opened_on=clock.today(),
        )
    else:
        form = DisputeForm(obj=record, lease_a=record.lease_a, lease_b=record.lease_b)
    form.lease_a.choices = form.lease_b.choices = lease_choices()
    return form


def save_dispute(form, record):
    return save_form(
        DISPUTES,
        form,
        record,
        "leases/dispute_form.html",
        lambda saved: url_for(".dispute", ref=saved.ref),
    )


@bp.route("/disputes/new", methods=["GET", "POST"])
def create_dispute():
    policy.require(policy.can_write(current_user, "disputes"))
    return save_dispute(dispute_form(), None)


@bp.route("/disputes/<ref>/edit", methods=["GET", "POST"])
def edit_dispute(ref):
    record = record_or_404(DISPUTES, ref, write=True)
    return save_dispute(dispute_form(record), record)
