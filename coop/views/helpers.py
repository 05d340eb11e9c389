"""Helpers the views share."""

from urllib.parse import urlsplit

import marshmallow as ma
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coop import policy
from coop.extensions import db
from coop.schemas.base import plain_errors
from coop.services.errors import RecordInvalid
from coop.services.members import mine_options
from coop.services.owners import unowned


def writable_mines(kind):
    """(code, "code name") of the mines whose records of kind the current user may write
    (samples, production, notices): an operator's own enterprise's, every mine for the
    president and admin."""
    return mine_options(policy.write_scope(current_user, kind))


def readable_mines(kind):
    """(code, "code name") of the mines whose records of kind the current user may read."""
    return mine_options(policy.read_scope(current_user, kind))


def record_or_404(kind, key, write=False):
    """The record of kind with natural key, or 404; 403 unless the current user may read it
    (or, with write=True, change it)."""
    record = kind.get(key)
    if record is None:
        abort(404)
    allowed = policy.can_write if write else policy.can_read
    policy.require(allowed(current_user, kind, kind.owner.of(record)))
    return record


MAX_PAGE = 1_000_000


def paginate(query):
    """One page of a select, from ?page= and ?per_page=, both clamped to sensible ranges (a
    page past the end is empty, never an offset the database cannot take)."""
    per_page = request.args.get("per_page", current_app.config["PER_PAGE"], type=int) or 1
    per_page = max(1, min(per_page, current_app.config["MAX_PER_PAGE"]))
    page = max(1, min(request.args.get("page", 1, type=int) or 1, MAX_PAGE))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# The pager's arguments: paginate() clamps them rather than refusing them.
PAGER_ARGS = ("page", "per_page")


def list_args(kind, **defaults):
    """A list page's filters: (args, filters). args are the query's arguments as given, which
    the page's filter form and its page links keep; filters are the same loaded by the kind's
    list arguments (its filter schema and sort: Kind.list_args), for kind.select. It is the
    schema the kind's API list loads, so a value that is not one (a date, a state, a column to
    sort by) is refused with 400 here as there. defaults apply where the
    query gives none."""
    args = defaults | {k: v for k, v in request.args.items() if v.strip() and k != "page"}
    try:
        filters = kind.list_args().load({k: v for k, v in args.items() if k not in PAGER_ARGS})
    except ma.ValidationError as error:
        raise RecordInvalid(plain_errors(error.messages)) from None
    return args, filters


def save_form(
    kind, form, record, template, page_of, after_save=None, save=None, message=None, **context
):
    """When form (a SchemaForm) is posted: check its values with the kind's schema, hand them to
    the kind's service, commit and go to the saved record's page (page_of(record) -> its URL);
    or show the form again with the schema's or the service's errors beside their fields (400).
    Values that name a record of an enterprise the user may not write for are refused (403).
    save(values, record) replaces kind.save (a notice has its author); message(record) the
    flashed "saved"; after_save(record) runs after the commit."""
    if form.is_submitted():
        try:
            values = form.load(record, kind.check)
            if problems := unowned(current_user, kind, values):
                raise RecordInvalid(problems)
            # An operator may write only their own enterprise's records, whatever is named.
            policy.require(policy.can_write(current_user, kind, kind.owner.of_values(values)))
            saved = (save or kind.save)(values, record)
        except RecordInvalid as error:
            db.session.rollback()
            form.take_errors(error)
        else:
            db.session.commit()
            if message is not None:
                flash(message(saved), "success")
            else:
                flash(_("%(record)s saved.", record=kind.title_of(saved)), "success")
            if after_save is not None:
                after_save(saved)
            return redirect(page_of(saved))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(template, form=form, record=record, **context), status


def commit_form(form, change, message, page_of):
    """When form (a SchemaForm) is posted: check its values with its schema, make the change
    (change(values) calls a service and returns the record), commit, say message and go to
    page_of(record). On the schema's or the service's RecordInvalid, roll back and put its
    errors on the form. None when the form is to be shown again."""
    if not form.is_submitted():
        return None
    try:
        saved = change(form.load())
    except RecordInvalid as error:
        db.session.rollback()
        form.take_errors(error)
        return None
    db.session.commit()
    flash(message, "success")
    return redirect(page_of(saved))


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
