"""Who is asking: the session cookie (Flask-Login) or an API bearer token."""

from flask import g
from flask_babel import lazy_gettext as _l

from coop.extensions import db, login_manager
from coop.models import ApiToken, User


def init_login(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id):
    user = db.session.get(User, int(user_id))
    # A disabled account loses its open sessions at once.
    return user if user is not None and user.active else None


@login_manager.request_loader
def load_user_from_token(req):
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = db.session.execute(
        db.select(ApiToken).filter_by(digest=ApiToken.digest_of(token.strip()))
    ).scalar_one_or_none()
    if found is None or not found.user.active:
        return None
    g.token_auth = True
    return found.user


def by_token():
    """True when this request was authenticated by a bearer token, not a session cookie."""
    return bool(g.get("token_auth"))
