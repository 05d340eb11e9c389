"""The JSON API under /api/v1/ (DOMAIN.md "Command line and JSON").

Every registered record type gets the same four endpoints, generated from its Kind: list, get,
create and update, with the permissions of the pages (coop/policy.py) and JSON errors."""

from flask import abort, current_app, request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.routing import BaseConverter

from coop import clock, policy
from coop.auth import by_token
from coop.extensions import api, csrf, db
from coop.schemas.assays import AssaySummaryListSchema, SummaryArgs
from coop.schemas.base import ErrorSchema, ListArgs, list_schema
from coop.schemas.leases import ConflictListSchema
from coop.schemas.meetings import (
    ActionSchema,
    AmendmentInSchema,
    ApprovalSchema,
    CalendarArgs,
    CalendarSchema,
    DoneSchema,
    MeetingSchema,
)
from coop.services import assays
from coop.services import meetings as meeting_service
from coop.services.leases import all_conflicts
from coop.services.members import mine_by_code
from coop.services.records import not_storable
from coop.services.registry import KINDS


class Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400  # DOMAIN.md: bad input is 400, not webargs's 422

    def load_querystring(self, req, schema):
        """A single-valued argument given twice (?q=a&q=b) reaches its field as a list, which
        the field refuses (400), instead of being cut silently to its first value."""
        values = dict(super().load_querystring(req, schema))
        values.update((k, v) for k, v in req.args.lists() if len(v) > 1)
        return values


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = Parser()


ERRORS = {
    400: _l("The request is not valid."),
    401: _l("Log in, or send Authorization: Bearer TOKEN."),
    403: _l("You may not do this."),
    404: _l("No such record."),
    409: _l("The record conflicts with another (a natural key is taken)."),
}


def document_errors(blp, *codes):
    def decorator(func):
        for code in codes:
            func = blp.alt_response(code, schema=ErrorSchema, description=str(ERRORS[code]))(func)
        return func

    return decorator


def guard(kind):
    """Every API request: signed in (cookie or token); cookie writes carry a CSRF token; a write
    by someone who may write no record of the kind is refused (403) before its body is parsed,
    as the pages refuse before they validate."""
    if not current_user.is_authenticated:
        abort(401)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not by_token() and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    per_record = CHECKED_PER_RECORD.get(request.endpoint)
    if per_record is not None:
        # Some writes depend on the record (an operator marks its own actions done).
        policy.require(per_record(request.view_args or {}))
        return
    policy.require(policy.can_write(current_user, kind.name))


def kind_blueprint(kind):
    blp = ApiBlueprint(
        f"api_{kind.name}", __name__, url_prefix=f"/api/v1/{kind.name}", description=str(kind.label)
    )
    csrf.exempt(blp)
    blp.before_request(lambda: guard(kind))
    if kind.name in EXTRA_ROUTES:
        EXTRA_ROUTES[kind.name](blp)
    item_schema = kind.schema
    page_schema = list_schema(item_schema, f"{kind.model.__name__}List")
    patch_schema = type(f"{kind.model.__name__}Patch", (item_schema,), {})

    @blp.route("")
    class Collection(MethodView):
        @blp.arguments(ListArgs, location="query")
        @blp.response(200, page_schema)
        @document_errors(blp, 401)
        def get(self, args):
            """List the records you may read (filters: mine_code, from, to, q)."""
            args["from"] = args.pop("from_", None)
            page = db.paginate(
                kind.select(current_user, args),
                page=args["page"],
                per_page=args["per_page"],
                error_out=False,
            )
            return {
                "items": page.items,
                "total": page.total,
                "page": page.page,
                "per_page": page.per_page,
            }

        @blp.arguments(item_schema)
        @blp.response(201, item_schema)
        @document_errors(blp, 401, 403, 409)
        def post(self, values):
            """Create a record."""
            policy.require(policy.can_write(current_user, kind.name, kind.owner_of_values(values)))
            record = kind.save(values, None)
            db.session.commit()
            return kind.get(getattr(record, kind.key))

    @blp.route("/<record_key:key>")
    class Item(MethodView):
        def record(self, key, write=False):
            record = kind.get(key)
            if record is None:
                abort(404)
            allowed = policy.can_write if write else policy.can_read
            policy.require(allowed(current_user, kind.name, kind.owner_of(record)))
            return record

        @blp.response(200, item_schema)
        @document_errors(blp, 401, 403, 404)
        def get(self, key):
            """One record, by its natural key."""
            return self.record(key)

        @blp.arguments(patch_schema(partial=True))
        @blp.response(200, item_schema)
        @document_errors(blp, 401, 403, 404, 409)
        def patch(self, values, key):
            """Change some fields of a record."""
            record = self.record(key, write=True)
            if kind.owner_of_values(values) is not None:
                policy.require(
                    policy.can_write(current_user, kind.name, kind.owner_of_values(values))
                )
            record = kind.save(values, record)
            db.session.commit()
            return kind.get(getattr(record, kind.key))

    return blp


