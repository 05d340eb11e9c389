"""Error answers: JSON {"error", "details"} under /api/, a page elsewhere. Never a 500 for bad
input: the services raise RecordInvalid, which becomes 400 or 409 here."""

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from coop.extensions import db
from coop.schemas.base import plain_errors
from coop.services.errors import ImportFailed, RecordInvalid


def wants_json():
    return request.path.startswith("/api/")


def json_error(status, message, details=None):
    response = jsonify({"error": message, "details": details})
    response.status_code = status
    return response


TITLES = {
    400: _l("Bad request"),
    401: _l("Not logged in"),
    403: _l("Forbidden"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("File too large"),
    500: _l("Server error"),
}
TEXTS = {
    400: _l("The request could not be understood or its values are not valid."),
    401: _l("Log in to see this page."),
    403: _l("Your account may not see or do this."),
    404: _l("There is no such page or record."),
    405: _l("This address does not accept that kind of request."),
    409: _l("The record conflicts with another one."),
    413: _l("The file is larger than the upload limit."),
    500: _l("Something went wrong on the server. The change was not saved."),
}
CSRF_TEXT = _l(
    "The form's security token is missing or has expired. Reload the page and try again; "
    "API clients send an Authorization: Bearer token instead of a session cookie."
)


def passed_on_headers(error):
    """The exception's own headers, such as a 405's Allow, but not its HTML content type."""
    return [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


def register(app):
    app.jinja_env.globals.update(
        error_title=lambda code: TITLES.get(code, code), error_text=lambda code: TEXTS.get(code, "")
    )

    @app.errorhandler(HTTPException)
    def http_error(error):
        db.session.rollback()
        if wants_json():
            data = getattr(error, "data", None) or {}
            details = data.get("errors") or data.get("messages")
            if isinstance(details, dict) and set(details) <= {"json", "query", "form", "files"}:
                # webargs nests by location; a whole-body problem (malformed JSON) is a list.
                flat = {}
                for location, part in details.items():
                    flat.update(part if isinstance(part, dict) else {location: part})
                details = flat
            if isinstance(error, CSRFError):
                message = CSRF_TEXT
            else:
                message = data.get("message") or TEXTS.get(error.code, error.description)
            response = json_error(
                error.code, str(message), plain_errors(details) if details else None
            )
            response.headers.extend(passed_on_headers(error))
            if error.code == 401:
                response.headers["WWW-Authenticate"] = 'Bearer realm="coop"'
            return response
        text = CSRF_TEXT if isinstance(error, CSRFError) else None
        return (
            render_template("error.html", error=error, text=text),
            error.code,
            passed_on_headers(error),
        )

    @app.errorhandler(RecordInvalid)
    def record_invalid(error):
        db.session.rollback()
        if wants_json():
            message = TEXTS[409] if error.status == 409 else _("The record is not valid.")
            return json_error(error.status, str(message), error.errors)
        return render_template("error.html", error=error), error.status

    @app.errorhandler(ImportFailed)
    def import_failed(error):
        db.session.rollback()
        return json_error(400, _("Nothing was imported."), error.as_list())
