"""What the forms share."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from coop.services.errors import RecordInvalid


class ServiceForm(FlaskForm):
    """A form whose fields carry the names a service's errors are keyed by, so that they land
    beside them."""

    def take_errors(self, error: RecordInvalid):
        """Show a service's errors beside their fields; errors for no field go to form_errors."""
        for name, messages in error.errors.items():
            field = self._fields.get(name)
            target = field.errors if field is not None else self.form_errors
            if isinstance(target, tuple):
                target = field.errors = list(target)
            target.extend(str(m) for m in messages)
        for name, value in error.suggested.items():
            field = self._fields.get(name)
            if field is not None and field.data != value:
                # Offered: the field is set to it, and saving again takes it.
                field.data = value
                field.errors = [
                    *field.errors,
                    _("%(value)s is selected now: save again to use it.", value=value),
                ]


BLANK_CHOICE = ("", _l("(none)"))


def select_choices(pairs):
    """(value, label) pairs as WTForms 3.3's SelectChoice options."""
    return [SelectChoice(value, label) for value, label in pairs]
