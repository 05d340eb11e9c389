"""Meetings with their attendance, minutes and actions, and notices between members (docs/design.md
"Meetings")."""

from operator import attrgetter

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from coop.models import (
    Action,
    Amendment,
    Attendance,
    Enterprise,
    Meeting,
    Notice,
    NoticeRead,
)
from coop.models.base import related
from coop.registry import Domain, Kind, NavGroup, NavLink
from coop.schemas.meetings import (
    ATTENDANCE_STATUS_LABELS,
    MEETING_KIND_LABELS,
    ActionFilters,
    ActionSchema,
    AmendmentSchema,
    AttendanceFilters,
    AttendanceSchema,
    MeetingFilters,
    MeetingSchema,
    NoticeSchema,
)
from coop.services import actions, attendance, meetings
from coop.services.owners import ByEnterprise, ByMine

# Meetings, their attendance and actions, and notices are the association's business: every
# member reads them (docs/design.md "Meetings"; "other mine owners will be notified quickly").
MEETINGS = Kind(
    name="meetings",
    page="meetings.meeting",
    label=_l("Meetings"),
    model=Meeting,
    key="key",
    key_fields=("held_on", "kind"),
    find=meetings.meeting_of,
    read_all=True,
    # The association's, not a member's: only the president and admin write them.
    schema=MeetingSchema,
    save=meetings.save_meeting,
    check=meetings.check_meeting,
    filters=MeetingFilters,
    filter=meetings.filter_meetings,
    order_by=(Meeting.held_on.desc(), Meeting.kind),
    sorts={
        "held_on": Meeting.held_on,
        "kind": Meeting.kind,
        "location": Meeting.location,
        "chair": Meeting.chair,
    },
    options=(selectinload(Meeting.amendments),),
    api_routes="coop.views.meetings_api:meeting_api_routes",
    reserved=("calendar",),
    title=meetings.meeting_title,
)

ATTENDANCE = Kind(
    name="attendance",
    label=_l("Attendance"),
    model=Attendance,
    key="key",
    key_fields=("held_on", "kind", "enterprise_code"),
    find=attendance.attendance_of,
    read_all=True,
    owner=ByEnterprise(),
    schema=AttendanceSchema,
    save=attendance.save_attendance,
    filters=AttendanceFilters,
    filter=attendance.filter_attendance,
    order_by=(meetings.held_on_of(Attendance), Attendance.meeting_id, Attendance.enterprise_id),
    sorts={
        "held_on": related(Meeting.held_on, Attendance.meeting_id),
        "enterprise_code": related(Enterprise.code, Attendance.enterprise_id),
        "status": Attendance.status,
    },
    options=(joinedload(Attendance.meeting), joinedload(Attendance.enterprise)),
    title=meetings.attendance_title,
)

ACTIONS = Kind(
    name="actions",
    label=_l("Actions"),
    model=Action,
    key="id",
    find=actions.action_by_id,
    import_key=("held_on", "kind", "description"),
    match=actions.action_of,
    read_all=True,
    owner=ByEnterprise("owner_enterprise_code", "owner_enterprise_id"),
    schema=ActionSchema,
    save=actions.save_action,
    filters=ActionFilters,
    filter=actions.filter_actions,
    order_by=(meetings.held_on_of(Action), Action.meeting_id, Action.id),
    sorts={
        "held_on": related(Meeting.held_on, Action.meeting_id),
        "description": Action.description,
        "owner_enterprise_code": related(Enterprise.code, Action.owner_enterprise_id),
        "due_on": Action.due_on,
        "done_on": Action.done_on,
    },
    options=(joinedload(Action.meeting), joinedload(Action.owner_enterprise)),
    api_routes="coop.views.meetings_api:action_api_routes",
    title=meetings.action_title,
)

AMENDMENTS = Kind(
    name="amendments",
    label=_l("Amendments"),
    model=Amendment,
    read_all=True,
    schema=AmendmentSchema,
)

# Not exchanged: their schemas are their forms' (and label their fields in the audit log).
NOTICES = Kind(
    name="notices",
    page="meetings.notice",
    schema=NoticeSchema,
    title=attrgetter("title"),
    label=_l("Notices"),
    model=Notice,
    read_all=True,
    operator_writes=True,
    owner=ByMine(),
)

DOMAIN = Domain(
    name="meetings",
    does=_l(
        "Log monthly meetings, their attendance, minutes and follow-up actions, and post "
        "notices to members."
    ),
    kinds=(MEETINGS, ATTENDANCE, ACTIONS, AMENDMENTS, NOTICES),
    tables=(NoticeRead,),
    blueprints=("coop.views.meetings:bp",),
    menu=(
        NavGroup(
            _l("Meetings"),
            ("meetings.",),
            (
                NavLink(_l("Meetings"), "meetings.meetings"),
                NavLink(_l("Calendar and attendance"), "meetings.calendar"),
                NavLink(_l("Actions"), "meetings.actions"),
                NavLink(_l("Notices"), "meetings.notices"),
            ),
        ),
    ),
    start="coop.views.meetings:start_sections",
    labels={"meeting_kind": MEETING_KIND_LABELS, "attendance_status": ATTENDANCE_STATUS_LABELS},
    demo="coop.demo.meetings:load",
)
