"""Meetings, attendance and actions through the JSON API (docs/design.md "Meetings", "Command line
and JSON"), with bearer tokens of every role: the same rules and permissions as the pages, JSON
errors with the reason (400), 403 for those who may not, 409 for a taken key or locked minutes;
the calendar's gaps and attendance rates worked out by hand."""

import re
from datetime import date
from functools import partial

import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.models import Action, Amendment, Attendance, AuditEntry, Meeting
from coop.services import actions as action_service
from coop.services import attendance as attendance_service
from coop.services import meetings as service
from tests import helpers
from tests.helpers import audit

TODAY = date(2024, 6, 20)
HELD = date(2024, 2, 16)
KEY = "2024-02-16:monthly"


@pytest.fixture
def config():
    return {"TODAY": TODAY.isoformat()}


snapshot = partial(helpers.snapshot, Meeting, Attendance, Action, Amendment, AuditEntry)


@pytest.fixture
def meeting(users):
    """The monthly meeting of 2024-02-16, minutes in draft, no attendance taken."""
    with acting_as("test"):
        service.save_meeting(
            {"held_on": HELD, "kind": "monthly", "location": "Duyun", "minutes": "Held."}
        )
        db.session.commit()
    return KEY


@pytest.fixture
def actions(meeting):
    """Two actions of 2024-02-16's meeting, open: {"E1": id of E1's, "E2": id of E2's}."""
    ids = {}
    with acting_as("test"):
        for owner in ("E1", "E2"):
            action = action_service.save_action(
                {
                    "held_on": HELD,
                    "kind": "monthly",
                    "description": f"Fence the adit of {owner}",
                    "owner_enterprise_code": owner,
                    "due_on": date(2024, 5, 31),
                }
            )
            ids[owner] = action.id
        db.session.commit()
    return ids


def stored(held_on=HELD, kind="monthly"):
    db.session.expire_all()
    return service.meeting_of(held_on, kind)


# ---------------------------------------------------------------------------------------------
# meetings


def test_api_creates_reads_and_changes_a_meeting(api, users):
    """POST creates a meeting at its key "held_on:kind"; GET reads it; PATCH changes some
    fields; each write is logged under the token's account."""
    response = api.post(
        "/api/v1/meetings",
        json={"held_on": "2024-02-16", "kind": "monthly", "location": "Duyun", "chair": "Wang"},
    )
    assert response.status_code == 201, response.json
    assert response.json == {
        "held_on": "2024-02-16",
        "kind": "monthly",
        "location": "Duyun",
        "chair": "Wang",
        "agenda": None,
        "minutes": None,
        "key": KEY,
        "approved_on": None,
        "amendments": [],
    }
    assert api.get(f"/api/v1/meetings/{KEY}").json == response.json
    patched = api.patch(f"/api/v1/meetings/{KEY}", json={"minutes": "## Decisions\n- fence"})
    assert patched.status_code == 200
    assert patched.json["minutes"] == "## Decisions\n- fence"
    assert patched.json["location"] == "Duyun"  # untouched
    assert stored().minutes == "## Decisions\n- fence"
    entries = audit("meetings", KEY)
    assert [(e.action, e.actor) for e in entries] == [
        ("create", "president"),
        ("update", "president"),
    ]
    assert api.get("/api/v1/meetings/2024-02-17:monthly").status_code == 404
    assert api.get("/api/v1/meetings/2024-02-16:weekly").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field", "reason"),
    [
        (
            {"held_on": "2024-02-16", "kind": "monthly"},
            409,
            "held_on",
            "a monthly meeting is already recorded on 2024-02-16.",
        ),
        ({"held_on": "2024-02-16", "kind": "weekly"}, 400, "kind", None),
        ({"kind": "monthly"}, 400, "held_on", None),
        (
            {"held_on": "2024-07-19", "kind": "monthly", "minutes": "All agreed."},
            400,
            "minutes",
            "cannot be written before the meeting is held.",
        ),
    ],
)
def test_api_refuses_bad_meetings_with_the_reason(api, meeting, body, status, field, reason):
    before = snapshot()
    response = api.post("/api/v1/meetings", json=body)
    assert response.status_code == status
    assert field in response.json["details"]
    if reason:
        assert response.json["details"][field] == [reason]
    assert snapshot() == before


