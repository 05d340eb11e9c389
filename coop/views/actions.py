"""Actions decided at meetings: creating and editing one, marking it done, the list of open,
overdue and done actions (docs/design.md "Meetings"). The routes are on the meetings blueprint."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coop import clock, policy
from coop.extensions import db
from coop.forms.base import BLANK_CHOICE, select_choices
from coop.forms.meetings import ActionForm, DoneForm
from coop.manifests.meetings import ACTIONS
from coop.services import actions as service
from coop.services.errors import RecordInvalid
from coop.services.members import enterprise_options
from coop.views.helpers import list_args, paginate, record_or_404, safe_next, save_form
from coop.views.meetings import bp, meeting_or_404


def owner_select(form, day=None):
    """The owners an action may have: the enterprises (the members on day, for a new one)."""
    form.owner_enterprise_code.choices = select_choices([BLANK_CHOICE, *enterprise_options(day)])


def action_page(saved):
    return url_for(".meeting", key=saved.meeting.key, _anchor="actions")


@bp.route("/meetings/<key>/actions/new", methods=["GET", "POST"])
def create_action(key):
    record = meeting_or_404(key)
    policy.require(policy.can_write(current_user, ACTIONS))
    form = ActionForm(fixed={"held_on": record.held_on.isoformat(), "kind": record.kind})
    owner_select(form, record.held_on)
    return save_form(ACTIONS, form, None, "meetings/action_form.html", action_page, meeting=record)


@bp.route("/actions/<int:number>/edit", methods=["GET", "POST"])
def edit_action(number):
    record = record_or_404(ACTIONS, str(number), write=True)
    form = ActionForm(obj=record, owner_enterprise_code=record.owner_enterprise_code)
    owner_select(form)
    return save_form(
        ACTIONS, form, record, "meetings/action_form.html", action_page, meeting=record.meeting
    )


@bp.post("/actions/<int:number>/done")
def mark_done(number):
    record = record_or_404(ACTIONS, str(number))
    policy.require(policy.can_mark_done(current_user, record))
    if not DoneForm().validate_on_submit():
        abort(400)
    try:
        changed = service.mark_done(record)
    except RecordInvalid as error:
        db.session.rollback()
        flash(error.description, "danger")
    else:
        if changed:
            db.session.commit()
            flash(_("Action marked done."), "success")
    return redirect(safe_next(request.form.get("next")))


@bp.get("/actions/")
def actions():
    args, filters = list_args(ACTIONS, state="open")
    page = paginate(ACTIONS.select(current_user, filters))
    return render_template(
        "meetings/actions.html",
        page=page,
        args=args,
        today=clock.today(),
        enterprises=enterprise_options(),
        done_form=DoneForm(),
    )
