"""What the record schemas share."""

import re

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
    ma.fields.Float.default_error_messages = {"special": _l("must be a finite number.")}
    ma.fields.Decimal.default_error_messages = {"special": _l("must be a finite number.")}
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


class Day(ma.fields.Date):
    """A date as docs/design.md writes it, YYYY-MM-DD, and no other ISO 8601 form (marshmallow also
    reads 20050304 and 2005-W09-5): a form, the API and an import read the same dates."""

    _ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

    def _deserialize(self, value, attr, data, **kwargs):
        if not (isinstance(value, str) and self._ISO.fullmatch(value)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Text(ma.fields.String):
    """Text a database can hold: no NUL character, no lone surrogate (which JSON escapes and
    crafted requests can carry; PostgreSQL refuses the one, UTF-8 cannot hold the other)."""

    default_error_messages = {"invalid": _l("must be text.")}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not_storable(value):
            raise self.make_error("invalid")
        return value


def not_storable(value):
    """Text no database may hold: NUL characters or lone surrogates."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return "\x00" in value


class RecordSchema(ma.Schema):
    """Fields in declared order; unknown fields refused (a typo must not pass silently).

    One schema validates a record's values wherever they come from: a page's form, a JSON body,
    a row of an import. Blank text (a form's empty box, an empty cell, "" or spaces in JSON) is
    no value: an optional field is empty (None), a field with a default takes its default when
    a record is created, and a required field is refused ("is required."), as is a field with a
    default that a PATCH would leave without a value. The OpenAPI document says so
    (blank_is_no_value)."""

    class Meta:
        ordered = True
        unknown = ma.RAISE

    error_messages = {
        "unknown": _l("is not a known field."),
        "type": _l("must be an object."),
    }

    @ma.pre_load
    def no_value_for_blank_text(self, data, partial=False, **kwargs):
        if not isinstance(data, dict):
            return data  # marshmallow says "must be an object."
        cleaned = {}
        for name, value in data.items():
            if isinstance(value, str) and not value.strip():
                field = self.fields.get(name)
                if (
                    field is not None
                    and not field.allow_none
                    and (field.load_default is not ma.missing or field.metadata.get("generated"))
                    and not partial
                ):
                    continue  # its default applies, or its key is generated
                # None: an optional field is emptied (in a PATCH too), a required one, or one
                # that must have a value, is refused ("is required.")
                value = None
            cleaned[name] = value
        return cleaned

    @classmethod
    def columns(cls):
        """The import/export column headers: every field that is loaded, in order."""
        return [name for name, field in cls._declared_fields.items() if not field.dump_only]

    @classmethod
    def label(cls, name):
        """What a person reads for a field (its metadata's label), else the field's name."""
        field = cls._declared_fields.get(name)
        return field.metadata.get("label", name) if field is not None else name


BLANK = {"type": "string", "pattern": r"^\s*$"}
# The keys of an OpenAPI property that say what values it takes.
_VALUE_KEYS = ("type", "format", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength")


def blank_is_no_value(self, field, ret=None, **kwargs):
    """An apispec attribute function (coop/__init__.py registers it): in the OpenAPI document, a
    record field that need not be given takes blank text too (RecordSchema's rule), and so does a
    list's query argument (ListArgs: no filter), so a property {"type": "number"} becomes
    {"anyOf": [{"type": "number"}, blank text]}."""
    schema = getattr(field, "parent", None)
    if not isinstance(schema, (RecordSchema, Filters)) or field.required or field.dump_only:
        return {}
    value = {key: ret.pop(key) for key in _VALUE_KEYS if key in ret}
    return {"anyOf": [value, BLANK]} if value else {}


class NotReserved(ma.validate.Validator):
    """A natural key must not be a word that names a page beside the records (/leases/new,
    /leases/conflicts): its record could not be reached by its address (coop.registry)."""

    error = _l("%(value)s names a page of its own; choose another.")

    def __call__(self, value):
        from coop import registry

        if isinstance(value, str) and value.lower() in registry.reserved_words():
            raise ma.ValidationError(str(self.error) % {"value": value})
        return value


KEY_LENGTH = ma.validate.Length(min=1, max=32, error=_l("must be 1 to 32 characters long."))
KEY_CHARACTERS = ma.validate.Regexp(
    KEY_PATTERN, error=_l("use letters, digits and - _ . / only, starting with a letter or digit.")
)


def reference(**kwargs):
    """A natural key that names another record (a mine_code, an enterprise_code)."""
    kwargs.setdefault("required", True)
    return Text(validate=[KEY_LENGTH, KEY_CHARACTERS], **kwargs)


def key_field(generated=None, **kwargs):
    """A record's own natural key (code, permit_no, sample_code, ref). generated, a
    coop.domain.refs.RefFormat: left empty on a new record, it is generated (DOMAIN.md: "A ref
    left empty ... is generated"; coop.services.refs), so it is not required."""
    if generated is not None:
        kwargs["required"] = False
        kwargs["metadata"] = kwargs.get("metadata", {}) | {"generated": generated}
    kwargs.setdefault("required", True)
    return Text(validate=[KEY_LENGTH, KEY_CHARACTERS, NotReserved()], **kwargs)


def text(max_length, required=False, **kwargs):
    return Text(
        required=required,
        allow_none=not required,
        validate=ma.validate.Length(
            min=1 if required else 0,
            max=max_length,
            error=_l("must be between {min} and {max} characters long."),
        ),
        **kwargs,
    )


def vocabulary(values, labels):
    """The labels of a field's coded values (docs/design.md's choices), in the order of values: a
    dict {value: label}; refuses labels for other values, or a value without one."""
    if list(labels) != list(values):
        raise ValueError(f"labels {list(labels)} do not match the values {list(values)}")
    return dict(labels)


def choice(values, required=False, **kwargs):
    """One of values (a tuple, or a vocabulary, whose labels a form shows)."""
    kwargs.setdefault("allow_none", not required)
    if isinstance(values, dict):
        kwargs.setdefault("metadata", {})["labels"] = values
    return ma.fields.String(
        required=required,
        validate=ma.validate.OneOf(list(values), error=_l("must be one of: {choices}.")),
        **kwargs,
    )


def optional_date(**kwargs):
    return Day(allow_none=True, **kwargs)


IN_RANGE = _l("must be from {min} to {max}.")


class Filters(ma.Schema):
    """A page's or an API list's query arguments: other arguments are ignored, and a blank one
    (?status=, as a filter form's "all" sends) is no filter; values are stripped."""

    class Meta:
        unknown = ma.EXCLUDE

    @ma.pre_load
    def no_filter_for_blank(self, data, **kwargs):
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in data.items()
            if not (isinstance(value, str) and not value.strip())
        }


class ListArgs(Filters):
    """Query arguments every list takes (docs/design.md "Command line and JSON"): page, per_page,
    mine_code, from and to. Each kind's filters are a subclass, which its page and its API
    endpoint both load (a filter value that is not one is 400 in both); a kind with text to
    search adds q (search_filter). Text no database can hold is refused ("must be text."), as
    in a record; a blank argument is no filter (Filters), on a page and in the API alike."""

    # An upper bound keeps the row offset within a 64-bit integer on every engine.
    page = ma.fields.Integer(
        load_default=1, validate=ma.validate.Range(1, 1_000_000, error=IN_RANGE)
    )
    per_page = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(1, 500, error=IN_RANGE)
    )
    mine_code = Text(load_default=None, metadata={"description": "the mine's records"})
    from_ = Day(data_key="from", load_default=None)
    to = Day(load_default=None)


def search_filter(description):
    """q: records with this text in the columns description names (any case)."""
    return Text(load_default=None, metadata={"description": description})


def code_filter(description):
    """A filter by a record's code (enterprise_code, ...)."""
    return Text(load_default=None, metadata={"description": description})


def choice_filter(values, description):
    """A filter by one of values (a filter value that is none of them is refused)."""
    return choice(values, load_default=None, metadata={"description": description})


def sort_filter(names):
    """sort: one of names (ascending), or one of them after "-" (descending)."""
    values = [value for name in names for value in (name, f"-{name}")]
    return ma.fields.String(
        load_default=None,
        validate=ma.validate.OneOf(values, error=_l("must be one of: {choices}.")),
        metadata={"description": "order by this column; -column: descending"},
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
    """Every JSON error: {"error": ..., "details": ...} (docs/design.md)."""

    error = ma.fields.String(metadata={"description": "what went wrong"})
    details = ma.fields.Raw(
        allow_none=True, metadata={"description": "per field (or per row) reasons, when any"}
    )
