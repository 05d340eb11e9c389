"""The meeting pages (docs/design.md "Meetings"), as their users act: the president logs a meeting,
takes its attendance on one sheet (every enterprise that was a member on the day; all or
nothing), writes minutes that render as safe Markdown, approves them (then they are locked, and
a correction is an amendment kept beside them), and records actions; an operator marks its own
enterprise's actions done and posts notices about its own mines, which the others see on their
start page until they read them; the calendar names the months without a monthly meeting and
works out each member's attendance rate. Every change is in the audit log.

Who may reach which route is in tests/views/test_routes.py; the rules' arithmetic in
tests/domain/test_meetings.py."""

import re
from datetime import date
from functools import partial
from html import unescape

import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.manifests.meetings import MEETINGS
from coop.models import (
    Action,
    Amendment,
    Attendance,
    AuditEntry,
    Meeting,
    Notice,
    NoticeRead,
    User,
)
from coop.services import actions as action_service
from coop.services import attendance as attendance_service
from coop.services import meetings as service
from tests import helpers
from tests.helpers import audit

TODAY = date(2024, 6, 20)
HELD = date(2024, 2, 16)
KEY = "2024-02-16:monthly"
WRITERS = ("admin", "president")
NON_WRITERS = ("operator", "bureau")


@pytest.fixture
def config():
    """A fixed today: what is overdue, in the future or a gap does not move."""
    return {"TODAY": TODAY.isoformat()}


snapshot = partial(
    helpers.snapshot, Meeting, Attendance, Action, Amendment, Notice, NoticeRead, AuditEntry
)


# ---------------------------------------------------------------------------------------------
# records as the president would have left them


@pytest.fixture
def meeting(users):
    """The monthly meeting of 2024-02-16, with draft minutes and no attendance taken."""
    with acting_as("test"):
        service.save_meeting(
            {
                "held_on": HELD,
                "kind": "monthly",
                "location": "Duyun",
                "chair": "Wang Jun",
                "minutes": "# Minutes\n\nHeld at the office.",
            }
        )
        db.session.commit()
    return KEY


@pytest.fixture
def approved(meeting):
    """2024-02-16's meeting with E1 present (by Li Wei) and E2 absent, its minutes approved on
    2024-03-15."""
    with acting_as("test"):
        record = service.meeting_of(HELD, "monthly")
        attendance_service.take_attendance(
            record,
            [
                {"enterprise_code": "E1", "status": "present", "representative": "Li Wei"},
                {"enterprise_code": "E2", "status": "absent"},
            ],
        )
        service.approve_minutes(record, date(2024, 3, 15))
        db.session.commit()
    return KEY


# description: (owner, due_on, done_on), decided at 2024-02-16's meeting; as of 2024-06-20 the
# overdue ones are those due before that day and not done.
ACTIONS = {
    "Fence the M1A adit": ("E1", date(2024, 5, 31), None),  # overdue
    "Survey the M2A boundary": ("E2", date(2024, 5, 1), None),  # overdue
    "Repair the M1B road": ("E1", date(2024, 7, 31), None),  # open, not due yet
    "Write to the county": (None, date(2024, 6, 19), None),  # overdue, the association's
    "Pay the M1A levy": ("E1", date(2024, 3, 1), date(2024, 2, 28)),  # done
    "Report M2A blasting": ("E2", TODAY, None),  # due today: not overdue yet
}
OVERDUE = ["Survey the M2A boundary", "Fence the M1A adit", "Write to the county"]


@pytest.fixture
def actions(meeting):
    """ACTIONS, decided at 2024-02-16's meeting: {description: id}."""
    ids = {}
    with acting_as("test"):
        for description, (owner, due_on, done_on) in ACTIONS.items():
            action = action_service.save_action(
                {
                    "held_on": HELD,
                    "kind": "monthly",
                    "description": description,
                    "owner_enterprise_code": owner,
                    "due_on": due_on,
                    "done_on": done_on,
                }
            )
            ids[description] = action.id
        db.session.commit()
    return ids


def reload(model, **by):
    db.session.expire_all()
    return db.session.execute(db.select(model).filter_by(**by)).scalar_one_or_none()


def stored_meeting(held_on=HELD, kind="monthly"):
    db.session.expire_all()
    return service.meeting_of(held_on, kind)


def attendance_now(held_on=HELD):
    """{enterprise code: (status, representative)} recorded for the meeting."""
    db.session.expire_all()
    record = service.meeting_of(held_on, "monthly")
    return {a.enterprise_code: (a.status, a.representative) for a in record.attendance}


def user_id(name):
    return db.session.execute(db.select(User.id).filter_by(username=name)).scalar_one()


# ---------------------------------------------------------------------------------------------
# what a page shows


def messages(html):
    """The flashed messages of a page."""
    return [unescape(m) for m in re.findall(r'role="alert">(.*?)</div>', html)]


def errors_of(html):
    """The lines of an error summary."""
    summary = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)
    assert summary, "no error summary on the page"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", summary.group(1))]


def sheet_codes(html):
    """The enterprise codes on the attendance sheet, in order."""
    return re.findall(r'name="rows-\d+-enterprise_code" type="hidden" value="([^"]*)"', html)


def row_problems(html):
    """{enterprise code: [problems]} of the attendance sheet's rows marked in error."""
    found = {}
    for row in re.findall(r'<tr class="table-danger">(.*?)</tr>', html, re.S):
        code = re.search(r'name="rows-\d+-enterprise_code" type="hidden" value="([^"]*)"', row)
        found[code.group(1)] = [
            unescape(m)
            for m in re.findall(
                r'<div class="(?:text-danger small|invalid-feedback)">(.*?)</div>', row
            )
        ]
    return found


def sheet(*rows):
    """The attendance sheet's form data: rows of (code, status or None, representative)."""
    data = {}
    for number, (code, status, representative) in enumerate(rows):
        data[f"rows-{number}-enterprise_code"] = code
        if status is not None:
            data[f"rows-{number}-status"] = status
        data[f"rows-{number}-representative"] = representative or ""
    return data


def between(html, start, end):
    """The part of html from the first start to the next end after it ("" without start)."""
    if start not in html:
        return ""
    rest = html.split(start, 1)[1]
    return rest.split(end, 1)[0]


def minutes_block(html):
    """The inner HTML of the meeting page's minutes box."""
    found = re.search(r'<div class="minutes border rounded p-3 mb-3">(.*?)</div>', html, re.S)
    assert found, "no minutes on the page"
    return found.group(1)


