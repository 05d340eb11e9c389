"""Account management, for the admin."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coop import policy
from coop.extensions import db
from coop.forms.accounts import PasswordResetForm, UserCreateForm, UserEditForm
from coop.forms.base import BLANK_CHOICE, select_choices
from coop.models import User
from coop.services import accounts
from coop.services.errors import RecordInvalid
from coop.services.members import enterprise_options
from coop.views.helpers import paginate

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.before_request
@login_required
def admin_only():
    policy.require(policy.can_manage_accounts(current_user))


def enterprise_choices():
    return select_choices([BLANK_CHOICE, *enterprise_options()])


@bp.get("/")
def index():
    page = paginate(db.select(User).order_by(User.username))
    return render_template("accounts/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = UserCreateForm()
    form.enterprise_code.choices = enterprise_choices()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.username.data.strip(),
                form.role.data,
                form.password.data,
                form.enterprise_code.data or None,
            )
        except RecordInvalid as error:
            db.session.rollback()
            form.take_errors(error)
        else:
            db.session.commit()
            flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for(".index"))
    return render_template("accounts/form.html", form=form), 400 if form.errors else 200


def user_or_404(user_id):
    return db.session.get(User, user_id) or abort(404)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id):
    user = user_or_404(user_id)
    form = UserEditForm(obj=user)
    form.enterprise_code.choices = enterprise_choices()
    reset = PasswordResetForm(prefix="reset")
    if form.validate_on_submit():
        try:
            accounts.update_user(
                user,
                form.role.data,
                form.enterprise_code.data or None,
                form.active.data,
                by=current_user,
            )
        except RecordInvalid as error:
            db.session.rollback()
            form.take_errors(error)
        else:
            db.session.commit()
            flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for(".index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("accounts/edit.html", form=form, reset=reset, user=user), status


@bp.post("/<int:user_id>/password")
def reset_password(user_id):
    user = user_or_404(user_id)
    form = UserEditForm(obj=user, formdata=None)
    form.enterprise_code.choices = enterprise_choices()
    reset = PasswordResetForm(prefix="reset")
    if reset.validate_on_submit():
        try:
            accounts.reset_password(user, reset.password.data)
        except RecordInvalid as error:
            db.session.rollback()
            reset.take_errors(error)
        else:
            db.session.commit()
            flash(_("The password of %(name)s is set.", name=user.username), "success")
            return redirect(url_for(".edit", user_id=user.id))
    return render_template("accounts/edit.html", form=form, reset=reset, user=user), 400