def test_api_refuses_a_new_date_once_attendance_is_taken(api, meeting):
    """Attendance was taken against the members of that day: the date stays."""
    assert (
        api.post(
            "/api/v1/attendance",
            json={
                "held_on": "2024-02-16",
                "kind": "monthly",
                "enterprise_code": "E1",
                "status": "present",
            },
        ).status_code
        == 201
    )
    response = api.patch(f"/api/v1/meetings/{KEY}", json={"held_on": "2024-02-17"})
    assert response.status_code == 400
    assert response.json["details"]["held_on"] == [
        "cannot change once attendance or actions are recorded; "
        "log a meeting on the right day instead."
    ]
    assert stored() is not None


# ---------------------------------------------------------------------------------------------
# attendance


def test_api_records_and_changes_attendance(api, meeting):
    """Attendance is keyed "held_on:kind:enterprise"; a representative only for one present."""
    body = {
        "held_on": "2024-02-16",
        "kind": "monthly",
        "enterprise_code": "E1",
        "status": "present",
        "representative": "Li Wei",
    }
    response = api.post("/api/v1/attendance", json=body)
    assert response.status_code == 201, response.json
    assert response.json == body | {"key": "2024-02-16:monthly:E1"}
    assert api.get("/api/v1/attendance/2024-02-16:monthly:E1").json == response.json
    assert api.get("/api/v1/attendance/2024-02-16:monthly:E2").status_code == 404
    # absent, yet still with Li Wei as representative: refused
    refused = api.patch("/api/v1/attendance/2024-02-16:monthly:E1", json={"status": "absent"})
    assert refused.status_code == 400
    assert refused.json["details"] == {
        "representative": ["is given only for an enterprise that was present."]
    }
    patched = api.patch(
        "/api/v1/attendance/2024-02-16:monthly:E1",
        json={"status": "excused", "representative": None},
    )
    assert patched.status_code == 200
    assert (patched.json["status"], patched.json["representative"]) == ("excused", None)
    again = api.post("/api/v1/attendance", json=body)
    assert again.status_code == 409
    assert again.json["details"]["enterprise_code"] == [
        "Monthly meeting of Feb 16, 2024: the attendance of E1 is already recorded."
    ]
    assert [(e.action, e.actor) for e in audit("attendance", "2024-02-16:monthly:E1")] == [
        ("create", "president"),
        ("update", "president"),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"enterprise_code": "E3"}, "enterprise_code", "E3 was not a member on 2024-02-16."),
        ({"enterprise_code": "E9"}, "enterprise_code", "no enterprise has code E9."),
        (
            {"held_on": "2024-03-01"},
            "held_on",
            "no monthly meeting is recorded on 2024-03-01.",
        ),
        ({"status": "late"}, "status", None),
    ],
)
def test_api_refuses_attendance_with_the_reason(api, meeting, changes, field, reason):
    """A former member (E3 left in 2004), an unknown enterprise, a meeting not recorded, an
    unknown status: 400 with the reason, nothing written."""
    before = snapshot()
    body = {
        "held_on": "2024-02-16",
        "kind": "monthly",
        "enterprise_code": "E2",
        "status": "present",
    }
    response = api.post("/api/v1/attendance", json=body | changes)
    assert response.status_code == 400
    assert field in response.json["details"]
    if reason:
        assert response.json["details"][field] == [reason]
    assert snapshot() == before


def test_api_refuses_attendance_at_a_meeting_not_yet_held(api, users):
    api.post("/api/v1/meetings", json={"held_on": "2024-07-19", "kind": "monthly"})
    before = snapshot()
    response = api.post(
        "/api/v1/attendance",
        json={
            "held_on": "2024-07-19",
            "kind": "monthly",
            "enterprise_code": "E1",
            "status": "present",
        },
    )
    assert response.status_code == 400
    assert response.json["details"] == {"held_on": ["the meeting has not been held yet."]}
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# actions


