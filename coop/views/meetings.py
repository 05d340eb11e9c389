"""Meetings: the list and calendar, a meeting's page with its minutes, attendance sheet,
approval and amendments; actions; notices between members (DOMAIN.md "Meetings")."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coop import clock, policy
from coop.domain.meetings import ATTENDANCE_TARGET_PCT
from coop.extensions import db
from coop.forms.base import BLANK_CHOICE, select_choices
from coop.forms.meetings import (
    ActionForm,
    AmendmentForm,
    ApproveForm,
    AttendanceForm,
    DoneForm,
    MeetingForm,
    NoticeForm,
)
from coop.labels import MEETING_KINDS
from coop.models import Enterprise, Meeting, Notice
from coop.services import meetings as service
from coop.services.errors import RecordInvalid
from coop.services.members import mine_by_code
from coop.services.registry import ACTIONS, MEETINGS
from coop.views.helpers import (
    commit_form,
    list_args,
    paginate,
    record_or_404,
    safe_next,
    save_form,
    writable_mines,
)

bp = Blueprint("meetings", __name__)


@bp.before_request
@login_required
def signed_in():
    pass


def meeting_or_404(key, write=False):
    return record_or_404(MEETINGS, key, write=write)


def refuse_locked(meeting):
    """Send the president to the amendment form instead of an edit of locked minutes."""
    flash(service.locked_message(meeting), "warning")
    return redirect(url_for(".amend", key=meeting.key))


def enterprise_choices(day=None):
    """Every enterprise, or those that were members on day, with a blank first."""
    if day is None:
        enterprises = db.session.execute(db.select(Enterprise).order_by(Enterprise.code)).scalars()
    else:
        enterprises = service.members_on(day)
    return select_choices([BLANK_CHOICE] + [(e.code, f"{e.code} {e.name}") for e in enterprises])


# --- meetings -----------------------------------------------------------------------------------


@bp.get("/meetings/")
def meetings():
    args = list_args()
    page = paginate(MEETINGS.select(current_user, args))
    statuses = service.meeting_statuses(page.items)
    return render_template(
        "meetings/meetings.html",
        page=page,
        args=args,
        kinds=MEETING_KINDS,
        present={
            m.id: sum(1 for s in statuses[m.id].values() if s == "present") for m in page.items
        },
        taken={m.id: len(statuses[m.id]) for m in page.items},
    )


@bp.get("/meetings/calendar")
def calendar():
    today = clock.today()
    months, recent_gaps = service.calendar(today)
    start, rates = service.attendance_rates(today)
    untaken = service.untaken_meetings(today)
    years = {}
    for month in months:
        years.setdefault(month["month"][:4], {})[int(month["month"][5:])] = month
    return render_template(
        "meetings/calendar.html",
        years=calendar_rows(years),
        recent_gaps=recent_gaps,
        rates=rates,
        untaken=untaken,
        target_pct=ATTENDANCE_TARGET_PCT,
        start=start,
        today=today,
    )


def calendar_rows(years):
    """The calendar's rows, the latest year first: (year, {month number: month}) for a year with
    a meeting, and (first year, last year) with None for a run of years with none at all (a
    decade without records is one line, not 120 gap cells)."""
    rows, run = [], []
    for year, months in sorted(years.items(), reverse=True):
        if any(m["meetings"] for m in months.values()):
            if run:
                rows.append(((run[-1], run[0]), None))
                run = []
            rows.append((year, months))
        else:
            run.append(year)
    if run:
        rows.append(((run[-1], run[0]), None))
    return rows


@bp.route("/meetings/new", methods=["GET", "POST"])
def create_meeting():
    policy.require(policy.can_write(current_user, "meetings"))
    preset = {"kind": request.args.get("kind", "monthly")}
    if request.method == "GET":
        # The chair and the place are most often the last meeting's.
        last = db.session.execute(
            db.select(Meeting).order_by(Meeting.held_on.desc()).limit(1)
        ).scalar_one_or_none()
        if last is not None:
            preset |= {"chair": last.chair, "location": last.location}
    form = MeetingForm(**preset)
    return save_form(MEETINGS, form, None, "meetings/meeting_form.html", meeting_page)


def meeting_page(saved):
    return url_for(".meeting", key=saved.key)


@bp.get("/meetings/<key>")
def meeting(key):
    record = meeting_or_404(key)
    today = clock.today()
    members = service.members_on(record.held_on)
    taken = {a.enterprise_code: a for a in record.attendance}
    # Everyone recorded, and every member of the day not yet recorded.
    sheet = [(e, taken.get(e.code)) for e in members]
    sheet += [(a.enterprise, a) for a in record.attendance if a.enterprise not in members]
    return render_template(
        "meetings/meeting.html",
        meeting=record,
        sheet=sheet,
        taken=bool(taken),
        today=today,
        approve_form=ApproveForm(approved_on=today),
        done_form=DoneForm(),
        may_write=policy.can_write(current_user, "meetings"),
    )


@bp.route("/meetings/<key>/edit", methods=["GET", "POST"])
def edit_meeting(key):
    record = meeting_or_404(key, write=True)
    if record.locked:
        return refuse_locked(record)
    form = MeetingForm(obj=record)
    return save_form(MEETINGS, form, record, "meetings/meeting_form.html", meeting_page)


@bp.route("/meetings/<key>/attendance", methods=["GET", "POST"])
def attendance(key):
    """The attendance sheet: every enterprise that was a member on the day, on one page."""
    record = meeting_or_404(key, write=True)
    if record.locked:
        return refuse_locked(record)
    members = service.members_on(record.held_on)
    taken = {a.enterprise_code: a for a in record.attendance}
    form = AttendanceForm()
    if request.method == "GET":
        for enterprise in members:
            entry = taken.get(enterprise.code)
            form.rows.append_entry(
                {
                    "enterprise_code": enterprise.code,
                    "status": entry.status if entry else None,
                    "representative": entry.representative if entry else None,
                }
            )
    names = {e.code: e for e in members} | {code: a.enterprise for code, a in taken.items()}
    status = 200
    if form.validate_on_submit():
        rows = [
            {
                "enterprise_code": row.enterprise_code.data,
                "status": row.status.data,
                "representative": (row.representative.data or "").strip() or None,
            }
            for row in form.rows
        ]
        try:
            service.take_attendance(record, rows)
        except RecordInvalid as error:
            db.session.rollback()
            record = meeting_or_404(key, write=True)
            by_code = {row.enterprise_code.data: row for row in form.rows}
            for code, messages in error.errors.items():
                target = by_code.get(code)
                if target is not None:
                    target.form.status.errors = list(target.form.status.errors) + list(messages)
                else:
                    form.form_errors.extend(str(m) for m in messages)
            status = 400
        else:
            db.session.commit()
            flash(_("Attendance at %(meeting)s saved.", meeting=record.key), "success")
            return redirect(url_for(".meeting", key=record.key))
    elif request.method == "POST":
        status = 400
    # Every problem, for the summary above the sheet (WTForms's form.errors keeps what
    # validation found, not the service's problems added to the rows since).
    problems = [
        (row.enterprise_code.data, message)
        for row in form.rows
        for field in (row.status, row.representative)
        for message in field.errors
    ]
    return render_template(
        "meetings/attendance.html", meeting=record, form=form, names=names, problems=problems
    ), status


@bp.post("/meetings/<key>/approve")
def approve(key):
    record = meeting_or_404(key, write=True)
    form = ApproveForm()
    done = commit_form(
        form,
        lambda: service.approve_minutes(record, form.approved_on.data),
        _("The minutes of %(meeting)s are approved.", meeting=record.key),
        meeting_page,
    )
    if done is None:
        # The problems go with the meeting's page, where the approval form is.
        for message in [*form.form_errors, *(m for ms in form.errors.values() for m in ms)]:
            flash(message, "danger")
    return done or redirect(meeting_page(record))


@bp.route("/meetings/<key>/amend", methods=["GET", "POST"])
def amend(key):
    record = meeting_or_404(key, write=True)
    form = AmendmentForm()
    done = commit_form(
        form,
        lambda: service.amend_minutes(
            record,
            form.text.data,
            (form.reason.data or "").strip() or None,
            current_user.username,
        ),
        _("Amendment to %(meeting)s saved.", meeting=record.key),
        lambda amendment: meeting_page(record),
    )
    status = 400 if form.errors or form.form_errors else 200
    return done or (render_template("meetings/amend.html", meeting=record, form=form), status)


# --- actions ------------------------------------------------------------------------------------


def owner_select(form, day=None):
    form.owner_enterprise_code.choices = enterprise_choices(day)


@bp.route("/meetings/<key>/actions/new", methods=["GET", "POST"])
def create_action(key):
    record = meeting_or_404(key)
    policy.require(policy.can_write(current_user, "actions"))
    form = ActionForm()
    form.meeting = {"held_on": record.held_on, "kind": record.kind}
    owner_select(form, record.held_on)
    return save_form(ACTIONS, form, None, "meetings/action_form.html", action_page, meeting=record)


def action_page(saved):
    return url_for(".meeting", key=saved.meeting.key, _anchor="actions")


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
    form = DoneForm()
    if not form.validate_on_submit():
        abort(400)
    if record.done_on is None:
        try:
            service.mark_done(record)
        except RecordInvalid as error:
            db.session.rollback()
            flash(error.description, "danger")
            return redirect(safe_next(request.form.get("next")))
        db.session.commit()
        flash(_("Action marked done."), "success")
    return redirect(safe_next(request.form.get("next")))


@bp.get("/actions/")
def actions():
    args = list_args()
    args.setdefault("state", "open")
    page = paginate(ACTIONS.select(current_user, args))
    return render_template(
        "meetings/actions.html",
        page=page,
        args=args,
        today=clock.today(),
        enterprises=enterprise_choices(),
        done_form=DoneForm(),
    )


# --- notices ------------------------------------------------------------------------------------


def notice_mines():
    """The mines a notice may be about: an operator's own, every mine for the president."""
    return select_choices([BLANK_CHOICE] + [(c, f"{c} {n}") for c, n in writable_mines()])


@bp.get("/notices/")
def notices():
    query = db.select(Notice).order_by(Notice.posted_at.desc(), Notice.id.desc())
    page = paginate(query)
    return render_template(
        "meetings/notices.html",
        page=page,
        read=service.read_ids(current_user, page.items),
        can_post=policy.can_write(current_user, "notices"),
    )


def save_notice(form, record):
    if form.validate_on_submit() and form.mine_code.data:
        mine = mine_by_code(form.mine_code.data)  # unknown: the service says so
        if mine is not None:
            policy.require(policy.can_write(current_user, "notices", mine.enterprise_id))
    done = commit_form(
        form,
        lambda: service.save_notice(form.values(), record, author=current_user),
        _("Notice posted."),
        lambda saved: url_for(".notice", number=saved.id),
    )
    status = 400 if form.errors or form.form_errors else 200
    return done or (render_template("meetings/notice_form.html", form=form, record=record), status)


def notice_or_404(number):
    record = db.session.get(Notice, number) if number < 2**63 else None
    if record is None:
        abort(404)
    return record


@bp.route("/notices/new", methods=["GET", "POST"])
def create_notice():
    policy.require(policy.can_write(current_user, "notices"))
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
