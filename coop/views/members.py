"""Member enterprises and their mines: lists, detail pages, create and edit forms, and their
part of the start page."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from coop import clock, policy
from coop.extensions import db
from coop.forms.base import select_choices
from coop.forms.meetings import DoneForm
from coop.forms.members import EnterpriseForm, MineForm
from coop.manifests.members import ENTERPRISES, MINES
from coop.models import Enterprise, Mine
from coop.registry import StartSection
from coop.services import actions as action_service
from coop.services import attendance as attendance_service
from coop.services import notices as notice_service
from coop.services.leases import conflicts_by_permit, lease_conflicts, readable_disputes
from coop.services.members import enterprise_options
from coop.views.helpers import list_args, paginate, record_or_404, save_form

bp = Blueprint("members", __name__)

# How many of a mine's latest notices its page lists.
MINE_NOTICES = 5


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
    args, filters = list_args(ENTERPRISES)
    page = paginate(ENTERPRISES.select(current_user, filters))
    return render_template("members/enterprises.html", page=page, args=args)


@bp.get("/enterprises/<code>")
def enterprise(code):
    record = record_or_404(ENTERPRISES, code)
    today = clock.today()
    start, rates = attendance_service.attendance_rates(today)
    return render_template(
        "members/enterprise.html",
        enterprise=record,
        today=today,
        attendance_from=start,
        rate={e.code: r for e, r in rates}.get(record.code),
        actions=action_service.open_actions(record.id),
        done_form=DoneForm(),
    )


@bp.route("/enterprises/new", methods=["GET", "POST"])
def create_enterprise():
    policy.require(policy.can_write(current_user, ENTERPRISES))
    return save(ENTERPRISES, EnterpriseForm(), None, "members/enterprise_form.html")


@bp.route("/enterprises/<code>/edit", methods=["GET", "POST"])
def edit_enterprise(code):
    record = record_or_404(ENTERPRISES, code, write=True)
    return save(ENTERPRISES, EnterpriseForm(obj=record), record, "members/enterprise_form.html")


@bp.get("/mines/")
def mines():
    args, filters = list_args(MINES)
    page = paginate(MINES.select(current_user, filters))
    return render_template(
        "members/mines.html", page=page, args=args, enterprises=enterprise_options()
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
        notices=notice_service.notices_about(record, limit=MINE_NOTICES),
    )


def mine_form(record=None):
    preset = request.args.get("enterprise_code") if record is None else record.enterprise_code
    form = MineForm(obj=record, enterprise_code=preset)
    form.enterprise_code.choices = select_choices([("", ""), *enterprise_options()])
    return form


@bp.route("/mines/new", methods=["GET", "POST"])
def create_mine():
    policy.require(policy.can_write(current_user, MINES))
    return save(MINES, mine_form(), None, "members/mine_form.html")


@bp.route("/mines/<code>/edit", methods=["GET", "POST"])
def edit_mine(code):
    record = record_or_404(MINES, code, write=True)
    return save(MINES, mine_form(record), record, "members/mine_form.html")


# --- the start page --------------------------------------------------------------------------


def start_sections(user):
    """The association's size, for everyone; an operator's own enterprise and its mines."""
    today = clock.today()
    counts = {
        "members": db.session.scalar(
            db.select(db.func.count(Enterprise.id)).where(Enterprise.member_on(today))
        ),
        "mines": db.session.scalar(db.select(db.func.count(Mine.id))),
        "active_mines": db.session.scalar(
            db.select(db.func.count(Mine.id)).where(Mine.status == "active")
        ),
    }
    sections = [StartSection(20, "members/_start.html", counts)]
    own = policy.own_enterprise_id(user)
    if own is not None:
        enterprise = db.session.get(Enterprise, own)
        sections.append(StartSection(40, "members/_start_own.html", enterprise))
    return sections
