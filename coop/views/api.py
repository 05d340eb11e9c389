"""The JSON API under /api/v1/ (docs/design.md "Command line and JSON").

Every exchanged record kind (coop/registry.py) gets the same four endpoints, generated from its
Kind: list (with the kind's filters, the same schema as its list page's), get, create and
update, with the permissions of the pages (coop/policy.py) and JSON errors. A kind's routes
beyond those (Kind.api_routes) and a domain's other API blueprints (Domain.api) are its own
module's, built with ApiBlueprint and document_errors from here."""

import re

from flask import abort, current_app, request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.routing import BaseConverter

from coop import policy, registry
from coop.auth import by_token
from coop.extensions import api, csrf, db
from coop.schemas.base import ErrorSchema, list_schema
from coop.services.errors import RecordInvalid
from coop.services.owners import unowned


class Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400  # docs/design.md: bad input is 400, not webargs's 422

    def load_querystring(self, req, schema):
        """A single-valued argument given twice (?q=a&q=b) reaches its field as a list, which
        the field refuses (400), instead of being cut silently to its first value."""
        values = dict(super().load_querystring(req, schema))
        values.update((k, v) for k, v in req.args.lists() if len(v) > 1)
        return values


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Writes whose permission depends on the record, not only on the kind (an operator marks
        # its own enterprise's actions done): view name -> check(view_args) -> bool, made
        # before the body is parsed instead of the kind's write permission.
        self.checked_per_record = {}


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


def signed_in():
    """Every API request is signed in (cookie or token: 401 otherwise), and a write with the
    session cookie carries a CSRF token. Returns whether the request writes."""
    if not current_user.is_authenticated:
        abort(401)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if not by_token() and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    return True


def guard(kind):
    """Every request to a kind's API: signed_in; a write by someone who may write no record of
    the kind is refused (403) before its body is parsed, as the pages refuse before they
    validate."""
    if not signed_in():
        return
    blueprint = current_app.blueprints.get(request.blueprint)
    per_record = getattr(blueprint, "checked_per_record", {}).get(
        request.endpoint.rpartition(".")[2]
    )
    if per_record is not None:
        policy.require(per_record(request.view_args or {}))
        return
    policy.require(policy.can_write(current_user, kind))


def signed_in_blueprint(name, url_prefix, description):
    """An API blueprint that answers the signed-in only (signed_in), for reports that every
    role reads; a write it may come to have checks its own permission."""
    blp = ApiBlueprint(name, __name__, url_prefix=url_prefix, description=description)
    csrf.exempt(blp)

    @blp.before_request
    def check():
        signed_in()  # a before_request that returns a value answers the request

    return blp


def kind_blueprint(kind):
    blp = ApiBlueprint(
        f"api_{kind.name}", __name__, url_prefix=f"/api/v1/{kind.name}", description=str(kind.label)
    )
    csrf.exempt(blp)
    blp.before_request(lambda: guard(kind))
    if kind.api_routes:
        registry.resolve(kind.api_routes)(blp)
    item_schema = kind.schema
    page_schema = list_schema(item_schema, f"{kind.model.__name__}List")
    patch_schema = type(f"{kind.model.__name__}Patch", (item_schema,), {})

    @blp.route("")
    class Collection(MethodView):
        @blp.arguments(kind.list_args, location="query")
        @blp.response(200, page_schema)
        @document_errors(blp, 400, 401)
        def get(self, args):
            """List the records you may read (filters: mine_code, from, to, q, and the kind's
            own, as on its list page; sort: a column, -column descending)."""
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
            if problems := unowned(current_user, kind, values):
                raise RecordInvalid(problems)
            policy.require(policy.can_write(current_user, kind, kind.owner.of_values(values)))
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
            policy.require(allowed(current_user, kind, kind.owner.of(record)))
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
            named = kind.owner.of_values(values)
            if named is not None:
                policy.require(policy.can_write(current_user, kind, named))
            record = kind.save(values, record)
            db.session.commit()
            return kind.get(getattr(record, kind.key))

    return blp


def record_key_converter():
    """A record's natural key in a URL: any path segment but the reserved words, which name
    routes beside the records (so that /api/v1/leases/conflicts is that list only, for every
    method); no natural key may be one (coop.schemas.base.NotReserved)."""
    words = "|".join(re.escape(word) for word in sorted(registry.reserved_words()))
    return type("RecordKey", (BaseConverter,), {"regex": f"(?!(?i:{words})$)[^/]+"})


def register(app):
    app.url_map.converters["record_key"] = record_key_converter()
    # How to authenticate, for the document's readers and client generators.
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]}
    )
    api.spec.options["security"] = [{"bearer": []}, {"session": []}]
    for kind in registry.exchanged().values():
        api.register_blueprint(kind_blueprint(kind))
    for blueprint in registry.api_blueprints():
        api.register_blueprint(blueprint)
