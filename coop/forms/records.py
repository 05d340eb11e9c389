"""A record's form, made from its schema: the page renders the schema's fields and collects what
was typed, and the schema checks it, the same schema that checks an API call and an import row
(one validation path). A field's label, help text, widget and initial value come from its
metadata; its choices from its vocabulary (coop.schemas.base.choice) or, for a field naming other
records (widget "select"), from the view."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField

from coop.forms.base import ServiceForm, select_choices
from coop.services.records import every_problem

NUMBER = {"inputmode": "decimal", "autocomplete": "off"}


class Required:
    """Marks a field required (the asterisk, the input's required attribute); the schema
    checks."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


class SchemaForm(ServiceForm):
    """A form whose fields are its schema's, by name, so that the schema's and the services'
    errors land beside them."""

    schema: type = None
    # Values a form holds that the page's address names (an action's meeting).
    fixed: dict = {}

    def __init__(self, *args, fixed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed is not None:
            self.fixed = fixed

    def submitted_values(self):
        """What was typed, as text, by field name, stripped (a field the request leaves out is
        blank, as a browser leaves out no field); and the fixed values."""
        values = {}
        for name, field in self._fields.items():
            if name == "csrf_token" or field.type == "SubmitField":
                continue
            values[name] = field.raw_data[0].strip() if field.raw_data else ""
        return values | self.fixed

    def load(self, record=None, check=None):
        """The submitted values checked and read by the schema; for an edit, the schema's fields
        that the form does not have keep the record's values. RecordInvalid with every field's
        problems: the schema's and those of the kind's rules (check, Kind.check) on the rest."""
        values = self.submitted_values()
        others = [name for name in self.schema().load_fields if name not in values]
        try:
            return self.schema().load(values, partial=others if record is not None else None)
        except ma.ValidationError as error:
            raise every_problem(error, check, record) from None


def form_field(field):
    """The WTForms field that renders a schema field."""
    metadata = field.metadata
    kwargs = {
        "label": metadata.get("label"),
        "description": metadata.get("help"),
        "validators": [Required()] if field.required else [],
        "default": metadata.get("initial"),
    }
    widget = metadata.get("widget")
    labels = metadata.get("labels")
    if labels is not None:
        return SelectField(choices=select_choices(labels.items()), validate_choice=False, **kwargs)
    if widget == "select":
        return SelectField(validate_choice=False, **kwargs)
    if widget in ("textarea", "code"):
        render = {"rows": metadata.get("rows", 5)}
        if widget == "code":
            render |= {"spellcheck": "false", "class": "font-monospace"}
        return TextAreaField(render_kw=render, **kwargs)
    if isinstance(field, ma.fields.Date):
        return DateField(**kwargs)
    if widget == "month":
        return StringField(render_kw={"type": "month", "placeholder": "YYYY-MM"}, **kwargs)
    if widget == "number":
        return StringField(render_kw=NUMBER, **kwargs)
    return StringField(**kwargs)


SAVE = _l("Save")


def record_form(schema, exclude=(), submit=SAVE, **extra):
    """A form class for schema's loaded fields (but exclude), in order, a Save button named
    submit, and extra fields (more buttons)."""
    fields = {
        name: form_field(field)
        for name, field in schema._declared_fields.items()
        if not field.dump_only and name not in exclude
    }
    fields |= {"submit": SubmitField(submit)} | extra
    name = schema.__name__.removesuffix("Schema") + "Form"
    return type(name, (SchemaForm,), fields | {"schema": schema})
