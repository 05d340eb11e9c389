"""The JSON API of meetings and actions beyond their kinds' own endpoints (coop/views/api.py):
GET /api/v1/meetings/calendar, POST /api/v1/meetings/KEY/approve and .../amendments, and
POST /api/v1/actions/ID/done."""

from flask import abort
from flask.views import MethodView
from flask_login import current_user

from coop import clock, policy
from coop.extensions import db
from coop.manifests.meetings import ACTIONS, MEETINGS
from coop.schemas.meetings import (
    ActionSchema,
    AmendmentInSchema,
    ApprovalSchema,
    CalendarArgs,
    CalendarSchema,
    DoneSchema,
    MeetingSchema,
)
from coop.services import actions as action_service
from coop.services import attendance as attendance_service
from coop.services import meetings as meeting_service
from coop.views.api import document_errors


def meeting_api_routes(blp):
    """GET /api/v1/meetings/calendar; POST .../approve and .../amendments of a meeting."""

    @blp.route("/calendar")
    class Calendar(MethodView):
        @blp.arguments(CalendarArgs, location="query")
        @blp.response(200, CalendarSchema)
        @document_errors(blp, 401)
        def get(self, args):
            """The months since the first meeting with their meetings and whether each is a
            gap (a month over with no monthly meeting), the gaps of the last 12 full months,
            and each member's attendance rate over the 12 months ending on as_of (default
            today): present / meetings held while a member."""
            as_of = args.get("as_of") or clock.today()
            months, recent = meeting_service.calendar(as_of)
            start, rates = attendance_service.attendance_rates(as_of)
            return {
                "as_of": as_of,
                "months": [
                    {
                        "month": m["month"],
                        "meetings": [meeting.key for meeting in m["meetings"]],
                        "gap": m["gap"],
                    }
                    for m in months
                ],
                "gaps_last_12_months": recent,
                "attendance_from": start,
                "attendance": [
                    {
                        "enterprise_code": e.code,
                        "present": r.present,
                        "held": r.held,
                        "rate_pct": None if r.pct is None else round(r.pct, 1),
                    }
                    for e, r in rates
                ],
            }

    def meeting_to_write(key):
        record = MEETINGS.get(key)
        if record is None:
            abort(404)
        return record

    @blp.route("/<record_key:key>/approve")
    class Approve(MethodView):
        @blp.arguments(ApprovalSchema)
        @blp.response(200, MeetingSchema)
        @document_errors(blp, 401, 403, 404, 409)
        def post(self, values, key):
            """Mark the minutes approved (at the meeting held on approved_on); from then on
            the meeting and its attendance are locked (409 on a change)."""
            record = meeting_to_write(key)
            meeting_service.approve_minutes(record, values["approved_on"])
            db.session.commit()
            return record

    @blp.route("/<record_key:key>/amendments")
    class Amendments(MethodView):
        @blp.arguments(AmendmentInSchema)
        @blp.response(201, MeetingSchema)
        @document_errors(blp, 401, 403, 404)
        def post(self, values, key):
            """Add a correction beside approved minutes (text in Markdown, reason)."""
            record = meeting_to_write(key)
            meeting_service.amend_minutes(
                record, values["text"], values.get("reason"), current_user.username
            )
            db.session.commit()
            db.session.refresh(record)
            return record


def _may_mark_done(view_args):
    action = ACTIONS.get(view_args.get("key"))
    return action is None or policy.can_mark_done(current_user, action)  # None: 404 follows


def action_api_routes(blp):
    """POST /api/v1/actions/ID/done: what an operator may do to its own enterprise's action."""

    blp.checked_per_record["Done"] = _may_mark_done

    @blp.route("/<record_key:key>/done")
    class Done(MethodView):
        @blp.arguments(DoneSchema)
        @blp.response(200, ActionSchema)
        @document_errors(blp, 401, 403, 404)
        def post(self, values, key):
            """Mark an action done (on done_on, default today; an action done already keeps its
            day unless done_on is given): the president and admin any action, an operator its
            own enterprise's."""
            record = ACTIONS.get(key)
            if record is None:
                abort(404)
            policy.require(policy.can_mark_done(current_user, record))
            if action_service.mark_done(record, values.get("done_on")):
                db.session.commit()
            return record
