"""Member enterprises and their mines: lists, detail pages, create and edit forms."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from coop import clock, policy
from coop.extensions import db
from coop.forms.base import select_choices
from coop.forms.meetings import DoneForm
from coop.forms.members import EnterpriseForm, MineForm
from coop.models import Enterprise
from coop.services import meetings as meeting_service
from coop.services.leases import conflicts_by_permit, lease_conflicts, readable_disputes
from coop.services.registry import ENTERPRISES, MINES
from coop.views.helpers import list_args, paginate, record_or_404, save_form

bp = Blueprint("members", __name__)


@bp.before_request
@login_required
def signed_in():
    pass


def save(kind, form, record, template):
    """Save an enterprise or mine from its form, and show its page; or the form's errors."""
    endpoint = f".{kind.model.__name__.lower()}"
    return save_form(
        kind, form, record, template, lambda saved: url_for(endpoint, code=getattr(saved, kind.key))
    )


@bp.get("/enterprises/")
def enterprises():
    args = list_args()
    page = paginate(ENTERPRISES.select(current_user, args))
    return render_template("members/enterprises.html", page=page, args=args)


@bp.get("/enterprises/<code>")
def enterprise(code):
    record = record_or_404(ENTERPRISES, code)
    today = clock.today()
    start, rates = meeting_service.attendance_rates(today)
    return render_template(
        "members/enterprise.html",
        enterprise=record,
        today=today,
        attendance_from=start,
        rate={e.code: r for e, r in rates}.get(record.code),
        actions=meeting_service.open_actions(record.id),
        done_form=DoneForm(),
    )


@bp.route("/enterprises/new", methods=["GET", "POST"])
def create_enterprise():
    policy.require(policy.can_write(current_user, "enterprises"))
    return save(ENTERPRISES, EnterpriseForm(), None, "members/enterprise_form.html")


@bp.route("/enterprises/<code>/edit", methods=["GET", "POST"])
def edit_enterprise(code):
    record = record_or_404(ENTERPRISES, code, write=True)
    return save(ENTERPRISES, EnterpriseForm(obj=record), record, "members/enterprise_form.html")


@bp.get("/mines/")
def mines():
    args = list_args()
    page = paginate(MINES.select(current_user, args))
    return render_template(
        "members/mines.html", page=page, args=args, enterprises=enterprise_choices(blank=False)
    )


@bp.get("/mines/<code>")
def mine(code):
    record = record_or_404(MINES, code)
    disputes = readable_disputes(current_user, record.leases)
    return render_template(
        "members/mine.html",
        mine=record,
        today=clock.today(),
        conflicting=conflicts_by_permit(
            c for lease in record.leases for c in lease_conflicts(lease)
        ),
        disputes=disputes,
        notices=meeting_service.notices_about(record, limit=MINE_NOTICES),
    )


# How many of a mine's latest notices its page lists.
MINE_NOTICES = 5


def enterprise_choices(blank=True):
    rows = db.session.execute(db.select(Enterprise.code, Enterprise.name).order_by(Enterprise.code))
    return ([("", "")] if blank else []) + [(c, f"{c} {n}") for c, n in rows]


def mine_form(record=None):
    preset = request.args.get("enterprise_code") if record is None else record.enterprise_code
    form = MineForm(obj=record, enterprise_code=preset)
    form.enterprise_code.choices = select_choices(enterprise_choices())
    return form


@bp.route("/mines/new", methods=["GET", "POST"])
def create_mine():
    policy.require(policy.can_write(current_user, "mines"))
    return save(MINES, mine_form(), None, "members/mine_form.html")


@bp.route("/mines/<code>/edit", methods=["GET", "POST"])
def edit_mine(code):
    record = record_or_404(MINES, code, write=True)
    return save(MINES, mine_form(record), record, "members/mine_form.html")