def lease_routes(blp):
    """GET /api/v1/leases/conflicts (DOMAIN.md "Overlap")."""

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
                    for c in all_conflicts()
                ]
            }


def meeting_routes(blp):
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
            start, rates = meeting_service.attendance_rates(as_of)
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
        record = KINDS["meetings"].get(key)
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


def action_routes(blp):
    """POST /api/v1/actions/ID/done: what an operator may do to its own enterprise's action."""

    @blp.route("/<record_key:key>/done")
    class Done(MethodView):
        @blp.arguments(DoneSchema)
        @blp.response(200, ActionSchema)
        @document_errors(blp, 401, 403, 404)
        def post(self, values, key):
            """Mark an action done (on done_on, default today; an action done already keeps its
            day unless done_on is given): the president and admin any action, an operator its
            own enterprise's."""
            record = KINDS["actions"].get(key)
            if record is None:
                abort(404)
            policy.require(policy.can_mark_done(current_user, record))
            # Done already: left as it is, as the page's button does, unless a day is given.
            if record.done_on is None or values.get("done_on") is not None:
                meeting_service.mark_done(record, values.get("done_on"))
                db.session.commit()
            return record


# Routes a record type has beyond list, get, create and update, added before those.
EXTRA_ROUTES = {"leases": lease_routes, "meetings": meeting_routes, "actions": action_routes}


def _may_mark_done(view_args):
    action = KINDS["actions"].get(view_args.get("key"))
    return action is None or policy.can_mark_done(current_user, action)  # None: 404 follows


# Writes whose permission depends on the record, not only on the kind: endpoint -> check of
# the URL's arguments, made before the body is parsed.
CHECKED_PER_RECORD = {"api_actions.Done": _may_mark_done}


def assay_blueprint():
    """GET /api/v1/assays/summary (DOMAIN.md "Production and assays"): a report, read by every
    signed-in role, as association-wide reports are."""
    blp = ApiBlueprint("api_assays", __name__, url_prefix="/api/v1/assays", description="Assays")
    csrf.exempt(blp)

    @blp.before_request
    def signed_in():
        if not current_user.is_authenticated:
            abort(401)

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
            code = args["mine_code"] or None
            if code is not None and (not_storable(code) or mine_by_code(code) is None):
                abort(404)
            return {"items": assays.summary(code, args["from_"], args["to"], args["period"])}

    return blp


class RecordKey(BaseConverter):
    """A record's natural key in a URL: any path segment but the names of a kind's extra routes
    (so that /api/v1/leases/conflicts is that list only, for every method)."""

    regex = "(?!(?:conflicts|calendar)$)[^/]+"


def register(app):
    app.url_map.converters["record_key"] = RecordKey
    # How to authenticate, for the document's readers and client generators.
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]}
    )
    api.spec.options["security"] = [{"bearer": []}, {"session": []}]
    for kind in KINDS.values():
        api.register_blueprint(kind_blueprint(kind))
    api.register_blueprint(assay_blueprint())
