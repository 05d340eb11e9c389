"""The start page and the language switch."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_login import current_user

from coop import clock
from coop.extensions import db
from coop.forms.accounts import PostForm
from coop.forms.meetings import DoneForm
from coop.models import AuditEntry, Enterprise, Mine
from coop.services import leases as lease_service
from coop.services import meetings as meeting_service
from coop.views.helpers import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    counts = {
        "members": db.session.scalar(
            db.select(db.func.count(Enterprise.id)).where(Enterprise.left_on.is_(None))
        ),
        "mines": db.session.scalar(db.select(db.func.count(Mine.id))),
        "active_mines": db.session.scalar(
            db.select(db.func.count(Mine.id)).where(Mine.status == "active")
        ),
    }
    own_mines = []
    if current_user.role == "operator":
        own_mines = (
            db.session.execute(
                db.select(Mine)
                .filter_by(enterprise_id=current_user.enterprise_id)
                .order_by(Mine.code)
            )
            .scalars()
            .all()
        )
    recent = []
    if current_user.role in ("admin", "president", "bureau"):
        recent = (
            db.session.execute(db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(8))
            .scalars()
            .all()
        )
    leases = lease_attention(current_user)
    return render_template(
        "main/index.html",
        counts=counts,
        own_mines=own_mines,
        recent=recent,
        leases=leases,
        meetings=meeting_attention(current_user),
        done_form=DoneForm(),
    )


# How many unread notices and overdue actions the start page lists (the rest are a link away).
START_NOTICES = 10
START_ACTIONS = 10


def meeting_attention(user):
    """What the start page says about meetings: notices the user has not read (everyone); an
    operator's enterprise's open actions; for the president and admin, overdue actions and the
    months of the last 12 without a monthly meeting."""
    today = clock.today()
    found = {
        "today": today,
        "notices": meeting_service.unread_notices(user, limit=START_NOTICES),
        "more_notices": meeting_service.count_unread(user),
    }
    if user.role == "operator":
        found["own_actions"] = meeting_service.open_actions(user.enterprise_id)
    if user.role in ("admin", "president"):
        found["overdue"] = meeting_service.overdue_actions(today, limit=START_ACTIONS)
        found["more_overdue"] = meeting_service.count_overdue(today)
        found["gaps"] = meeting_service.recent_gaps(today)
    return found


def lease_attention(user):
    """What the start page says about leases: those ending soon (for the president and admin),
    expired ones and the conflicts (for them and the bureau); an operator's own ending leases."""
    today = clock.today()
    days = current_app.config["LEASE_EXPIRY_WARNING_DAYS"]
    ending = lease_service.leases_ending(today, today + timedelta(days=days))
    if user.role == "operator":
        return {
            "today": today,
            "days": days,
            "ending": [lease for lease in ending if lease.enterprise_id == user.enterprise_id],
        }
    return {
        "today": today,
        "days": days,
        "ending": ending if user.role in ("admin", "president") else [],
        "expired": lease_service.expired_leases(today),
        "conflicts": lease_service.all_conflicts(),
    }


@bp.post("/language")
def language():
    form = PostForm()
    if not form.validate_on_submit():
        abort(400)
    lang = request.form.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next")))
