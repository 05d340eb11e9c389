"""The audit log, read only: for the president, the admin and the bureau."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from coop import policy
from coop.extensions import db
from coop.models import AuditEntry
from coop.registry import StartSection
from coop.views.helpers import paginate

# How many of the latest changes the start page lists.
START_ENTRIES = 8

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _date(name):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


def _start_of(day):
    """Midnight of day where the association is (the times shown), in UTC (the times stored)."""
    local = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=local).astimezone(UTC)


@bp.get("/")
@login_required
def index():
    policy.require(policy.can_read_audit(current_user))
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    args = {k: v.strip() for k, v in request.args.items() if v.strip()}
    if args.get("record_type"):
        query = query.where(AuditEntry.record_type == args["record_type"])
    if args.get("action"):
        query = query.where(AuditEntry.action == args["action"])
    if args.get("actor"):
        query = query.where(AuditEntry.actor == args["actor"])
    if args.get("key"):
        query = query.where(AuditEntry.record_key == args["key"])
    if start := _date("from"):
        query = query.where(AuditEntry.at >= _start_of(start))
    if end := _date("to"):
        query = query.where(AuditEntry.at < _start_of(end + timedelta(days=1)))
    types = (
        db.session.execute(
            db.select(AuditEntry.record_type).distinct().order_by(AuditEntry.record_type)
        )
        .scalars()
        .all()
    )
    actors = (
        db.session.execute(db.select(AuditEntry.actor).distinct().order_by(AuditEntry.actor))
        .scalars()
        .all()
    )
    return render_template(
        "audit/index.html", page=paginate(query), args=args, types=types, actors=actors
    )


def start_sections(user):
    """The latest changes, for those who read the audit log."""
    if not policy.can_read_audit(user):
        return []
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(START_ENTRIES)
    recent = db.session.execute(query).scalars().all()
    return [StartSection(90, "audit/_start.html", recent)] if recent else []
