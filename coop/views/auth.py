"""Logging in and out, and changing one's own password."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from coop.extensions import db
from coop.forms.accounts import LoginForm, PasswordChangeForm, PostForm
from coop.services import accounts
from coop.services.errors import RecordInvalid
from coop.views.helpers import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.user_by_name(form.username.data.strip())
        if user is not None and user.active and user.check_password(form.password.data):
            lang = session.get("lang")
            session.clear()  # a fresh session: nothing from before the login carries over
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(safe_next(form.next.data))
        flash(_("Wrong username or password, or the account is disabled."), "danger")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    form = PostForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(
                current_user, form.current_password.data, form.password.data
            )
        except RecordInvalid as error:
            db.session.rollback()
            form.take_errors(error)
        else:
            db.session.commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("main.index"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status
