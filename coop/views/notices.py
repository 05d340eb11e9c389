"""Notices between members: posting, reading and marking them read (docs/design.md "Meetings":
"other mine owners will be notified quickly"). The routes are on the meetings blueprint."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coop import policy
from coop.extensions import db
from coop.forms.base import BLANK_CHOICE, select_choices
from coop.forms.meetings import DoneForm, NoticeForm
from coop.manifests.meetings import NOTICES
from coop.models import Notice
from coop.services import notices as service
from coop.views.helpers import paginate, safe_next, save_form, writable_mines
from coop.views.meetings import bp


def notice_mines():
    """The mines a notice may be about: an operator's own (one of them), every mine or none for
    the president."""
    blank = [BLANK_CHOICE] if policy.is_writer(current_user) else []
    return select_choices([*blank, *writable_mines(NOTICES)])


@bp.get("/notices/")
def notices():
    query = db.select(Notice).order_by(Notice.posted_at.desc(), Notice.id.desc())
    page = paginate(query)
    return render_template(
        "meetings/notices.html",
        page=page,
        read=service.read_ids(current_user, page.items),
        can_post=policy.can_write(current_user, NOTICES),
    )


def save_notice(form, record):
    return save_form(
        NOTICES,
        form,
        record,
        "meetings/notice_form.html",
        lambda saved: url_for(".notice", number=saved.id),
        save=lambda values, notice: service.save_notice(values, notice, author=current_user),
        message=lambda saved: _("Notice posted."),
    )


def notice_or_404(number):
    record = db.session.get(Notice, number) if number < 2**63 else None
    if record is None:
        abort(404)
    return record


@bp.route("/notices/new", methods=["GET", "POST"])
def create_notice():
    policy.require(policy.can_write(current_user, NOTICES))
    form = NoticeForm(mine_code=request.args.get("mine_code"))
    form.mine_code.choices = notice_mines()
    return save_notice(form, None)


@bp.get("/notices/<int:number>")
def notice(number):
    record = notice_or_404(number)
    return render_template(
        "meetings/notice.html",
        notice=record,
        read=record.id in service.read_ids(current_user, [record]),
        can_change=policy.can_change_notice(current_user, record),
        form=DoneForm(),
    )


@bp.route("/notices/<int:number>/edit", methods=["GET", "POST"])
def edit_notice(number):
    record = notice_or_404(number)
    policy.require(policy.can_change_notice(current_user, record))
    form = NoticeForm(obj=record, mine_code=record.mine_code)
    form.mine_code.choices = notice_mines()
    return save_notice(form, record)


@bp.post("/notices/<int:number>/read")
def read_notice(number):
    record = notice_or_404(number)
    if not DoneForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user, [record])
    db.session.commit()
    return redirect(safe_next(request.form.get("next")))


@bp.post("/notices/read")
def read_all():
    if not DoneForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user, service.unread_notices(current_user))
    db.session.commit()
    flash(_("Every notice is marked read."), "success")
    return redirect(safe_next(request.form.get("next")))