def test_api_reads_an_action_by_its_id(api, actions):
    """An action is addressed by its id, with its meeting's held_on and kind and whether it is
    overdue (due before today, 2024-06-20, and not done)."""
    number = actions["E1"]
    response = api.get(f"/api/v1/actions/{number}")
    assert response.status_code == 200
    assert response.json == {
        "held_on": "2024-02-16",
        "kind": "monthly",
        "description": "Fence the adit of E1",
        "owner_enterprise_code": "E1",
        "due_on": "2024-05-31",
        "done_on": None,
        "id": number,
        "overdue": True,
    }
    assert api.get("/api/v1/actions/999").status_code == 404
    assert api.get("/api/v1/actions/x").status_code == 404
    assert api.get("/api/v1/actions/-1").status_code == 404


def test_api_records_and_changes_an_action(api, meeting):
    """POST records an action decided at a meeting (201, with its id); PATCH changes it; each
    write is logged."""
    response = api.post(
        "/api/v1/actions",
        json={
            "held_on": "2024-02-16",
            "kind": "monthly",
            "description": "Fence the M1A adit",
            "owner_enterprise_code": "E1",
            "due_on": "2024-05-31",
        },
    )
    assert response.status_code == 201, response.json
    number = response.json["id"]
    assert response.json == {
        "held_on": "2024-02-16",
        "kind": "monthly",
        "description": "Fence the M1A adit",
        "owner_enterprise_code": "E1",
        "due_on": "2024-05-31",
        "done_on": None,
        "id": number,
        "overdue": True,
    }
    patched = api.patch(f"/api/v1/actions/{number}", json={"due_on": "2024-07-31"})
    assert patched.status_code == 200
    assert (patched.json["due_on"], patched.json["overdue"]) == ("2024-07-31", False)
    # blank text empties an optional field: the association's own action
    patched = api.patch(f"/api/v1/actions/{number}", json={"owner_enterprise_code": ""})
    assert patched.status_code == 200 and patched.json["owner_enterprise_code"] is None
    assert [(e.action, e.actor) for e in audit("actions", str(number))] == [
        ("create", "president"),
        ("update", "president"),
        ("update", "president"),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"due_on": "2024-02-15"}, "due_on", "must not be before the meeting (2024-02-16)."),
        ({"done_on": "2024-06-21"}, "done_on", "must not be in the future."),
        ({"owner_enterprise_code": "E9"}, "owner_enterprise_code", "no enterprise has code E9."),
        (
            {"kind": "extraordinary"},
            "held_on",
            "no extraordinary meeting is recorded on 2024-02-16.",
        ),
    ],
)
def test_api_refuses_bad_actions_with_the_reason(api, meeting, changes, field, reason):
    before = snapshot()
    body = {"held_on": "2024-02-16", "kind": "monthly", "description": "Fence the adit"}
    response = api.post("/api/v1/actions", json=body | changes)
    assert response.status_code == 400
    assert response.json["details"] == {field: [reason]}
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# list filters


@pytest.fixture
def season(users):
    """Monthly meetings on 2024-01-19, 2024-02-16 and 2024-03-15, an extraordinary one on
    2024-03-01; E1 present at each monthly meeting and E2 at 2024-03-15's only (absent at the
    others); one action of E1 at each monthly meeting, 2024-02-16's done."""
    with acting_as("test"):
        for day, kind in (
            (date(2024, 1, 19), "monthly"),
            (date(2024, 2, 16), "monthly"),
            (date(2024, 3, 1), "extraordinary"),
            (date(2024, 3, 15), "monthly"),
        ):
            record = service.save_meeting({"held_on": day, "kind": kind})
            if kind != "monthly":
                continue
            attendance_service.take_attendance(
                record,
                [
                    {"enterprise_code": "E1", "status": "present"},
                    {"enterprise_code": "E2", "status": "present" if day.month == 3 else "absent"},
                ],
            )
            action_service.save_action(
                {
                    "held_on": day,
                    "kind": kind,
                    "description": f"Action of {day.isoformat()}",
                    "owner_enterprise_code": "E1",
                    "done_on": date(2024, 2, 20) if day.month == 2 else None,
                }
            )
        action_service.save_action(
            {
                "held_on": date(2024, 3, 1),
                "kind": "extraordinary",
                "description": "E2's survey",
                "owner_enterprise_code": "E2",
            }
        )
        db.session.commit()


