"""User accounts: the labels of their roles."""

from flask_babel import lazy_gettext as _l

from coop.models import ROLES
from coop.schemas.base import vocabulary

ROLE_LABELS = vocabulary(
    ROLES,
    {
        "admin": _l("admin"),
        "president": _l("president"),
        "operator": _l("operator"),
        "bureau": _l("bureau"),
    },
)
