"""User accounts: create, change role, disable, reset and change passwords. Flush, never commit."""

import re

from flask_babel import gettext as _

from coop.extensions import db
from coop.models import ROLES, User
from coop.services.errors import RecordInvalid
from coop.services.members import enterprise_by_code
from coop.services.records import apply

MIN_PASSWORD_LENGTH = 8
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")


def user_by_name(name):
    return db.session.execute(db.select(User).filter_by(username=name)).scalar_one_or_none()


def password_problems(password, field="password"):
    """{field: message} when password is too weak to keep, else {}."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return {field: _("must be at least %(n)s characters long.", n=MIN_PASSWORD_LENGTH)}
    return {}


def check_password_strength(password, field="password"):
    if problems := password_problems(password, field):
        raise RecordInvalid(problems)


def _binding(role, enterprise_code, problems):
    """The id of the enterprise an account is bound to: required for operators, refused for
    others. What is wrong goes into problems (by field)."""
    if role not in ROLES:
        problems["role"] = _("must be one of: %(roles)s.", roles=", ".join(ROLES))
        return None
    if role != "operator":
        if enterprise_code:
            problems["enterprise_code"] = _("only an operator is bound to an enterprise.")
        return None
    if not enterprise_code:
        problems["enterprise_code"] = _("an operator must be bound to an enterprise.")
        return None
    enterprise = enterprise_by_code(enterprise_code)
    if enterprise is None:
        problems["enterprise_code"] = _("no enterprise has code %(code)s.", code=enterprise_code)
        return None
    return enterprise.id


def create_user(username, role, password, enterprise_code=None):
    """A new account; every problem of the values said at once."""
    problems = {}
    if not USERNAME.match(username or ""):
        problems["username"] = _("use 2 to 64 letters, digits, dots, dashes or underscores.")
    elif user_by_name(username) is not None:
        problems["username"] = _("%(value)s is already taken.", value=username)
    enterprise_id = _binding(role, enterprise_code, problems)
    problems |= password_problems(password)
    if problems:
        raise RecordInvalid(problems)
    values = {"username": username, "role": role, "enterprise_id": enterprise_id, "active": True}
    return apply(User(), values | {"password_hash": User.hash_password(password)})


def update_user(user, role, enterprise_code, active, by=None):
    """Change an account's role, binding and whether it may sign in. by, the admin making the
    change, may not take their own admin role or disable themselves: the association would be
    left without anyone to manage accounts."""
    problems = {}
    if by is not None and user.id == by.id:
        if role != "admin":
            problems["role"] = _("you cannot take away your own admin role.")
        if not active:
            problems["active"] = _("you cannot disable your own account.")
    enterprise_id = _binding(role, enterprise_code, problems)
    if problems:
        raise RecordInvalid(problems)
    return apply(user, {"role": role, "enterprise_id": enterprise_id, "active": active})


def reset_password(user, password):
    check_password_strength(password)
    return apply(user, {"password_hash": User.hash_password(password)})


def change_own_password(user, current, new):
    if not user.check_password(current):
        raise RecordInvalid({"current_password": _("is not your current password.")})
    return reset_password(user, new)
