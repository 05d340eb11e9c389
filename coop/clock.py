"""The association's today: the date in its time zone (BABEL_DEFAULT_TIMEZONE), or the TODAY
setting when one is given (a fixed date for a demonstration or a test)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def today():
    fixed = current_app.config.get("TODAY")
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
