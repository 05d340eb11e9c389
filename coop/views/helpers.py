"""Helpers the views share."""

from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for
from flask_login import current_user

from coop import policy
from coop.extensions import db


def record_or_404(kind, key, write=False):
    """The record of kind with natural key, or 404; 403 unless the current user may read it
    (or, with write=True, change it)."""
    record = kind.get(key)
    if record is None:
        abort(404)
    owner = kind.owner_of(record)
    allowed = policy.can_write if write else policy.can_read
    policy.require(allowed(current_user, kind.name, owner))
    return record


MAX_PAGE = 1_000_000


def paginate(query):
    """One page of a select, from ?page= and ?per_page=, both clamped to sensible ranges (a
    page past the end is empty, never an offset the database cannot take)."""
    per_page = request.args.get("per_page", current_app.config["PER_PAGE"], type=int) or 1
    per_page = max(1, min(per_page, current_app.config["MAX_PER_PAGE"]))
    page = max(1, min(request.args.get("page", 1, type=int) or 1, MAX_PAGE))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def safe_next(target):
    """target if it stays on this site (a path, not another host), else the start page."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for("main.index")