def keys(response, field="key"):
    assert response.status_code == 200, response.json
    return [item[field] for item in response.json["items"]]


def test_api_lists_by_period(api, season):
    """from and to (both included) select the meetings held in the period, and the attendance
    and actions of those meetings; the latest meeting first."""
    assert keys(api.get("/api/v1/meetings")) == [
        "2024-03-15:monthly",
        "2024-03-01:extraordinary",
        "2024-02-16:monthly",
        "2024-01-19:monthly",
    ]
    assert api.get("/api/v1/meetings").json["total"] == 4
    assert keys(api.get("/api/v1/meetings?from=2024-02-16&to=2024-03-01")) == [
        "2024-03-01:extraordinary",
        "2024-02-16:monthly",
    ]
    assert keys(api.get("/api/v1/attendance?from=2024-03-01")) == [
        "2024-03-15:monthly:E1",
        "2024-03-15:monthly:E2",
    ]
    assert keys(api.get("/api/v1/actions?to=2024-02-16"), "description") == [
        "Action of 2024-02-16",
        "Action of 2024-01-19",
    ]
    assert api.get("/api/v1/meetings?from=2024-13-01").status_code == 400


@pytest.mark.parametrize(
    ("url", "field", "expected"),
    [
        ("/api/v1/meetings?kind=extraordinary", "key", ["2024-03-01:extraordinary"]),
        (
            "/api/v1/attendance?enterprise_code=E2",
            "key",
            ["2024-03-15:monthly:E2", "2024-02-16:monthly:E2", "2024-01-19:monthly:E2"],
        ),
        ("/api/v1/actions?enterprise_code=E2", "description", ["E2's survey"]),
        (
            "/api/v1/actions?state=open",
            "description",
            ["Action of 2024-03-15", "E2's survey", "Action of 2024-01-19"],
        ),
        ("/api/v1/actions?state=done", "description", ["Action of 2024-02-16"]),
        ("/api/v1/attendance?kind=extraordinary", "key", []),
        # mine_code: the records of the mine's enterprise (the meetings it attended)
        (
            "/api/v1/meetings?mine_code=M2A",
            "key",
            ["2024-03-15:monthly", "2024-02-16:monthly", "2024-01-19:monthly"],
        ),
        (
            "/api/v1/attendance?mine_code=M2A",
            "key",
            ["2024-03-15:monthly:E2", "2024-02-16:monthly:E2", "2024-01-19:monthly:E2"],
        ),
        ("/api/v1/actions?mine_code=M2A", "description", ["E2's survey"]),
        ("/api/v1/meetings?mine_code=NONE", "key", []),
        # a blank argument is no filter, as on the pages
        (
            "/api/v1/meetings?kind=&mine_code=+&from=",
            "key",
            [
                "2024-03-15:monthly",
                "2024-03-01:extraordinary",
                "2024-02-16:monthly",
                "2024-01-19:monthly",
            ],
        ),
    ],
)
def test_api_lists_by_kind_enterprise_and_state(api, season, url, field, expected):
    """The filters the meeting pages offer: kind, enterprise_code and, for actions,
    state=open|done."""
    assert keys(api.get(url), field) == expected


def test_the_pages_filter_by_kind_enterprise_and_state(as_role, season):
    """The same filters on the list pages (which read the query directly) do work."""
    client = as_role("bureau")
    page = client.get("/meetings/?kind=extraordinary").text
    assert "1 meeting" in page and 'href="/meetings/2024-03-01:extraordinary"' in page
    assert 'href="/meetings/2024-02-16:monthly"' not in page
    actions = client.get("/actions/?state=open&enterprise_code=E2").text
    assert "1 action" in actions and re.search(r"<td[^>]*>E2&#39;s survey</td>", actions)
    done = client.get("/actions/?state=done").text
    assert re.search(r"<td[^>]*>Action of 2024-02-16</td>", done)
    assert "Action of 2024-03-15" not in done


# ---------------------------------------------------------------------------------------------
# approval, locking, amendments


