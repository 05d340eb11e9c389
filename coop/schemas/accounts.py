"""User accounts: the labels of their roles and fields."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from coop.models import ROLES
from coop.schemas.base import RecordSchema, choice, reference, vocabulary

ROLE_LABELS = vocabulary(
    ROLES,
    {
        "admin": _l("admin"),
        "president": _l("president"),
        "operator": _l("operator"),
        "bureau": _l("bureau"),
    },
)


class UserSchema(RecordSchema):
    """An account's fields as the accounts pages name them (their forms are coop.forms.accounts:
    a password is set, never shown)."""

    username = ma.fields.String(metadata={"label": _l("Username")})
    password_hash = ma.fields.String(metadata={"label": _l("Password")})
    role = choice(ROLE_LABELS, metadata={"label": _l("Role")})
    enterprise_code = reference(required=False, metadata={"label": _l("Enterprise")})
    active = ma.fields.Boolean(metadata={"label": _l("Active (may log in)")})
