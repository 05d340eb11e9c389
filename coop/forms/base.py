"""What the forms share."""

import math

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from coop.services.errors import RecordInvalid


class RecordForm(FlaskForm):
    """A form whose fields carry DOMAIN.md's names, so that a service's errors land on them."""

    def values(self):
        """The submitted values a service takes: every field but the CSRF token and buttons,
        blank text as None."""
        skipped = {"csrf_token", "submit"}
        return {
            name: (
                None
                if isinstance(field.data, str) and not field.data.strip()
                else field.data.strip()
                if isinstance(field.data, str)
                else field.data
            )
            for name, field in self._fields.items()
            if name not in skipped and field.type != "SubmitField"
        }

    def take_errors(self, error: RecordInvalid):
        """Show a service's errors beside their fields; errors for no field go to form_errors."""
        for name, messages in error.errors.items():
            field = self._fields.get(name)
            target = field.errors if field is not None else self.form_errors
            if isinstance(target, tuple):
                target = field.errors = list(target)
            target.extend(str(m) for m in messages)


def finite(form, field):
    """Refuse NaN and infinity, which WTForms's FloatField reads from "nan" and "inf"."""
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(_l("must be a finite number."))


def optional():
    return Optional(strip_whitespace=True)


BLANK_CHOICE = ("", _l("(none)"))


def select_choices(pairs):
    """(value, label) pairs as WTForms 3.3's SelectChoice options."""
    return [SelectChoice(value, label) for value, label in pairs]
