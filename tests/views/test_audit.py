"""The audit page as its readers read it: fields by their labels, values as the record pages show
them, long values folded, records by their titles and linked (coop.services.audit)."""

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.models import AuditEntry, Lease
from coop.services import accounts, meetings
from coop.services import attendance as attendance_service
from coop.services.leases import lease_by_permit, save_lease
from coop.services.notices import save_notice

# A pentagon (5 corners) over lease L1's square.
PENTAGON = (
    "POLYGON ((107.4 26.1, 107.41 26.1, 107.412 26.105, 107.41 26.11, 107.4 26.11, 107.4 26.1))"
)
MINUTES = "# Minutes\n\n" + "The members agreed to share the tailings dam inspection. " * 5


def fields(html):
    """(label, text shown) of each field of each entry on the page, tags taken out."""
    return [
        (unescape(label), " ".join(unescape(re.sub(r"<[^>]+>", " ", value)).split()))
        for label, value in re.findall(r"<dt>([^<]*)</dt>\s*<dd>(.*?)</dd>", html, re.S)
    ]


def entry_html(html, key):
    """The page's row of the entry about record key (the newest, if several)."""
    match = re.search(
        rf'<tr class="audit-entry" data-key="{re.escape(key)}">(.*?)</tr>', html, re.S
    )
    assert match, f"no entry about {key} on the page"
    return match.group(1)


@pytest.fixture
def history(as_role, leases):
    """L1 given a five-cornered boundary and elevations; the operator's account disabled; a
    general assembly with long minutes, then approved; its attendance; a notice posted at 23:30
    UTC; by "clerk"."""
    with acting_as("clerk"):
        lease = lease_by_permit("L1")
        save_lease({"boundary": PENTAGON, "crs": "EPSG:4490", "elevation_top_m": 1280.0}, lease)
        accounts.update_user(accounts.user_by_name("operator"), "operator", "E1", False)
        meeting = meetings.save_meeting(
            {"held_on": date(2024, 2, 16), "kind": "general_assembly", "minutes": MINUTES}
        )
        db.session.flush()
        attendance_service.save_attendance(
            {"held_on": date(2024, 2, 16), "kind": "general_assembly", "enterprise_code": "E1"}
            | {"status": "present"}
        )
        meetings.approve_minutes(meeting, date(2024, 3, 15))
        save_notice(
            {"title": "Blasting at noon", "mine_code": "M1A"}
            | {"posted_at": datetime(2026, 11, 30, 23, 30, tzinfo=UTC)},
            author=accounts.user_by_name("president"),
        )
        db.session.commit()
    return as_role("bureau")


def test_a_lease_edit_shows_labels_and_formatted_values(history):
    html = history.get("/audit/?record_type=leases&action=update").text
    lease = db.session.execute(db.select(Lease).filter_by(permit_no="L1")).scalar_one()
    shown = dict(fields(entry_html(html, "L1")))
    assert shown["Area (m²)"] == f"{area_before(history):,.2f} → {lease.area_m2:,.2f}"
    assert shown["Top elevation (m)"] == "— → 1,280.00"
    assert shown["Boundary"].startswith("changed, 5 corners")
    assert "area_m2" not in html and "elevation_top_m" not in html
    assert repr(lease.area_m2) not in html
    assert "coordinates" not in html and "Polygon" not in html  # no GeoJSON in the page


def area_before(_client):
    [created] = (
        db.session.execute(
            db.select(AuditEntry).filter_by(record_type="leases", record_key="L1", action="create")
        )
        .scalars()
        .all()
    )
    return created.after["area_m2"]


def test_a_boundary_shows_its_corners_before_on_demand(history):
    row = entry_html(history.get("/audit/?record_type=leases").text, "L1")
    summary = re.search(
        r"<dt>Boundary</dt>\s*<dd><details>\s*<summary>([^<]*)</summary>(.*?)</details>", row, re.S
    )
    assert summary.group(1) == "changed, 5 corners"
    assert "4 corners" in summary.group(2)  # the square it was


def test_a_boolean_is_yes_or_no(history):
    html = history.get("/audit/?record_type=users&action=update").text
    assert ("Active (may log in)", "yes → no") in fields(entry_html(html, "operator"))
    assert "True" not in html and "False" not in html


def test_coded_values_and_dates_are_shown_by_their_labels(history):
    html = history.get("/audit/?record_type=meetings&action=create").text
    shown = dict(fields(entry_html(html, "2024-02-16:general_assembly")))
    assert shown["Kind"] == "general assembly"
    assert shown["Held on"] == "Feb 16, 2024"
    updated = history.get("/audit/?record_type=meetings&action=update").text
    assert ("Approved on", "— → Mar 15, 2024") in fields(updated)


def test_a_time_in_a_value_is_in_the_associations_zone(history):
    html = history.get("/audit/?record_type=notices").text
    notice_row = entry_html(html, re.search(r'data-key="(\d+)"', html).group(1))
    posted = dict(fields(notice_row))["Posted"]
    assert posted == "Dec 1, 2026 07:30"  # 23:30 UTC is 7:30 the next day in Guizhou
    assert "T23:30" not in html
    assert dict(fields(notice_row))["Posted by"] == "president"


def test_long_text_is_cut_with_the_whole_on_demand(history):
    row = entry_html(
        history.get("/audit/?record_type=meetings&action=create").text,
        "2024-02-16:general_assembly",
    )
    minutes = re.search(
        r"<dt>Minutes</dt>\s*<dd><details>\s*<summary>([^<]*)</summary>(.*?)</details>", row, re.S
    )
    assert minutes, "the minutes are not folded"
    assert unescape(minutes.group(1)) == "# Minutes …"
    assert MINUTES.strip() in unescape(minutes.group(2))


def test_the_record_is_named_by_its_title_and_linked_to_its_page(history):
    html = history.get("/audit/?record_type=meetings").text
    row = entry_html(html, "2024-02-16:general_assembly")
    assert (
        '<a href="/meetings/2024-02-16:general_assembly">General assembly of Feb 16, 2024</a>'
        in row
    )
    attendance = entry_html(
        history.get("/audit/?record_type=attendance").text, "2024-02-16:general_assembly:E1"
    )
    # The meeting an attendance belongs to, logged by its id, is named by its title.
    assert ("Meetings", "General assembly of Feb 16, 2024") in fields(attendance)
    assert "meeting_id" not in attendance


def test_a_record_that_is_gone_keeps_its_key_and_no_link(history):
    db.session.execute(
        AuditEntry.__table__.insert(),
        {
            "at": datetime(2020, 1, 15, 12, 0, tzinfo=UTC),
            "actor": "archive",
            "action": "delete",
            "record_type": "mines",
            "record_key": "M0",
            "before": {"code": "M0", "status": "closed", "retired_field": True},
        },
    )
    db.session.commit()
    row = entry_html(history.get("/audit/?key=M0").text, "M0")
    assert "<strong>M0</strong>" in row
    # A field no schema describes any more keeps its stored name.
    assert ("retired_field", "yes") in fields(row)
    assert ("Code", "M0") in fields(row)


def test_a_chinese_page_shows_the_chinese_labels(history):
    assert history.post("/language", data={"lang": "zh_Hans_CN", "next": "/"}).status_code == 302
    html = history.get("/audit/?record_type=leases&action=update").text
    labels = [label for label, _ in fields(entry_html(html, "L1"))]
    assert "面积（平方米）" in labels
    assert "Area (m²)" not in labels
