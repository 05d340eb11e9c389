"""Helpers the views share."""

from datetime import date
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coop import policy
from coop.extensions import db
from coop.models import Mine
from coop.services.errors import RecordInvalid


def writable_mines():
    """(code, name) of the mines whose records the current user may write (samples,
    production, notices): an operator's own enterprise's, everyone's for the president and
    admin."""
    query = db.select(Mine.code, Mine.name).order_by(Mine.code)
    if not policy.is_writer(current_user):
        query = query.where(Mine.enterprise_id == current_user.enterprise_id)
    return db.session.execute(query).all()


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


DATE_ARGS = ("from", "to")


def list_args():
    """A list page's filters, and per_page, which its page links keep; from and to as dates (a
    date that is not one is refused with 400, as the API refuses it)."""
    args = {k: v for k, v in request.args.items() if v and k != "page"}
    for name in DATE_ARGS:
        if name in args:
            try:
                if len(args[name]) != 10:
                    raise ValueError(args[name])
                args[name] = date.fromisoformat(args[name])
            except ValueError:
                raise RecordInvalid({name: [_("is not a valid date (use YYYY-MM-DD).")]}) from None
    return args


def save_form(kind, form, record, template, page_of, after_save=None, **context):
    """Validate form, hand its values to the kind's service, commit and go to the saved record's
    page (page_of(record) -> its URL); or show the form again with the service's errors beside
    their fields (400). after_save(record) runs after the commit. Values that name a record of
    an enterprise the user may not write for are refused (403)."""
    if form.validate_on_submit():
        values = form.values()
        # An operator may write only their own enterprise's records, whatever the form names.
        policy.require(policy.can_write(current_user, kind.name, kind.owner_of_values(values)))
        try:
            saved = kind.save(values, record)
        except RecordInvalid as error:
            db.session.rollback()
            form.take_errors(error)
        else:
            db.session.commit()
            key = getattr(saved, kind.key)
            flash(_("%(key)s saved.", key=key), "success")
            if after_save is not None:
                after_save(saved)
            return redirect(page_of(saved))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(template, form=form, record=record, **context), status


def commit_form(form, change, message, page_of):
    """When form comes back valid: make the change (change() calls a service and returns the
    record), commit, say message and go to page_of(record). On the service's RecordInvalid,
    roll back and put its errors on the form. None when the form is to be shown again."""
    if not form.validate_on_submit():
        return None
    try:
        saved = change()
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
