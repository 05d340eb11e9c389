"""coop: records and reports for a cooperative of small-scale mine operators."""

import os
import secrets
from pathlib import Path

from flask import Flask

__version__ = "0.1.0"

# The domains, each declared by its module in coop/manifests (coop/registry.py), in the order of
# the navigation bar and of the demonstration's loading. A new domain is one more name here.
DOMAINS = (
    "members",
    "accounts",
    "leases",
    "production",
    "meetings",
    "audit",
)


def create_app(test_config=None):
    """Build the app: defaults, then instance/config.py, then COOP_* environment variables, then
    test_config."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object("coop.config")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("COOP")
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app)

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    from coop import errors

    errors.register(app)
    app.after_request(security_headers)
    return app


# Every asset is served from coop/static: the browser may load nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def database_uri(app):
    """DATABASE_URL when set, else SQLite under instance/; psycopg 3 is the PostgreSQL driver."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    if not uri:
        return "sqlite:///" + str(Path(app.instance_path) / "coop.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix) :]
    return uri


def instance_secret_key(app):
    """A random key kept in instance/secret_key: sessions survive restarts, and git holds no key."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def register_extensions(app):
    from coop import auth, formatting, i18n, labels, markdown, tables
    from coop.extensions import api, babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    auth.init_login(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    labels.init_app(app)
    tables.init_app(app)
    markdown.init_app(app)
    formatting.init_app(app)
    api.init_app(app)
    from coop.schemas.base import blank_is_no_value

    api.ma_plugin.converter.add_attribute_function(blank_is_no_value)
    with app.app_context():
        from coop import database

        database.configure_engine(app)


def register_blueprints(app):
    from coop.views import register

    register(app)


def register_cli(app):
    from coop import cli

    cli.register(app)