def test_api_approves_then_refuses_changes_with_409(api, meeting):
    """Once the minutes are approved, a PATCH of the meeting or of its attendance, or new
    attendance, is 409 and changes nothing."""
    api.post(
        "/api/v1/attendance",
        json={
            "held_on": "2024-02-16",
            "kind": "monthly",
            "enterprise_code": "E1",
            "status": "present",
        },
    )
    response = api.post(f"/api/v1/meetings/{KEY}/approve", json={"approved_on": "2024-03-15"})
    assert response.status_code == 200
    assert response.json["approved_on"] == "2024-03-15"
    before = snapshot()
    locked = api.patch(f"/api/v1/meetings/{KEY}", json={"minutes": "Rewritten."})
    assert locked.status_code == 409
    assert locked.json["details"]["minutes"] == [
        "Monthly meeting of Feb 16, 2024: the minutes were approved on Mar 15, 2024 and are "
        "locked; a correction is made as an amendment."
    ]
    assert (
        api.patch("/api/v1/attendance/2024-02-16:monthly:E1", json={"status": "absent"}).status_code
        == 409
    )
    new = api.post(
        "/api/v1/attendance",
        json={
            "held_on": "2024-02-16",
            "kind": "monthly",
            "enterprise_code": "E2",
            "status": "present",
        },
    )
    assert new.status_code == 409
    assert (
        api.post(f"/api/v1/meetings/{KEY}/approve", json={"approved_on": "2024-06-20"}).status_code
        == 409
    )
    assert snapshot() == before
    assert stored().minutes == "Held."
    assert stored().approved_on == date(2024, 3, 15)


@pytest.mark.parametrize(
    ("approved_on", "reason"),
    [
        ("2024-02-15", "must not be before the meeting (2024-02-16)."),
        ("2024-06-21", "must not be in the future."),
    ],
)
def test_api_refuses_an_approval_before_the_meeting_or_in_the_future(
    api, meeting, approved_on, reason
):
    before = snapshot()
    response = api.post(f"/api/v1/meetings/{KEY}/approve", json={"approved_on": approved_on})
    assert response.status_code == 400
    assert response.json["details"] == {"approved_on": [reason]}
    assert snapshot() == before


def test_api_adds_an_amendment_to_approved_minutes(api, meeting):
    """An amendment (Markdown text, reason) is 201 and shows in the meeting's amendments with
    the day and its author; the minutes stay as approved."""
    refused = api.post(f"/api/v1/meetings/{KEY}/amendments", json={"text": "Corrected."})
    assert refused.status_code == 400
    assert refused.json["details"] == {
        "text": ["The minutes are not approved yet: edit them instead of amending them."]
    }
    api.post(f"/api/v1/meetings/{KEY}/approve", json={"approved_on": "2024-03-15"})
    response = api.post(
        f"/api/v1/meetings/{KEY}/amendments",
        json={"text": "Held at the **Duyun** office.", "reason": "The place was missing."},
    )
    assert response.status_code == 201
    expected = [
        {
            "made_on": "2024-06-20",
            "text": "Held at the **Duyun** office.",
            "reason": "The place was missing.",
            "author": "president",
        }
    ]
    assert response.json["amendments"] == expected
    assert response.json["minutes"] == "Held."
    assert api.get(f"/api/v1/meetings/{KEY}").json["amendments"] == expected
    assert api.post(f"/api/v1/meetings/{KEY}/amendments", json={"text": ""}).status_code == 400
    assert (
        api.post("/api/v1/meetings/2024-02-17:monthly/amendments", json={"text": "x"}).status_code
        == 404
    )


def test_api_meeting_lists_the_amendments_made_on_the_page(api, as_role, meeting):
    """The meeting's JSON has its amendments, oldest first, with day, author and reason."""
    api.post(f"/api/v1/meetings/{KEY}/approve", json={"approved_on": "2024-03-15"})
    client = as_role("admin")
    client.post(f"/meetings/{KEY}/amend", data={"text": "First.", "reason": ""})
    client.post(f"/meetings/{KEY}/amend", data={"text": "Second.", "reason": "omitted"})
    body = api.get(f"/api/v1/meetings/{KEY}").json
    assert body["amendments"] == [
        {"made_on": "2024-06-20", "text": "First.", "reason": None, "author": "admin"},
        {"made_on": "2024-06-20", "text": "Second.", "reason": "omitted", "author": "admin"},
    ]
    assert (body["minutes"], body["approved_on"]) == ("Held.", "2024-03-15")