def listed(html, descriptions):
    """Those of descriptions that html shows in a table cell, in the order shown."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    return [cell for cell in cells if cell in descriptions]


def start_section(html, heading):
    """A section of the start page, from its heading to the end of the section."""
    return between(html, heading, "</section>")


def meeting_form(**changes):
    return {
        "held_on": "2024-06-14",
        "kind": "monthly",
        "location": "Duyun office",
        "chair": "Wang Jun",
        "agenda": "1. Leases\n2. Blasting times",
        "minutes": "",
    } | changes


# ---------------------------------------------------------------------------------------------
# logging a meeting


def test_president_logs_a_meeting_and_finds_it_in_the_list(as_role, users):
    """The president logs a meeting with the form; it is at its key's address, in the list,
    and in the audit log."""
    client = as_role("president")
    form = client.get("/meetings/new")
    assert form.status_code == 200
    assert '<option selected value="monthly">' in form.text
    response = client.post("/meetings/new", data=meeting_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/meetings/2024-06-14:monthly"
    page = client.get("/meetings/2024-06-14:monthly").text
    assert "Monthly meeting of Jun 14, 2024 saved." in messages(page)
    assert '<h1 class="h3 mb-0">Monthly meeting of Jun 14, 2024</h1>' in page
    assert "Duyun office" in page and "Wang Jun" in page
    assert "Attendance not taken." in page
    assert "No minutes yet." in page
    record = stored_meeting(date(2024, 6, 14))
    assert (record.location, record.chair, record.agenda, record.minutes) == (
        "Duyun office",
        "Wang Jun",
        "1. Leases\n2. Blasting times",
        None,
    )
    listing = client.get("/meetings/?kind=monthly").text
    assert 'href="/meetings/2024-06-14:monthly"' in listing
    [entry] = audit("meetings", "2024-06-14:monthly")
    assert (entry.action, entry.actor) == ("create", "president")
    assert entry.after["location"] == "Duyun office"


def test_a_second_meeting_of_the_same_day_and_kind_is_refused(as_role, meeting):
    """One meeting per date and kind; another kind on the same day is a meeting of its own."""
    client = as_role("president")
    before = snapshot()
    response = client.post("/meetings/new", data=meeting_form(held_on="2024-02-16"))
    assert response.status_code == 400
    assert "Held on: a monthly meeting is already recorded on 2024-02-16." in errors_of(
        response.text
    )
    assert snapshot() == before
    response = client.post(
        "/meetings/new", data=meeting_form(held_on="2024-02-16", kind="extraordinary")
    )
    assert response.status_code == 302
    assert stored_meeting(HELD, "extraordinary") is not None


def test_minutes_of_a_meeting_not_yet_held_are_refused(as_role, users):
    """A future meeting may have its agenda, not its minutes."""
    client = as_role("president")
    before = snapshot()
    response = client.post(
        "/meetings/new", data=meeting_form(held_on="2024-07-19", minutes="All agreed.")
    )
    assert response.status_code == 400
    assert "Minutes: cannot be written before the meeting is held." in errors_of(response.text)
    assert snapshot() == before
    response = client.post("/meetings/new", data=meeting_form(held_on="2024-07-19"))
    assert response.status_code == 302


@pytest.mark.parametrize("role", NON_WRITERS)
def test_operators_and_the_bureau_log_no_meeting_nor_attendance(as_role, meeting, role):
    """Meetings and their attendance are the president's to record: the operator and the
    bureau get 403 on every form, GET or POST, and nothing is written."""
    client = as_role(role)
    before = snapshot()
    for url, data in (
        ("/meetings/new", meeting_form()),
        (f"/meetings/{KEY}/edit", meeting_form(held_on="2024-02-16", location="Elsewhere")),
        (f"/meetings/{KEY}/attendance", sheet(("E1", "present", ""), ("E2", "present", ""))),
        (f"/meetings/{KEY}/actions/new", {"description": "Mine", "owner_enterprise_code": "E1"}),
        (f"/meetings/{KEY}/amend", {"text": "Corrected.", "reason": "typo"}),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data=data).status_code == 403, url
    assert (
        client.post(f"/meetings/{KEY}/approve", data={"approved_on": "2024-03-15"}).status_code
        == 403
    )
    assert snapshot() == before
    assert stored_meeting().location == "Duyun"
    assert stored_meeting().approved_on is None


def test_the_bureau_and_operators_read_every_meeting_page(as_role, approved, actions):
    """Every member and the bureau read the meetings, their minutes, attendance and actions,
    with no button to change them (an operator only marks its own actions done)."""
    for role in ("bureau", "operator"):
        client = as_role(role)
        for url in ("/meetings/", f"/meetings/{KEY}", "/meetings/calendar", "/actions/"):
            assert client.get(url).status_code == 200, (role, url)
        page = client.get(f"/meetings/{KEY}").text
        assert "Held at the office." in page
        assert f'href="/meetings/{KEY}/edit"' not in page
        assert f'href="/meetings/{KEY}/amend"' not in page
        assert f'href="/meetings/{KEY}/actions/new"' not in page
        assert not re.search(r'href="/actions/\d+/edit"', page)


# ---------------------------------------------------------------------------------------------
# the attendance sheet


@pytest.mark.parametrize(
    ("held_on", "codes"),
    [
        ("2024-02-16", ["E1", "E2"]),  # E3 left on 2004-12-31
        ("2004-05-14", ["E1", "E2", "E3"]),
        ("2004-12-31", ["E1", "E2", "E3"]),  # E3's last day as a member
        ("2002-05-14", ["E1", "E3"]),  # E2 joined on 2003-03-01
        ("2003-03-01", ["E1", "E2", "E3"]),  # E2's first day
    ],
)
def test_attendance_sheet_lists_every_member_of_the_day(as_role, users, held_on, codes):
    """The sheet starts with every enterprise that was a member on the meeting's day."""
    client = as_role("president")
    assert client.post("/meetings/new", data=meeting_form(held_on=held_on)).status_code == 302
    page = client.get(f"/meetings/{held_on}:monthly/attendance")
    assert page.status_code == 200
    assert sheet_codes(page.text) == codes
    response = client.post(
        f"/meetings/{held_on}:monthly/attendance",
        data=sheet(*((code, "present", "") for code in codes)),
    )
    assert response.status_code == 302
    day = date.fromisoformat(held_on)
    assert attendance_now(day) == dict.fromkeys(codes, ("present", None))


def test_all_present_in_one_click(as_role, meeting):
    """ "Save: all present" marks every member of the sheet present, whatever was chosen, and
    keeps the representatives typed."""
    client = as_role("president")
    page = client.get(f"/meetings/{KEY}/attendance").text
    assert 'name="all_present"' in page
    response = client.post(
        f"/meetings/{KEY}/attendance",
        data=sheet(("E1", None, ""), ("E2", "absent", "Zhao Min")) | {"all_present": "1"},
    )
    assert response.status_code == 302
    assert attendance_now() == {"E1": ("present", None), "E2": ("present", "Zhao Min")}


