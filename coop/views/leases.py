"""Leases and disputes: lists, detail pages, forms, the conflicts between leases and the leases
that need attention (ending soon, expired); their start-page section and the API's conflicts."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coop import clock, policy
from coop.extensions import db
from coop.formatting import number
from coop.forms.base import select_choices
from coop.forms.leases import DisputeForm, LeaseForm
from coop.manifests.leases import DISPUTES, LEASES
from coop.models import Lease
from coop.registry import StartSection
from coop.services import leases as service
from coop.services.members import enterprise_options, mine_options
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
                area=number(conflict.area_m2),
                mu=number(conflict.area_mu, 2),
            ),
            "warning",
        )


@bp.app_template_global()
def area_text(area_m2, units=("m2", "mu", "ha", "km2")):
    """An area as lease pages, lists and the map's popups say it, by locale: 1,843 m² · 2.76 mu
    · 0.1843 ha · 0.0018 km² (km² to 4 decimals, as the registry reports it)."""
    from coop.domain.leases import area_ha, area_km2, area_mu

    parts = {
        "m2": lambda: f"{number(area_m2)} m²",
        # babel finds no _() inside an f-string
        "mu": lambda: number(area_mu(area_m2), 2) + " " + _("mu"),
        "ha": lambda: f"{number(area_ha(area_m2), 4)} ha",
        "km2": lambda: f"{number(area_km2(area_m2), 4)} km²",
    }
    return " · ".join(parts[unit]() for unit in units)


@bp.app_template_global()
def lease_state(lease):
    """A lease's state today, as every page, the map and the API show it."""
    return service.state_of(lease)


# --- leases ----------------------------------------------------------------------------------


@bp.get("/leases/")
def leases():
    args, filters = list_args(LEASES)
    page = paginate(LEASES.select(current_user, filters))
    conflicts = service.all_conflicts()
    return render_template(
        "leases/leases.html",
        page=page,
        args=args,
        today=clock.today(),
        conflict_count=len(conflicts),
        conflicting=service.conflicts_by_permit(conflicts),
        enterprises=enterprise_options(),
    )


@bp.get("/leases/<permit_no>")
def lease(permit_no):
    record = record_or_404(LEASES, permit_no)
    from coop.domain.boundaries import corner_table  # shapely and pyproj, as the map's

    return render_template(
        "leases/lease.html",
        lease=record,
        corners=corner_table(
            record.boundary_as_entered, record.crs_as_entered, record.boundary, record.crs
        ),
        crs_name=crs_name,
        today=clock.today(),
        conflicts=service.lease_conflicts(record),
        disputes=service.readable_disputes(current_user, [record]),
    )


def lease_form(record=None):
    if record is None:
        form = LeaseForm(mine_code=request.args.get("mine_code"))
    else:
        form = LeaseForm(obj=record, mine_code=record.mine_code)
    form.mine_code.choices = select_choices([("", ""), *mine_options()])
    form.crs.choices = select_choices(crs_options())
    return form


def crs_name(code):
    """An accepted CRS's name in the reader's language (coop.domain.crs.crs_label)."""
    from coop.domain.crs import crs_label  # pyproj

    message, params = crs_label(code)
    return _(message, **params)


def crs_options():
    """(code, "code name") of every accepted CRS, its name in the reader's language."""
    from coop.domain.crs import ACCEPTED_CRS

    return [(code, f"{code} {crs_name(code)}") for code in ACCEPTED_CRS]


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
    policy.require(policy.can_write(current_user, LEASES))
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


@bp.post("/leases/conflicts/dispute")
def open_dispute():
    """One click from a conflict: a dispute between its two leases, opened today, its ref
    generated and its description naming the overlap; then the dispute's page."""
    policy.require(policy.can_write(current_user, DISPUTES))
    leases = [
        service.lease_by_permit(request.form.get(name, "")) for name in ("lease_a", "lease_b")
    ]
    if None in leases:
        abort(400)
    conflict = service.conflict_between(*leases)
    if conflict is None:
        abort(400)
    dispute = service.open_dispute(
        conflict,
        description=_(
            "The leases %(a)s and %(b)s overlap by %(area)s.",
            a=conflict.a,
            b=conflict.b,
            area=area_text(conflict.area_m2, ("m2", "mu")),
        ),
    )
    db.session.commit()
    flash(_("%(record)s opened.", record=DISPUTES.title_of(dispute)), "success")
    return redirect(url_for(".dispute", ref=dispute.ref))


@bp.get("/leases/attention")
def attention():
    """Leases ending within the warning period, and mines working on an expired lease."""
    today = clock.today()
    return render_template(
        "leases/attention.html",
        today=today,
        days=service.ending_within(),
        ending=service.leases_ending(today),
        expired=service.expired_leases(today),
        conflict_count=len(service.all_conflicts()),
    )


# --- disputes --------------------------------------------------------------------------------


@bp.get("/disputes/")
def disputes():
    args, filters = list_args(DISPUTES)
    page = paginate(DISPUTES.select(current_user, filters))
    return render_template("leases/disputes.html", page=page, args=args)


@bp.get("/disputes/<ref>")
def dispute(ref):
    record = record_or_404(DISPUTES, ref)
    return render_template("leases/dispute.html", dispute=record)


def dispute_form(record=None):
    if record is None:
        form = DisputeForm(
            lease_a=request.args.get("lease_a"),
            lease_b=request.args.get("lease_b"),
            opened_on=clock.today(),
        )
    else:
        form = DisputeForm(obj=record, lease_a=record.lease_a, lease_b=record.lease_b)
    form.lease_a.choices = form.lease_b.choices = select_choices(
        [("", ""), *service.lease_options()]
    )
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
    policy.require(policy.can_write(current_user, DISPUTES))
    return save_dispute(dispute_form(), None)


@bp.route("/disputes/<ref>/edit", methods=["GET", "POST"])
def edit_dispute(ref):
    record = record_or_404(DISPUTES, ref, write=True)
    return save_dispute(dispute_form(record), record)


# --- the start page --------------------------------------------------------------------------


def start_sections(user):
    """Leases ending soon: an operator's own enterprise's, every one for those who write leases;
    for those who oversee the association, the conflicts and the mines on an expired lease."""
    today = clock.today()
    ending = service.leases_ending(today)
    if not policy.can_write(user, LEASES):
        ending = [lease for lease in ending if policy.is_own(user, LEASES.owner.of(lease))]
    found = {"today": today, "days": service.ending_within(), "ending": ending}
    if policy.oversees(user):
        found |= {
            "expired": service.expired_leases(today),
            "conflicts": service.all_conflicts(),
        }
    return [StartSection(30, "leases/_start.html", found)]


# --- the JSON API beyond the kinds' own endpoints -----------------------------------------


def api_routes(blp):
    """GET /api/v1/leases/conflicts (docs/design.md "Overlap")."""
    from coop.schemas.leases import ConflictListSchema
    from coop.views.api import document_errors

    @blp.route("/conflicts")
    class Conflicts(MethodView):
        @blp.response(200, ConflictListSchema)
        @document_errors(blp, 401)
        def get(self):
            """Every pair of leases that conflict: valid at the same time, sharing more than
            1 m2 of plan and, where both give one, overlapping elevation ranges."""
            return {
                "items": [
                    {"lease_a": c.a, "lease_b": c.b, "intersection_m2": round(c.area_m2, 2)}
                    for c in service.all_conflicts()
                ]
            }
