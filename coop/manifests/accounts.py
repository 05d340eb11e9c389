"""User accounts and their API tokens; logging in and out."""

from flask_babel import lazy_gettext as _l

from coop import policy
from coop.models import ApiToken, User
from coop.registry import Domain, Kind, NavLink
from coop.schemas.accounts import ROLE_LABELS, UserSchema

# Not exchanged: the schema labels an account's fields in the audit log.
USERS = Kind(name="users", label=_l("Accounts"), model=User, key="username", schema=UserSchema)
API_TOKENS = Kind(name="api_tokens", label=_l("API tokens"), model=ApiToken)

DOMAIN = Domain(
    name="accounts",
    kinds=(USERS, API_TOKENS),
    blueprints=("coop.views.auth:bp", "coop.views.accounts:bp"),
    tools=(
        NavLink(
            _l("Accounts"),
            "accounts.index",
            visible=policy.can_manage_accounts,
            prefixes=("accounts.",),
        ),
    ),
    labels={"role": ROLE_LABELS},
    demo="coop.demo.accounts:load",
)