def test_president_takes_attendance_at_once(as_role, meeting):
    """Statuses and representatives of every member are saved by one POST, each in the audit
    log; the meeting's page shows them; a second POST changes them."""
    client = as_role("president")
    response = client.post(
        f"/meetings/{KEY}/attendance",
        data=sheet(("E1", "present", " Li Wei "), ("E2", "excused", "")),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{KEY}"
    assert attendance_now() == {"E1": ("present", "Li Wei"), "E2": ("excused", None)}
    page = client.get(f"/meetings/{KEY}").text
    assert "Monthly meeting of Feb 16, 2024: attendance saved." in messages(page)
    table = between(page, 'id="attendance"', "</table>")
    rows = re.findall(
        r"<tr>\s*<td><a [^>]*>(E\d) [^<]*</a></td>\s*<td>(\w+)</td>\s*<td>([^<]*)</td>", table
    )
    assert rows == [("E1", "present", "Li Wei"), ("E2", "excused", "")]
    # the sheet comes back filled in
    again = client.get(f"/meetings/{KEY}/attendance").text
    assert re.search(r'<input checked[^>]*name="rows-0-status"[^>]*value="present"', again)
    assert re.search(r'<input checked[^>]*name="rows-1-status"[^>]*value="excused"', again)
    assert 'value="Li Wei"' in again
    response = client.post(
        f"/meetings/{KEY}/attendance", data=sheet(("E1", "present", ""), ("E2", "present", "Zhao"))
    )
    assert response.status_code == 302
    assert attendance_now() == {"E1": ("present", None), "E2": ("present", "Zhao")}
    entries = db.session.execute(
        db.select(AuditEntry).filter_by(record_type="attendance").order_by(AuditEntry.id)
    ).scalars()
    assert [(e.action, e.actor) for e in entries] == [
        ("create", "president"),
        ("create", "president"),
        ("update", "president"),
        ("update", "president"),
    ]


def test_a_representative_for_an_absent_enterprise_refuses_the_whole_sheet(as_role, meeting):
    """A representative is given only for an enterprise that was present; one bad row and no
    row is written, E1's good one neither."""
    client = as_role("president")
    before = snapshot()
    response = client.post(
        f"/meetings/{KEY}/attendance",
        data=sheet(("E1", "present", "Li Wei"), ("E2", "absent", "Zhao")),
    )
    assert response.status_code == 400
    assert row_problems(response.text) == {
        "E2": ["is given only for an enterprise that was present."]
    }
    assert snapshot() == before
    assert attendance_now() == {}


def test_a_refused_sheet_shows_each_problem_beside_its_row(as_role, meeting):
    """The sheet comes back as filled in, each refused row marked with its problem."""
    client = as_role("president")
    response = client.post(
        f"/meetings/{KEY}/attendance",
        data=sheet(("E1", "present", "Li Wei"), ("E2", "absent", "Zhao")),
    )
    assert response.status_code == 400
    assert row_problems(response.text) == {
        "E2": ["is given only for an enterprise that was present."]
    }
    assert sheet_codes(response.text) == ["E1", "E2"]
    assert 'value="Zhao"' in response.text


def test_a_refused_sheet_sums_up_its_problems_at_the_top(as_role, meeting):
    """As for a missing status, a refused representative is listed in the page's summary."""
    client = as_role("president")
    response = client.post(
        f"/meetings/{KEY}/attendance",
        data=sheet(("E1", "present", "Li Wei"), ("E2", "absent", "Zhao")),
    )
    assert "E2: is given only for an enterprise that was present." in errors_of(response.text)


def test_a_missing_status_refuses_the_sheet(as_role, meeting):
    """Every member on the sheet needs a status."""
    client = as_role("president")
    before = snapshot()
    response = client.post(
        f"/meetings/{KEY}/attendance", data=sheet(("E1", "present", ""), ("E2", None, ""))
    )
    assert response.status_code == 400
    assert "E2: choose present, absent or excused." in errors_of(response.text)
    assert row_problems(response.text) == {"E2": ["choose present, absent or excused."]}
    assert snapshot() == before


def test_attendance_of_an_enterprise_not_a_member_on_the_day_is_refused(as_role, meeting):
    """A former member (E3 left in 2004) cannot be added to the sheet of a 2024 meeting."""
    client = as_role("president")
    before = snapshot()
    response = client.post(
        f"/meetings/{KEY}/attendance",
        data=sheet(("E1", "present", ""), ("E2", "present", ""), ("E3", "present", "")),
    )
    assert response.status_code == 400
    assert row_problems(response.text) == {"E3": ["E3 was not a member on 2024-02-16."]}
    assert snapshot() == before


def test_attendance_at_a_meeting_not_yet_held_is_refused(as_role, users):
    """Attendance is taken once a meeting is held; the page offers no attendance button."""
    client = as_role("president")
    assert client.post("/meetings/new", data=meeting_form(held_on="2024-07-19")).status_code == 302
    key = "2024-07-19:monthly"
    assert f'href="/meetings/{key}/attendance"' not in client.get(f"/meetings/{key}").text
    before = snapshot()
    response = client.post(
        f"/meetings/{key}/attendance", data=sheet(("E1", "present", ""), ("E2", "absent", ""))
    )
    assert response.status_code == 400
    assert row_problems(response.text) == {
        "E1": ["the meeting has not been held yet."],
        "E2": ["the meeting has not been held yet."],
    }
    assert snapshot() == before
    # held today: attendance may be taken
    client.post("/meetings/new", data=meeting_form(held_on="2024-06-20"))
    response = client.post(
        "/meetings/2024-06-20:monthly/attendance",
        data=sheet(("E1", "present", ""), ("E2", "absent", "")),
    )
    assert response.status_code == 302


# ---------------------------------------------------------------------------------------------
# minutes: Markdown, rendered safely

HOSTILE_MINUTES = (
    "## Decisions\n\n"
    "- fence the adit\n"
    "- **blasting** at noon only\n\n"
    "<script>alert(1)</script>\n\n"
    "<img src=x onerror=alert(2)>\n\n"
    "[a link](javascript:alert(3))\n"
)


def test_minutes_render_markdown_and_show_html_as_text(as_role, meeting):
    """Markdown headings, lists and emphasis render; script and event-handler tags typed into
    the minutes are shown as the text they are, never as tags."""
    client = as_role("president")
    response = client.post(
        f"/meetings/{KEY}/edit", data=meeting_form(held_on="2024-02-16", minutes=HOSTILE_MINUTES)
    )
    assert response.status_code == 302
    assert stored_meeting().minutes == HOSTILE_MINUTES.strip()
    for role in ("president", "operator", "bureau"):
        html = as_role(role).get(f"/meetings/{KEY}").text
        minutes = minutes_block(html)
        assert "<h2>Decisions</h2>" in minutes
        assert "<li>fence the adit</li>" in minutes
        assert "<strong>blasting</strong>" in minutes
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in minutes
        assert "&lt;img src=x onerror=alert(2)&gt;" in minutes
        assert "<script" not in minutes and "<img" not in minutes
        assert all("javascript:" not in tag for tag in re.findall(r"<a [^>]*>", minutes))
        assert "<script>alert" not in html


# ---------------------------------------------------------------------------------------------
# approving minutes; locked minutes


@pytest.mark.parametrize(
    ("approved_on", "message"),
    [
        ("2024-02-15", "must not be before the meeting (2024-02-16)."),
        ("2024-06-21", "must not be in the future."),
    ],
)
def test_approval_before_the_meeting_or_in_the_future_is_refused(
    as_role, meeting, approved_on, message
):
    """Minutes are approved at the meeting itself or a later one, never on a day to come."""
    client = as_role("president")
    before = snapshot()
    response = client.post(f"/meetings/{KEY}/approve", data={"approved_on": approved_on})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert message in messages(page)
    assert snapshot() == before
    assert stored_meeting().approved_on is None


def test_president_approves_the_minutes(as_role, meeting):
    """Approving records the day (that of the approving meeting, today at the latest); the
    page then says so and offers an amendment instead of an edit."""
    client = as_role("president")
    page = client.get(f"/meetings/{KEY}").text
    assert f'action="/meetings/{KEY}/approve"' in page
    assert re.search(r'<input [^>]*name="approved_on"[^>]*value="2024-06-20"', page)
    response = client.post(f"/meetings/{KEY}/approve", data={"approved_on": "2024-03-15"})
    assert response.status_code == 302
    assert stored_meeting().approved_on == date(2024, 3, 15)
    page = client.get(f"/meetings/{KEY}").text
    assert "Monthly meeting of Feb 16, 2024: the minutes are approved." in messages(page)
    assert "approved on Mar 15, 2024" in page
    assert f'href="/meetings/{KEY}/amend"' in page
    assert f'href="/meetings/{KEY}/edit"' not in page
    assert f'href="/meetings/{KEY}/attendance"' not in page
    assert f'action="/meetings/{KEY}/approve"' not in page
    last = audit("meetings", KEY)[-1]
    assert (last.action, last.actor, last.before, last.after) == (
        "update",
        "president",
        {"approved_on": None},
        {"approved_on": "2024-03-15"},
    )


def test_minutes_not_written_cannot_be_approved(as_role, users):
    client = as_role("president")
    client.post("/meetings/new", data=meeting_form(held_on="2024-05-17"))
    page = client.get("/meetings/2024-05-17:monthly").text
    assert 'action="/meetings/2024-05-17:monthly/approve"' not in page  # no minutes, no form
    before = snapshot()
    response = client.post("/meetings/2024-05-17:monthly/approve", data={"approved_on": TODAY})
    assert "there are no minutes to approve." in messages(
        client.get(response.headers["Location"]).text
    )
    assert snapshot() == before


def test_approved_minutes_cannot_be_approved_again(as_role, approved):
    client = as_role("president")
    before = snapshot()
    response = client.post(f"/meetings/{KEY}/approve", data={"approved_on": "2024-06-20"})
    page = client.get(response.headers["Location"]).text
    assert any("are locked" in m for m in messages(page))
    assert snapshot() == before
    assert stored_meeting().approved_on == date(2024, 3, 15)


@pytest.mark.parametrize("role", WRITERS)
def test_approved_minutes_are_locked_for_every_writer(as_role, approved, role):
    """Once approved, the edit page and the attendance sheet send the admin and the president
    to the amendment form, and a POST to either changes nothing."""
    client = as_role(role)
    before = snapshot()
    for url in (f"/meetings/{KEY}/edit", f"/meetings/{KEY}/attendance"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == f"/meetings/{KEY}/amend"
    response = client.post(
        f"/meetings/{KEY}/edit",
        data=meeting_form(held_on="2024-02-16", minutes="Rewritten.", location="Elsewhere"),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{KEY}/amend"
    page = client.get(response.headers["Location"]).text
    assert (
        "Monthly meeting of Feb 16, 2024: the minutes were approved on Mar 15, 2024 and are "
        "locked; a correction is made as an amendment." in messages(page)
    )
    response = client.post(
        f"/meetings/{KEY}/attendance", data=sheet(("E1", "absent", ""), ("E2", "present", ""))
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{KEY}/amend"
    assert snapshot() == before
    record = stored_meeting()
    assert (record.minutes, record.location) == ("# Minutes\n\nHeld at the office.", "Duyun")
    assert attendance_now() == {"E1": ("present", "Li Wei"), "E2": ("absent", None)}


@pytest.mark.parametrize("role", NON_WRITERS)
def test_locked_minutes_are_refused_to_those_who_may_not_write_anyway(as_role, approved, role):
    client = as_role(role)
    before = snapshot()
    assert client.get(f"/meetings/{KEY}/edit").status_code == 403
    assert client.post(f"/meetings/{KEY}/edit", data=meeting_form()).status_code == 403
    assert client.post(f"/meetings/{KEY}/attendance", data=sheet()).status_code == 403
    assert snapshot() == before


def test_api_patch_of_a_locked_meeting_is_409(as_api, approved):
    """The API refuses a change to an approved meeting with 409 and changes nothing; sending
    the values it already has is no change."""
    api = as_api("president")
    before = snapshot()
    response = api.patch(f"/api/v1/meetings/{KEY}", json={"minutes": "Rewritten."})
    assert response.status_code == 409
    assert "are locked" in response.json["details"]["minutes"][0]
    response = api.patch(f"/api/v1/meetings/{KEY}", json={"location": "Elsewhere"})
    assert response.status_code == 409
    assert snapshot() == before
    assert stored_meeting().minutes == "# Minutes\n\nHeld at the office."
    same = api.patch(f"/api/v1/meetings/{KEY}", json={"location": "Duyun"})
    assert same.status_code == 200
    assert snapshot() == before


def test_an_amendment_is_kept_beside_the_approved_minutes(as_role, approved):
    """An amendment, with its reason, author and day, is shown beside the original minutes,
    which stay as approved."""
    client = as_role("president")
    form = client.get(f"/meetings/{KEY}/amend").text
    assert "Held at the office." in form  # the minutes as approved, beside the form
    response = client.post(
        f"/meetings/{KEY}/amend",
        data={"text": "Held at the **Duyun** office.", "reason": "The place was wrong."},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{KEY}"
    [amendment] = db.session.execute(db.select(Amendment)).scalars().all()
    assert (amendment.made_on, amendment.author, amendment.reason, amendment.text) == (
        TODAY,
        "president",
        "The place was wrong.",
        "Held at the **Duyun** office.",
    )
    assert stored_meeting().minutes == "# Minutes\n\nHeld at the office."
    page = as_role("operator").get(f"/meetings/{KEY}").text
    assert "Held at the office." in minutes_block(page)
    amended = between(page, "Amendment of", "</div>\n</div>")
    assert "Jun 20, 2024 by president" in amended
    assert "Reason: The place was wrong." in amended
    assert "Held at the <strong>Duyun</strong> office." in amended
    assert page.index("Held at the office.") < page.index("Amendment of Jun 20, 2024")
    [entry] = db.session.execute(
        db.select(AuditEntry).filter_by(record_type="amendments")
    ).scalars()
    assert (entry.action, entry.actor, entry.after["reason"]) == (
        "create",
        "president",
        "The place was wrong.",
    )


def test_an_amendment_renders_html_as_text(as_role, approved):
    client = as_role("admin")
    client.post(f"/meetings/{KEY}/amend", data={"text": "<script>alert(1)</script>"})
    page = client.get(f"/meetings/{KEY}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_unapproved_minutes_are_edited_not_amended(as_role, meeting):
    """Amending minutes not yet approved is refused: they are simply edited."""
    client = as_role("president")
    before = snapshot()
    response = client.post(f"/meetings/{KEY}/amend", data={"text": "Corrected.", "reason": "x"})
    assert response.status_code == 400
    assert (
        "Correction: The minutes are not approved yet: edit them instead of amending them."
        in errors_of(response.text)
    )
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# actions


def test_president_adds_an_action_with_an_owner(as_role, meeting):
    """An action is decided at a meeting; its owner is one of the members of that day, or
    none (the association)."""
    client = as_role("president")
    form = client.get(f"/meetings/{KEY}/actions/new").text
    assert re.findall(r'<option value="(E\d)">', form) == ["E1", "E2"]  # not E3, gone by 2024
    response = client.post(
        f"/meetings/{KEY}/actions/new",
        data={
            "description": "Fence the M1A adit",
            "owner_enterprise_code": "E1",
            "due_on": "2024-07-31",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{KEY}#actions"
    action = reload(Action, description="Fence the M1A adit")
    assert (action.meeting.key, action.owner_enterprise_code, action.due_on, action.done_on) == (
        KEY,
        "E1",
        date(2024, 7, 31),
        None,
    )
    page = client.get(f"/meetings/{KEY}").text
    assert re.search(r"<td[^>]*>Fence the M1A adit</td>", page)
    [entry] = audit("actions", str(action.id))
    assert (entry.action, entry.actor, entry.after["owner_enterprise_code"]) == (
        "create",
        "president",
        "E1",
    )


def test_an_action_due_before_its_meeting_is_refused(as_role, meeting):
    client = as_role("president")
    before = snapshot()
    response = client.post(
        f"/meetings/{KEY}/actions/new",
        data={"description": "Too early", "owner_enterprise_code": "", "due_on": "2024-02-01"},
    )
    assert response.status_code == 400
    assert "Due on: must not be before the meeting (2024-02-16)." in errors_of(response.text)
    assert snapshot() == before


def test_operator_sees_and_marks_done_its_own_open_actions(as_role, actions):
    """The operator's start page lists E1's open actions, each with a Mark done button; marking
    one done sets done_on to today, is logged, and the action leaves the list."""
    client = as_role("operator")
    page = client.get("/").text
    own = start_section(page, "Open actions of your enterprise")
    assert listed(own, ACTIONS) == ["Fence the M1A adit", "Repair the M1B road"]
    fence, road = actions["Fence the M1A adit"], actions["Repair the M1B road"]
    assert f'action="/actions/{fence}/done"' in own and f'action="/actions/{road}/done"' in own
    assert own.count("Mark done") == 2
    response = client.post(f"/actions/{fence}/done", data={"next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert reload(Action, id=fence).done_on == TODAY
    page = client.get("/").text
    assert "Action marked done." in messages(page)
    assert listed(start_section(page, "Open actions of your enterprise"), ACTIONS) == [
        "Repair the M1B road"
    ]
    last = audit("actions", str(fence))[-1]
    assert (last.action, last.actor, last.before, last.after) == (
        "update",
        "operator",
        {"done_on": None},
        {"done_on": "2024-06-20"},
    )


def test_operator_marks_no_other_action_done_and_edits_none(as_role, actions):
    """The operator may not mark E2's (or the association's) action done, nor edit or add any
    action, even E1's own: 403 and nothing changes. The bureau marks nothing done."""
    client = as_role("operator")
    before = snapshot()
    for description in ("Survey the M2A boundary", "Write to the county"):
        number = actions[description]
        assert client.post(f"/actions/{number}/done", data={"next": "/"}).status_code == 403
    own = actions["Repair the M1B road"]
    assert client.get(f"/actions/{own}/edit").status_code == 403
    edit = {
        "description": "Repair the M1B road",
        "owner_enterprise_code": "E1",
        "done_on": "2024-06-01",
    }
    assert client.post(f"/actions/{own}/edit", data=edit).status_code == 403
    meeting_page = client.get(f"/meetings/{KEY}").text
    assert f'action="/actions/{actions["Survey the M2A boundary"]}/done"' not in meeting_page
    assert f'action="/actions/{own}/done"' in meeting_page
    bureau = as_role("bureau")
    assert bureau.post(f"/actions/{own}/done", data={"next": "/"}).status_code == 403
    assert snapshot() == before
    db.session.expire_all()
    assert [
        a.done_on for a in db.session.execute(db.select(Action).order_by(Action.id)).scalars()
    ] == [done for _owner, _due, done in ACTIONS.values()]


def test_the_president_edits_and_marks_done_any_action(as_role, actions):
    client = as_role("president")
    survey = actions["Survey the M2A boundary"]
    response = client.post(
        f"/actions/{survey}/edit",
        data={
            "description": "Survey the M2A boundary again",
            "owner_enterprise_code": "E2",
            "due_on": "2024-08-31",
        },
    )
    assert response.status_code == 302
    action = reload(Action, id=survey)
    assert (action.description, action.due_on) == (
        "Survey the M2A boundary again",
        date(2024, 8, 31),
    )
    county = actions["Write to the county"]
    assert client.post(f"/actions/{county}/done", data={"next": "/actions/"}).status_code == 302
    assert reload(Action, id=county).done_on == TODAY


def test_overdue_actions_are_highlighted_for_the_president(as_role, actions):
    """Actions due before today and not done are overdue: listed on the president's start page
    (the earliest due first) and on /actions/?state=overdue, highlighted; one due today is not
    overdue yet, nor is one done."""
    client = as_role("president")
    page = client.get("/").text
    section = start_section(page, "3 overdue actions")
    assert listed(section, ACTIONS) == OVERDUE
    assert section.count('<tr class="table-danger">') == 3
    assert section.count(">overdue</span>") == 3
    listing = client.get("/actions/?state=overdue").text
    assert "3 actions" in listing
    assert sorted(listed(listing, ACTIONS)) == sorted(OVERDUE)
    assert listing.count('<tr class="table-danger">') == 3
    # the open list has the overdue ones highlighted among the others
    open_list = client.get("/actions/").text
    assert sorted(listed(open_list, ACTIONS)) == sorted(
        d for d, (_o, _due, done) in ACTIONS.items() if done is None
    )
    assert open_list.count('<tr class="table-danger">') == 3
    done_list = client.get("/actions/?state=done").text
    assert listed(done_list, ACTIONS) == ["Pay the M1A levy"]


@pytest.mark.parametrize("role", ["operator", "bureau"])
def test_only_the_president_and_admin_get_the_overdue_section(as_role, actions, role):
    """The overdue list is the president's (and admin's) to chase: not on an operator's or the
    bureau's start page."""
    page = as_role(role).get("/").text
    assert "overdue actions" not in page
    assert '<h2 class="h5 text-danger">' not in page
    assert "Survey the M2A boundary" not in page.split("Latest changes")[0]
    assert "3 overdue actions" in as_role("admin").get("/").text


# ---------------------------------------------------------------------------------------------
# the calendar and attendance rates


def rate_rows(html):
    """(code, present, held, rate) of the calendar's attendance table."""
    table = between(html, 'id="attendance"', "</table>")
    return re.findall(
        r'<td><a href="[^"]*">(E\d) [^<]*</a></td>\s*<td class="text-end">(\d+)</td>\s*'
        r'<td class="text-end">(\d+)</td>\s*<td class="text-end">([^<]*?)(?: <span|</td>)',
        table,
    )


def test_calendar_names_the_gap_month_and_works_out_attendance_rates(as_role, year_of_meetings):
    """As of 2024-06-20 the last 12 full months are 2023-06 to 2024-05: all but 2023-11 had a
    monthly meeting (its extraordinary meeting does not count), so 2023-11 is the gap.

    The attendance window is 2023-06-21 to 2024-06-20: the ten monthly meetings from 2023-07-15
    (2023-06-15's falls before it; 2023-11-20's attendance was not taken). E1 was present at
    all ten: 100 %. E2 missed 2023-07 and 2023-08 and was excused in 2023-09: 7 / 10 = 70 %,
    below 75 %. E4, a member from 2024-01-01, counts only the five meetings since and missed
    2024-02: 4 / 5 = 80 %. E3 left in 2004 and is not listed."""
    client = as_role("bureau")
    page = client.get("/meetings/calendar").text
    alert = between(page, 'role="status">', "</div>")
    assert "1 month of the last 12 without a monthly meeting: 2023-11" in alert
    assert 'class="alert alert-warning"' in page  # one gap: amber, not red
    row_2023 = between(page, '<th scope="row">2023</th>', "</tr>")
    cells = re.findall(r"<td[^>]*>.*?</td>", row_2023, re.S)
    assert len(cells) == 12
    assert cells[:5] == [f'<td data-month="{m}"></td>' for m in range(1, 6)]  # no meeting yet
    assert cells[10].startswith('<td class="table-danger"')
    assert ">gap</span>" in cells[10] and "20*</a>" in cells[10]  # the extraordinary meeting
    assert [i + 1 for i, c in enumerate(cells) if "gap" in c] == [11]
    assert ">15</a>" in cells[5] and "table-danger" not in cells[5]
    row_2024 = between(page, '<th scope="row">2024</th>', "</tr>")
    assert "gap" not in row_2024  # 2024-06 is not over
    assert rate_rows(page) == [
        ("E1", "10", "10", "100 %"),
        ("E2", "7", "10", "70 %"),
        ("E4", "4", "5", "80 %"),
    ]
    e2_row = re.search(r"<tr([^>]*)>\s*<td><a [^>]*>E2 ", page)
    assert e2_row.group(1) == ' class="table-warning"'
    assert "from Jun 21, 2023 to Jun 20, 2024" in page
    # the president's start page names the gap too
    start = as_role("president").get("/").text
    assert "1 month of the last 12 without a monthly meeting: 2023-11" in start


def test_two_gaps_make_the_calendar_red(as_role, users):
    """Only one monthly meeting in the last 12 full months: eleven gaps, listed oldest first."""
    with acting_as("test"):
        service.save_meeting({"held_on": date(2024, 1, 10), "kind": "monthly"})
        db.session.commit()
    page = as_role("president").get("/meetings/calendar").text
    alert = between(page, 'role="status">', "</div>")
    assert "11 months of the last 12 without a monthly meeting:" in alert
    assert "2023-06, 2023-07, 2023-08" in alert and "2024-05" in alert and "2024-01" not in alert
    assert 'class="alert alert-danger" role="status"' in page


def test_two_gaps_not_in_a_row_keep_the_calendar_amber(as_role, year_of_meetings):
    """The rule monthly_meeting is red for two months in a row without a monthly meeting, not for
    two months apart: with 2024-03's meeting gone too, 2023-11 and 2024-03 are gaps, amber."""
    with acting_as("test"):
        meeting = MEETINGS.get("2024-03-15:monthly")
        db.session.execute(db.delete(Attendance).where(Attendance.meeting_id == meeting.id))
        db.session.delete(meeting)
        db.session.commit()
    for client, url in ((as_role("president"), "/meetings/calendar"), (as_role("president"), "/")):
        page = client.get(url).text
        assert "2 months of the last 12 without a monthly meeting: 2023-11, 2024-03" in page
        assert 'class="alert alert-warning" role="status"' in page
        assert 'class="alert alert-danger" role="status"' not in page


# ---------------------------------------------------------------------------------------------
# notices


def post_notice(client, **changes):
    data = {
        "title": "Blasting at M1A",
        "mine_code": "M1A",
        "effective_on": "2024-06-24",
        "body": "Noon to 13:00.",
    }
    return client.post("/notices/new", data=data | changes)


def new_notices(html):
    """The titles on the start page's new notices list."""
    section = between(html, 'id="notices-title"', "</section>")
    return re.findall(r'<a class="fw-semibold" href="/notices/\d+">([^<]*)</a>', section)


def test_operator_posts_a_notice_about_its_own_mine(as_role, users):
    """An operator posts a notice about one of its enterprise's mines; it is logged."""
    client = as_role("operator")
    form = client.get("/notices/new").text
    assert re.findall(r'<option value="(M[^"]*)"', form) == ["M1A", "M1B"]
    response = post_notice(client)
    assert response.status_code == 302
    notice = reload(Notice, title="Blasting at M1A")
    assert response.headers["Location"] == f"/notices/{notice.id}"
    assert (notice.mine_code, notice.effective_on, notice.author.username) == (
        "M1A",
        date(2024, 6, 24),
        "operator",
    )
    [entry] = audit("notices", str(notice.id))
    assert (entry.action, entry.actor) == ("create", "operator")


def test_an_operators_notice_names_one_of_its_mines(as_role, users):
    """A notice about no mine is the association's: an operator's names one of its mines (the
    form offers no blank), the president's need not."""
    client = as_role("operator")
    form = client.get("/notices/new").text
    assert '<option value="">' not in form
    before = snapshot()
    response = post_notice(client, mine_code="")
    assert response.status_code == 400
    assert "Mine: an operator's record names one of the mines of E1." in unescape(response.text)
    assert snapshot() == before
    assert post_notice(as_role("president"), mine_code="").status_code == 302


def test_operator_may_not_post_about_another_enterprises_mine(as_role, users):
    client = as_role("operator")
    before = snapshot()
    assert post_notice(client, mine_code="M2A").status_code == 403
    assert snapshot() == before


def test_a_notice_is_new_on_the_start_page_until_read(as_role, users):
    """The president and the bureau see the operator's notice as new on their start page until
    each marks it read; its author never sees it as new."""
    post_notice(as_role("operator"))
    notice = reload(Notice, title="Blasting at M1A")
    assert new_notices(as_role("operator").get("/").text) == []
    for role in ("president", "bureau"):
        client = as_role(role)
        page = client.get("/").text
        assert "1 new notice" in page
        assert new_notices(page) == ["Blasting at M1A"]
        response = client.post(f"/notices/{notice.id}/read", data={"next": "/"})
        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        page = client.get("/").text
        assert new_notices(page) == []
        assert "new notice" not in page
    # marking it read twice is harmless
    assert as_role("bureau").post(f"/notices/{notice.id}/read", data={}).status_code == 302
    reads = db.session.execute(db.select(NoticeRead.user_id).order_by(NoticeRead.user_id)).scalars()
    assert sorted(reads) == sorted([user_id("president"), user_id("bureau")])
    # the admin and the other operator still have it as new
    assert new_notices(as_role("admin").get("/").text) == ["Blasting at M1A"]
    assert new_notices(as_role("operator_b").get("/").text) == ["Blasting at M1A"]


def test_mark_all_read(as_role, users):
    """ "Mark all read" clears every new notice from the user's start page, the newest first
    before it."""
    client = as_role("operator")
    post_notice(client, title="First")
    post_notice(client, title="Second", mine_code="M1B")
    president = as_role("president")
    assert sorted(new_notices(president.get("/").text)) == ["First", "Second"]
    assert "2 new notices" in president.get("/").text
    response = president.post("/notices/read", data={"next": "/"})
    assert response.status_code == 302
    page = president.get("/").text
    assert "Every notice is marked read." in messages(page)
    assert new_notices(page) == []
    # the bureau's are untouched
    assert sorted(new_notices(as_role("bureau").get("/").text)) == ["First", "Second"]


def test_operator_cannot_edit_the_presidents_notice(as_role, users):
    """A notice is changed by its author or the president and admin, no one else."""
    president = as_role("president")
    assert post_notice(president, title="General assembly moved", mine_code="").status_code == 302
    notice = reload(Notice, title="General assembly moved")
    client = as_role("operator")
    before = snapshot()
    assert client.get(f"/notices/{notice.id}/edit").status_code == 403
    assert client.post(f"/notices/{notice.id}/edit", data={"title": "Hijacked"}).status_code == 403
    assert f'href="/notices/{notice.id}/edit"' not in client.get(f"/notices/{notice.id}").text
    assert snapshot() == before
    assert reload(Notice, id=notice.id).title == "General assembly moved"
    # the operator edits its own notice
    post_notice(client)
    own = reload(Notice, title="Blasting at M1A")
    response = client.post(
        f"/notices/{own.id}/edit", data={"title": "Blasting at M1A moved", "mine_code": "M1A"}
    )
    assert response.status_code == 302
    assert reload(Notice, id=own.id).title == "Blasting at M1A moved"
    # but may not move it to another enterprise's mine
    response = client.post(f"/notices/{own.id}/edit", data={"title": "x", "mine_code": "M2A"})
    assert response.status_code == 403
    assert reload(Notice, id=own.id).mine_code == "M1A"


def test_a_notice_body_is_shown_as_text(as_role, users):
    post_notice(as_role("operator"), body="<script>alert(1)</script>")
    notice = reload(Notice, title="Blasting at M1A")
    page = as_role("bureau").get(f"/notices/{notice.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


# ---------------------------------------------------------------------------------------------
# the audit log


def test_every_change_to_a_meeting_is_in_the_audit_log(as_role, users):
    """A meeting logged, its attendance, its approval, an amendment, an action and the
    action done: each change is an audit entry naming who made it."""
    president = as_role("president")
    key = "2024-05-17:monthly"
    president.post("/meetings/new", data=meeting_form(held_on="2024-05-17", minutes="Held."))
    president.post(
        f"/meetings/{key}/attendance", data=sheet(("E1", "present", "Li Wei"), ("E2", "absent", ""))
    )
    president.post(
        f"/meetings/{key}/actions/new",
        data={"description": "Fence the adit", "owner_enterprise_code": "E1", "due_on": ""},
    )
    president.post(f"/meetings/{key}/approve", data={"approved_on": "2024-06-14"})
    president.post(
        f"/meetings/{key}/amend", data={"text": "Li Wei came late.", "reason": "omitted"}
    )
    action = reload(Action, description="Fence the adit")
    as_role("operator").post(f"/actions/{action.id}/done", data={"next": "/"})
    db.session.expire_all()
    entries = db.session.execute(
        db.select(AuditEntry)
        .where(AuditEntry.record_type.in_(["meetings", "attendance", "actions", "amendments"]))
        .order_by(AuditEntry.id)
    ).scalars()
    logged = [
        (e.record_type, e.action, e.actor, e.after.get("enterprise_code") or sorted(e.after))
        for e in entries
    ]
    assert logged == [
        (
            "meetings",
            "create",
            "president",
            sorted(["held_on", "kind", "location", "chair", "agenda", "minutes", "approved_on"]),
        ),
        ("attendance", "create", "president", "E1"),
        ("attendance", "create", "president", "E2"),
        (
            "actions",
            "create",
            "president",
            sorted(["meeting_id", "description", "owner_enterprise_code", "due_on", "done_on"]),
        ),
        ("meetings", "update", "president", ["approved_on"]),
        (
            "amendments",
            "create",
            "president",
            sorted(["meeting_id", "made_on", "text", "reason", "author"]),
        ),
        ("actions", "update", "operator", ["done_on"]),
    ]


def test_attendance_audit_entries_name_their_record(as_role, meeting):
    """An attendance entry in the audit log is found by its natural key, as every record's."""
    client = as_role("president")
    client.post(
        f"/meetings/{KEY}/attendance", data=sheet(("E1", "present", ""), ("E2", "absent", ""))
    )
    [entry] = audit("attendance", f"{KEY}:E1")
    assert (entry.action, entry.actor, entry.after["status"]) == ("create", "president", "present")


# ---------------------------------------------------------------------------------------------
# found in review: locks, bounds, dates, lookups


def test_approved_attendance_cannot_move_to_another_meeting(as_api, approved):
    """Attendance stays with its meeting: an approved meeting's entries cannot be moved out of
    it through the API (nor, unlocked, to another meeting)."""
    with acting_as("test"):
        service.save_meeting({"held_on": date(2024, 3, 15), "kind": "monthly"})
        db.session.commit()
    api = as_api("president")
    before = snapshot()
    response = api.patch(f"/api/v1/attendance/{KEY}:E1", json={"held_on": "2024-03-15"})
    assert response.status_code == 409
    assert snapshot() == before
    assert {a.enterprise_code for a in service.meeting_of(HELD, "monthly").attendance} == {
        "E1",
        "E2",
    }


def test_attendance_of_an_open_meeting_stays_with_it(as_api, meeting):
    with acting_as("test"):
        attendance_service.take_attendance(
            service.meeting_of(HELD, "monthly"), [{"enterprise_code": "E1", "status": "present"}]
        )
        service.save_meeting({"held_on": date(2024, 3, 15), "kind": "monthly"})
        db.session.commit()
    api = as_api("president")  # its token first: a record of its own
    before = snapshot()
    response = api.patch(f"/api/v1/attendance/{KEY}:E1", json={"held_on": "2024-03-15"})
    assert response.status_code == 400
    assert "stays with its meeting" in response.json["details"]["held_on"][0]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("held_on", "message"),
    [("9999-12-01", "more than a year ahead"), ("1899-12-31", "before 1900")],
)
def test_a_meeting_far_in_the_future_or_past_is_refused(as_role, users, held_on, message):
    """A meeting of 9999 would make a calendar of eight thousand years."""
    before = snapshot()
    response = as_role("president").post(
        "/meetings/new", data={"held_on": held_on, "kind": "monthly"}
    )
    assert response.status_code == 400
    assert message in unescape(response.text)
    assert snapshot() == before


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-06-15"])
def test_the_calendar_api_refuses_dates_out_of_range(as_api, meeting, as_of):
    response = as_api("bureau").get(f"/api/v1/meetings/calendar?as_of={as_of}")
    assert response.status_code == 400
    assert "as_of" in response.json["details"]


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/?from=2024-01-01",
        "/meetings/?to=2024-12-31",
        "/actions/?state=all&from=2024-02-01",
    ],
)
def test_list_pages_filter_by_date_on_every_engine(as_role, actions, url):
    """The From/To boxes of the list pages compare dates with dates (PostgreSQL refuses a date
    compared with text)."""
    response = as_role("bureau").get(url)
    assert response.status_code == 200
    assert "2024-02-16" in response.text


@pytest.mark.parametrize(
    "url", ["/meetings/?from=2024-13-01", "/samples/?to=x", "/actions/?from=20240101"]
)
def test_list_pages_refuse_a_date_that_is_not_one(as_role, users, url):
    response = as_role("bureau").get(url)
    assert response.status_code == 400
    assert "is not a valid date" in response.text


def test_a_nul_in_a_code_is_refused_not_a_crash(as_role, meeting):
    """A NUL byte, which PostgreSQL cannot take, in a notice's mine or an action's owner."""
    client = as_role("president")
    before = snapshot()
    assert (
        client.post("/notices/new", data={"title": "t", "mine_code": "M1A\x00"}).status_code == 400
    )
    response = client.post(
        f"/meetings/{KEY}/actions/new", data={"description": "d", "owner_enterprise_code": "E1\x00"}
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_a_meeting_has_one_address(as_role, meeting):
    assert as_role("bureau").get("/meetings/20240216:monthly").status_code == 404


def test_the_calendar_names_meetings_whose_attendance_was_not_taken(as_role, meeting):
    """Their attendance is unknown, so the rates leave them out, and say so."""
    page = as_role("president").get("/meetings/calendar").text
    assert "was not taken, and it is not counted" in page
    assert f'href="/meetings/{KEY}"' in page


def test_marking_done_twice_through_the_api_keeps_the_first_day(as_api, actions):
    number = actions["Fence the M1A adit"]
    api = as_api("operator")
    assert api.post(f"/api/v1/actions/{number}/done", json={}).json["done_on"] == "2024-06-20"
    with acting_as("test"):
        record = db.session.get(Action, number)
        record.done_on = date(2024, 6, 18)
        db.session.commit()
    assert api.post(f"/api/v1/actions/{number}/done", json={}).json["done_on"] == "2024-06-18"


def test_a_new_meeting_starts_with_the_last_ones_chair_and_place(as_role, meeting):
    page = as_role("president").get("/meetings/new").text
    assert 'value="Wang Jun"' in page
    assert 'value="Duyun"' in page


def test_a_mines_page_lists_its_notices(as_role, users):
    """The operator posts a notice about its own mine from the mine's page; the bureau sees it
    there."""
    operator = as_role("operator")
    assert 'href="/notices/new?mine_code=M1A"' in operator.get("/mines/M1A").text
    response = operator.post(
        "/notices/new",
        data={"title": "Blasting at noon", "mine_code": "M1A", "effective_on": "2024-07-01"},
    )
    assert response.status_code == 302
    page = as_role("bureau").get("/mines/M1A").text
    assert "Blasting at noon" in page
    assert "from Jul 1, 2024" in page
    assert 'href="/notices/new?mine_code=M1A"' not in page
    assert "Blasting at noon" not in as_role("bureau").get("/mines/M2A").text


def test_a_meeting_is_named_in_the_readers_language(as_role, meeting):
    """No raw record key ("2024-02-16:monthly") in a Chinese page's title, breadcrumbs, heading
    or messages: the meeting is "2024年2月16日 月度会议"."""
    client = as_role("president")
    client.post("/language", data={"lang": "zh_Hans_CN"})
    response = client.post(
        f"/meetings/{KEY}/attendance", data=sheet(("E1", "present", ""), ("E2", "absent", ""))
    )
    assert response.status_code == 302
    assert "2024年2月16日 月度会议：出席情况已保存。" in messages(
        client.get(f"/meetings/{KEY}").text
    )
    for path in (f"/meetings/{KEY}", f"/meetings/{KEY}/attendance"):
        page = client.get(path).text
        text = re.sub(r'(href|action|value)="[^"]*"', "", page)
        assert KEY not in text, path
        assert "2024年2月16日 月度会议" in text
