"""Meetings: the list and calendar, a meeting's page with its minutes, attendance sheet,
approval and amendments, and the start page's section of meetings (docs/design.md "Meetings"). The
pages of actions (coop/views/actions.py) and notices (coop/views/notices.py) are on this
blueprint too."""

import marshmallow as ma
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coop import clock, policy
from coop.domain.meetings import ATTENDANCE_TARGET_PCT, monthly_meeting_colour
from coop.extensions import db
from coop.forms.meetings import AmendmentForm, ApproveForm, AttendanceForm, DoneForm, MeetingForm
from coop.manifests.meetings import ATTENDANCE, MEETINGS
from coop.models import Meeting
from coop.registry import StartSection, title
from coop.schemas.base import plain_errors
from coop.schemas.meetings import AttendanceSchema
from coop.services import actions as action_service
from coop.services import attendance as attendance_service
from coop.services import meetings as service
from coop.services import notices as notice_service
from coop.services.errors import RecordInvalid
from coop.views.helpers import commit_form, list_args, paginate, record_or_404, save_form

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


# --- meetings -----------------------------------------------------------------------------------


@bp.get("/meetings/")
def meetings():
    args, filters = list_args(MEETINGS)
    page = paginate(MEETINGS.select(current_user, filters))
    statuses = service.meeting_statuses(page.items)
    return render_template(
        "meetings/meetings.html",
        page=page,
        args=args,
        present={
            m.id: sum(1 for s in statuses[m.id].values() if s == "present") for m in page.items
        },
        taken={m.id: len(statuses[m.id]) for m in page.items},
    )


@bp.get("/meetings/calendar")
def calendar():
    today = clock.today()
    months, recent_gaps = service.calendar(today)
    start, rates = attendance_service.attendance_rates(today)
    untaken = attendance_service.untaken_meetings(today)
    years = {}
    for month in months:
        years.setdefault(month["month"][:4], {})[int(month["month"][5:])] = month
    return render_template(
        "meetings/calendar.html",
        years=calendar_rows(years),
        recent_gaps=recent_gaps,
        gap_colour=monthly_meeting_colour(recent_gaps),
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
    policy.require(policy.can_write(current_user, MEETINGS))
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
        may_write=policy.can_write(current_user, MEETINGS),
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
    """The attendance sheet: every enterprise that was a member on the day, on one page, for
    those who may write the attendance of each."""
    record = meeting_or_404(key)
    members = service.members_on(record.held_on)
    policy.require(
        policy.can_write(current_user, ATTENDANCE)
        and all(policy.can_write(current_user, ATTENDANCE, e.id) for e in members)
    )
    if record.locked:
        return refuse_locked(record)
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
    if form.is_submitted():
        if form.all_present.data:
            for row in form.rows:
                row.status.data, row.status.raw_data = "present", ["present"]
        rows = sheet_rows(form)
        if rows is not None:
            try:
                attendance_service.take_attendance(record, rows)
            except RecordInvalid as error:
                db.session.rollback()
                record = meeting_or_404(key)
                by_code = {row.enterprise_code.data: row for row in form.rows}
                for code, messages in error.errors.items():
                    target = by_code.get(code)
                    if target is not None:
                        target.form.status.errors = list(target.form.status.errors) + messages
                    else:
                        form.form_errors.extend(str(m) for m in messages)
            else:
                db.session.commit()
                flash(_("%(meeting)s: attendance saved.", meeting=title(record)), "success")
                return redirect(url_for(".meeting", key=record.key))
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


# The fields of a sheet's row that AttendanceSchema checks (the meeting is the page's).
ROW_FIELDS = ("status", "representative")


def sheet_rows(form):
    """The attendance sheet's rows checked by AttendanceSchema, as take_attendance takes them;
    None, with each row's problems beside its fields, when any row has one."""
    schema = AttendanceSchema(only=ROW_FIELDS)
    rows, bad = [], False
    for row in form.rows:
        typed = {name: (row[name].data or "").strip() for name in ROW_FIELDS if row[name].raw_data}
        try:
            values = schema.load(typed)
        except ma.ValidationError as error:
            for name, messages in plain_errors(error.messages).items():
                row[name].errors = list(row[name].errors) + messages
            bad = True
            continue
        rows.append({"enterprise_code": row.enterprise_code.data} | values)
    return None if bad else rows


@bp.post("/meetings/<key>/approve")
def approve(key):
    record = meeting_or_404(key, write=True)
    form = ApproveForm()
    done = commit_form(
        form,
        lambda values: service.approve_minutes(record, values["approved_on"]),
        _("%(meeting)s: the minutes are approved.", meeting=title(record)),
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
        lambda values: service.amend_minutes(
            record, values["text"], values.get("reason"), current_user.username
        ),
        _("%(meeting)s: amendment saved.", meeting=title(record)),
        lambda amendment: meeting_page(record),
    )
    status = 400 if form.errors or form.form_errors else 200
    return done or (render_template("meetings/amend.html", meeting=record, form=form), status)


# --- the start page --------------------------------------------------------------------------

# How many unread notices and overdue actions the start page lists (the rest are a link away).
START_NOTICES = 10
START_ACTIONS = 10


def start_sections(user):
    """Notices the user has not read (everyone); an operator's enterprise's open actions; for
    those who write meetings, overdue actions and the months of the last 12 without a monthly
    meeting."""
    today = clock.today()
    found = {
        "today": today,
        "notices": notice_service.unread_notices(user, limit=START_NOTICES),
        "more_notices": notice_service.count_unread(user),
    }
    own = policy.own_enterprise_id(user)
    if own is not None:
        found["own_actions"] = action_service.open_actions(own)
    if policy.can_write(user, MEETINGS):
        found["overdue"] = action_service.overdue_actions(today, limit=START_ACTIONS)
        found["more_overdue"] = action_service.count_overdue(today)
        found["gaps"] = service.recent_gaps(today)
        found["gap_colour"] = monthly_meeting_colour(found["gaps"])
    return [StartSection(10, "meetings/_start.html", found)]


# The pages of actions and notices are on this blueprint.
from coop.views import actions, notices  # noqa: E402, F401
