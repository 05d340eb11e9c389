"""Default settings. instance/config.py, then COOP_* environment variables, override them."""

from datetime import timedelta

from coop.domain.leases import ENDING_WITHIN_DAYS

# Werkzeug's default scrypt parameters are below OWASP's minimum; PBKDF2-SHA256 at 600,000
# iterations is OWASP's recommendation (Password Storage Cheat Sheet).
PASSWORD_HASH_METHOD = "pbkdf2:sha256:600000"  # noqa: S105 (a method, not a password)

SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
SQLITE_BUSY_TIMEOUT_MS = 5000

# Uploads (imports) larger than this are refused with 413.
MAX_CONTENT_LENGTH = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

LANGUAGES = {"en": "English", "zh_Hans_CN": "简体中文"}
BABEL_DEFAULT_LOCALE = "en"
BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"

# A lease in force ending within this many days is "ending" (docs/design.md "lease_valid", amber).
LEASE_EXPIRY_WARNING_DAYS = ENDING_WITHIN_DAYS

PER_PAGE = 25
MAX_PER_PAGE = 500

# How many drawn charts each process keeps (coop/charts.py), the least recently used going first.
CHARTS_KEPT = 256

# flask-smorest: the JSON API and its OpenAPI document
API_TITLE = "coop"
API_VERSION = "v1"
OPENAPI_VERSION = "3.0.3"
OPENAPI_URL_PREFIX = "/api/v1"
OPENAPI_JSON_PATH = "openapi.json"
