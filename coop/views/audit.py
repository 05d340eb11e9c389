"""The audit log, read only: for the president, the admin and the bureau."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from coop import policy
from coop.extensions import db
from coop.models import AuditEntry
from coop.registry import StartSection
from coop.schemas.audit import AuditFilters
from coop.schemas.base import plain_errors
from coop.services.audit import rows
from coop.services.errors import RecordInvalid
from coop.views.helpers import paginate

# How many of the latest changes the start page lists.
START_ENTRIES = 8

bp = Blueprint("audit", __name__, url_prefix="/audit")

# The filters that select entries with a column equal to them.
FILTERED = {
    "record_type": AuditEntry.record_type,
    "action": AuditEntry.action,
    "actor": AuditEntry.actor,
    "key": AuditEntry.record_key,
}


def _start_of(day):
    """Midnight of day where the association is (the times shown), in UTC (the times stored)."""
    local = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=local).astimezone(UTC)


@bp.get("/")
@login_required
def index():
    policy.require(policy.can_read_audit(current_user))
    args = {k: v for k, v in request.args.items() if v.strip() and k != "page"}
    try:
        filters = AuditFilters().load(args)
    except ma.ValidationError as error:
        raise RecordInvalid(plain_errors(error.messages)) from None
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    for name, column in FILTERED.items():
        if filters[name] is not None:
            query = query.where(column == filters[name])
    if filters["from_"]:
        query = query.where(AuditEntry.at >= _start_of(filters["from_"]))
    if filters["to"]:
        query = query.where(AuditEntry.at < _start_of(filters["to"] + timedelta(days=1)))
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
    page = paginate(query)
    return render_template(
        "audit/index.html",
        page=page,
        rows=rows(page.items),
        args=args,
        schema=AuditFilters,
        types=types,
        actors=actors,
    )


def start_sections(user):
    """The latest changes, for those who read the audit log."""
    if not policy.can_read_audit(user):
        return []
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(START_ENTRIES)
    recent = db.session.execute(query).scalars().all()
    return [StartSection(90, "audit/_start.html", rows(recent))] if recent else []
