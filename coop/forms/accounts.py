"""Forms for logging in and for managing accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from coop.forms.base import ServiceForm
from coop.forms.records import Required
from coop.labels import choices
from coop.schemas.accounts import ROLE_LABELS

ROLE_CHOICES = choices(ROLE_LABELS)


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state (log out)."""


class PasswordChangeForm(ServiceForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"), validators=[DataRequired()], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("must match the new password.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


class UserCreateForm(ServiceForm):
    """The service checks every value (coop.services.accounts.create_user), so that every
    problem is said at once; Required marks the fields for the page."""

    username = StringField(_l("Username"), validators=[Required()])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    enterprise_code = SelectField(
        _l("Enterprise"), description=_l("Operators only: the enterprise whose mines they keep.")
    )
    password = PasswordField(
        _l("Password"), validators=[Required()], render_kw={"autocomplete": "new-password"}
    )
    submit = SubmitField(_l("Create account"))


class UserEditForm(ServiceForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    enterprise_code = SelectField(
        _l("Enterprise"), description=_l("Operators only: the enterprise whose mines they keep.")
    )
    active = BooleanField(_l("Active (may log in)"))
    submit = SubmitField(_l("Save"))


class PasswordResetForm(ServiceForm):
    password = PasswordField(
        _l("New password"), validators=[Required()], render_kw={"autocomplete": "new-password"}
    )
    submit = SubmitField(_l("Set password"))
