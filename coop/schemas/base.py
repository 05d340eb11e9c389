"""What the record schemas share."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$"


def localise_marshmallow():
    """Route marshmallow's built-in messages through Flask-Babel (they are lazy strings,
    translated when an answer is made; plain_errors() turns them into text)."""
    ma.fields.Field.default_error_messages = {
        "required": _l("is required."),
        "null": _l("is required."),
        "validator_failed": _l("is not valid."),
    }
    ma.fields.String.default_error_messages = {"invalid": _l("must be text.")}
    ma.fields.Date.default_error_messages = {
        "invalid": _l("is not a valid date (use YYYY-MM-DD)."),
        "format": _l("is not a valid date (use YYYY-MM-DD)."),
    }
    ma.fields.DateTime.default_error_messages = {
        "invalid": _l("is not a valid date and time (use ISO 8601)."),
        "format": _l("is not a valid date and time (use ISO 8601)."),
    }
    ma.fields.Number.default_error_messages = {
        "invalid": _l("must be a number."),
        "too_large": _l("is too large."),
        "special": _l("must be a finite number."),
    }
    ma.fields.Integer.default_error_messages = {"invalid": _l("must be a whole number.")}
    ma.fields.Boolean.default_error_messages = {"invalid": _l("must be true or false.")}
    ma.fields.List.default_error_messages = {"invalid": _l("must be a list.")}
    ma.fields.Nested.default_error_messages = {"type": _l("must be an object.")}


localise_marshmallow()


def plain_errors(errors):
    """marshmallow's error dict with every lazy message made text in the current language.

    A field's messages are always a list: marshmallow wraps plain str messages in one, but not
    the lazy (translated) ones, which it leaves bare."""
    if isinstance(errors, dict):
        return {
            str(k): plain_errors(v) if isinstance(v, (dict, list, tuple)) else [str(v)]
            for k, v in errors.items()
        }
    if isinstance(errors, (list, tuple)):
        return [plain_errors(v) for v in errors]
    return str(errors)


class RecordSchema(ma.Schema):
    """Fields in declared order; unknown fields refused (a typo must not pass silently)."""

    class Meta:
        ordered = True
        unknown = ma.RAISE

    error_messages = {
        "unknown": _l("is not a known field."),
        "type": _l("must be an object."),
    }

    @classmethod
    def columns(cls):
        """The import/export column headers: every field that is loaded, in order."""
        return [name for name, field in cls._declared_fields.items() if not field.dump_only]


def key_field(**kwargs):
    kwargs.setdefault("required", True)
    return ma.fields.String(
        validate=[
            ma.validate.Length(min=1, max=32, error=_l("must be 1 to 32 characters long.")),
            ma.validate.Regexp(
                KEY_PATTERN,
                error=_l("use letters, digits and - _ . / only, starting with a letter or digit."),
            ),
        ],
        **kwargs,
    )


def text(max_length, required=False):
    return ma.fields.String(
        required=required,
        allow_none=not required,
        validate=ma.validate.Length(
            min=1 if required else 0,
            max=max_length,
            error=_l("must be between {min} and {max} characters long."),
        ),
    )


def choice(values, required=False, **kwargs):
    kwargs.setdefault("allow_none", not required)
    return ma.fields.String(
        required=required,
        validate=ma.validate.OneOf(values, error=_l("must be one of: {choices}.")),
        **kwargs,
    )


def optional_date():
    return ma.fields.Date(allow_none=True)


IN_RANGE = _l("must be from {min} to {max}.")


class ListArgs(ma.Schema):
    """Query arguments every list endpoint takes (DOMAIN.md "Command line and JSON")."""

    class Meta:
        unknown = ma.EXCLUDE

    # An upper bound keeps the row offset within a 64-bit integer on every engine.
    page = ma.fields.Integer(
        load_default=1, validate=ma.validate.Range(1, 1_000_000, error=IN_RANGE)
    )
    per_page = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(1, 500, error=IN_RANGE)
    )
    q = ma.fields.String(load_default=None, metadata={"description": "text search"})
    mine_code = ma.fields.String(load_default=None)
    from_ = ma.fields.Date(data_key="from", load_default=None)
    to = ma.fields.Date(load_default=None)
    # Filters of some record types (the others ignore them), as on their list pages.
    enterprise_code = ma.fields.String(
        load_default=None,
        metadata={"description": "mines, attendance: the enterprise's; actions: the owner's"},
    )
    status = ma.fields.String(
        load_default=None, metadata={"description": "mines, disputes, attendance"}
    )
    kind = ma.fields.String(
        load_default=None,
        metadata={"description": "meetings, attendance, actions: the meeting's kind"},
    )
    state = ma.fields.String(
        load_default=None, metadata={"description": "actions: open, overdue or done"}
    )
    sample_type = ma.fields.String(load_default=None, metadata={"description": "samples"})
    mining_method = ma.fields.String(load_default=None, metadata={"description": "mines"})
    member = ma.fields.String(
        load_default=None, metadata={"description": "enterprises: current or former"}
    )


def list_schema(item_schema, name):
    """The list answer: {"items": [...], "total": N, "page": P, "per_page": K}."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "total": ma.fields.Integer(),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
        },
        name=name,
    )


class ErrorSchema(ma.Schema):
    """Every JSON error: {"error": ..., "details": ...} (DOMAIN.md)."""

    error = ma.fields.String(metadata={"description": "what went wrong"})
    details = ma.fields.Raw(
        allow_none=True, metadata={"description": "per field (or per row) reasons, when any"}
    )