def test_api_approval_of_a_meeting_not_recorded_is_404(api, meeting):
    response = api.post(
        "/api/v1/meetings/2024-02-17:monthly/approve", json={"approved_on": "2024-03-15"}
    )
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# marking actions done


def test_operator_marks_its_own_action_done_through_the_api(as_api, actions):
    """The operator of E1 marks E1's action done (today by default); not E2's; the bureau
    marks none; E2's operator marks E2's."""
    operator = as_api("operator")
    response = operator.post(f"/api/v1/actions/{actions['E1']}/done", json={})
    assert response.status_code == 200
    assert (response.json["done_on"], response.json["overdue"]) == ("2024-06-20", False)
    last = audit("actions", str(actions["E1"]))[-1]
    assert (last.actor, last.after) == ("operator", {"done_on": "2024-06-20"})
    bureau = as_api("bureau")  # a new token is itself logged
    before = snapshot()
    assert operator.post(f"/api/v1/actions/{actions['E2']}/done", json={}).status_code == 403
    assert bureau.post(f"/api/v1/actions/{actions['E2']}/done", json={}).status_code == 403
    assert operator.post("/api/v1/actions/999/done", json={}).status_code == 404
    assert snapshot() == before
    other = as_api("operator_b").post(
        f"/api/v1/actions/{actions['E2']}/done", json={"done_on": "2024-06-01"}
    )
    assert other.status_code == 200
    assert other.json["done_on"] == "2024-06-01"


def test_an_action_is_not_done_in_the_future_nor_before_its_meeting(as_api, actions):
    operator = as_api("operator")
    before = snapshot()
    for done_on, reason in (
        ("2024-06-21", "must not be in the future."),
        ("2024-02-15", "must not be before the meeting (2024-02-16)."),
    ):
        response = operator.post(f"/api/v1/actions/{actions['E1']}/done", json={"done_on": done_on})
        assert response.status_code == 400
        assert response.json["details"] == {"done_on": [reason]}
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# who may write


@pytest.mark.parametrize("role", ["operator", "bureau"])
def test_operators_and_the_bureau_write_no_meeting_attendance_or_action(as_api, actions, role):
    """Only the president and admin write meetings, attendance and actions: 403, whatever the
    body, even for the operator's own enterprise; nothing written."""
    client = as_api(role)
    api_president = as_api("president")
    api_president.post(
        "/api/v1/attendance",
        json={
            "held_on": "2024-02-16",
            "kind": "monthly",
            "enterprise_code": "E1",
            "status": "present",
        },
    )
    before = snapshot()
    writes = [
        ("post", "/api/v1/meetings", {"held_on": "2024-03-15", "kind": "monthly"}),
        ("patch", f"/api/v1/meetings/{KEY}", {"location": "Elsewhere"}),
        ("post", f"/api/v1/meetings/{KEY}/approve", {"approved_on": "2024-03-15"}),
        ("post", f"/api/v1/meetings/{KEY}/amendments", {"text": "x"}),
        (
            "post",
            "/api/v1/attendance",
            {
                "held_on": "2024-02-16",
                "kind": "monthly",
                "enterprise_code": "E2",
                "status": "present",
            },
        ),
        ("patch", "/api/v1/attendance/2024-02-16:monthly:E1", {"status": "absent"}),
        (
            "post",
            "/api/v1/actions",
            {
                "held_on": "2024-02-16",
                "kind": "monthly",
                "description": "x",
                "owner_enterprise_code": "E1",
            },
        ),
        ("patch", f"/api/v1/actions/{actions['E1']}", {"due_on": "2024-12-31"}),
    ]
    for method, url, body in writes:
        response = getattr(client, method)(url, json=body)
        assert response.status_code == 403, (method, url, response.json)
    assert snapshot() == before
    # reading is everyone's
    assert client.get(f"/api/v1/meetings/{KEY}").status_code == 200
    assert client.get("/api/v1/attendance/2024-02-16:monthly:E1").status_code == 200
    assert client.get(f"/api/v1/actions/{actions['E2']}").status_code == 200


# ---------------------------------------------------------------------------------------------
# the calendar


def test_api_calendar_as_of_a_day(as_api, year_of_meetings):
    """As of 2024-03-31: the last 12 full months are 2023-03 to 2024-02, of which 2023-03,
    2023-04, 2023-05 (before the first meeting) and 2023-11 (an extraordinary meeting only)
    had no monthly meeting.

    The attendance window is 2023-04-01 to 2024-03-31: the nine monthly meetings from
    2023-06-15 to 2024-03-15 (2023-11-20's attendance was not taken, so it does not count).
    E1 missed 2023-06: 8 / 9 = 88.9 %. E2 missed 2023-07 and 2023-08 and was excused in
    2023-09: 6 / 9 = 66.7 %. E4, a member from 2024-01-01, counts three meetings and missed
    2024-02: 2 / 3 = 66.7 %. E3 left in 2004: not listed."""
    body = as_api("bureau").get("/api/v1/meetings/calendar?as_of=2024-03-31").json
    assert body["as_of"] == "2024-03-31"
    assert body["gaps_last_12_months"] == ["2023-03", "2023-04", "2023-05", "2023-11"]
    assert body["attendance_from"] == "2023-04-01"
    assert body["attendance"] == [
        {"enterprise_code": "E1", "present": 8, "held": 9, "rate_pct": 88.9},
        {"enterprise_code": "E2", "present": 6, "held": 9, "rate_pct": 66.7},
        {"enterprise_code": "E4", "present": 2, "held": 3, "rate_pct": 66.7},
    ]
    months = {m["month"]: m for m in body["months"]}
    assert [m["month"] for m in body["months"]] == [
        "2024-05", "2024-04", "2024-03", "2024-02", "2024-01", "2023-12",
        "2023-11", "2023-10", "2023-09", "2023-08", "2023-07", "2023-06",
    ]  # fmt: skip
    assert [m for m, v in months.items() if v["gap"]] == ["2023-11"]
    assert months["2023-11"]["meetings"] == ["2023-11-20:extraordinary"]
    assert months["2024-02"]["meetings"] == ["2024-02-15:monthly"]


def test_api_calendar_as_of_today_by_default(api, year_of_meetings):
    """As of today, 2024-06-20: 2023-11 is the only gap of 2023-06 to 2024-05. The window
    2023-06-21 to 2024-06-20 holds ten monthly meetings (from 2023-07-15): E1 10 / 10, E2
    7 / 10 (absent twice, excused once), E4 4 / 5 since joining."""
    body = api.get("/api/v1/meetings/calendar").json
    assert body["as_of"] == "2024-06-20"
    assert body["gaps_last_12_months"] == ["2023-11"]
    assert body["attendance_from"] == "2023-06-21"
    assert [
        (a["enterprise_code"], a["present"], a["held"], a["rate_pct"]) for a in body["attendance"]
    ] == [
        ("E1", 10, 10, 100.0),
        ("E2", 7, 10, 70.0),
        ("E4", 4, 5, 80.0),
    ]
    assert api.get("/api/v1/meetings/calendar?as_of=2024-02-30").status_code == 400


def test_api_calendar_with_no_meetings(api, users):
    """With nothing recorded, every month of the last 12 is a gap and no rate can be worked
    out (null, not 0 %)."""
    body = api.get("/api/v1/meetings/calendar?as_of=2024-06-20").json
    assert body["months"] == []
    assert body["gaps_last_12_months"][0] == "2023-06"
    assert body["gaps_last_12_months"][-1] == "2024-05"
    assert len(body["gaps_last_12_months"]) == 12
    assert [(a["enterprise_code"], a["held"], a["rate_pct"]) for a in body["attendance"]] == [
        ("E1", 0, None),
        ("E2", 0, None),
    ]


def test_api_lists_the_overdue_actions(api, actions):
    """state=overdue: not done and due before today (2024-06-20); E1's is done on the way."""
    assert keys(api.get("/api/v1/actions?state=overdue"), "description") == [
        "Fence the adit of E1",
        "Fence the adit of E2",
    ]
    assert api.post(f"/api/v1/actions/{actions['E1']}/done", json={}).status_code == 200
    assert keys(api.get("/api/v1/actions?state=overdue"), "description") == ["Fence the adit of E2"]
