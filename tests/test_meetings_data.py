"""Meetings, attendance and actions in and out as files (docs/design.md "Meetings", "Import and
export"): CSV and XLSX with exactly docs/design.md's headers in its order, through the flask
commands and the pages under /data/; an export imports back unchanged; an import is all or nothing,
naming every bad row's line and column; approved minutes stay locked; operators import none of
these."""

import csv
import io
from datetime import date
from functools import partial

import openpyxl
import pytest
import sqlalchemy as sa

from coop.audit import acting_as
from coop.extensions import db
from coop.models import Action, Amendment, Attendance, AuditEntry, Meeting
from coop.registry import exchanged
from coop.services import actions as action_service
from coop.services import attendance as attendance_service
from coop.services import meetings as service
from tests import helpers
from tests.helpers import flashed, problems, upload

TODAY = date(2024, 6, 20)
COLUMNS = {
    "meetings": ["held_on", "kind", "location", "chair", "agenda", "minutes"],
    "attendance": ["held_on", "kind", "enterprise_code", "status", "representative"],
    "actions": ["held_on", "kind", "description", "owner_enterprise_code", "due_on", "done_on"],
}
KIND_NAMES = list(COLUMNS)
LOCKED = (
    "Monthly meeting of Jan 19, 2024: the minutes were approved on Feb 16, 2024 and are locked; "
    "a correction is made as an amendment."
)


@pytest.fixture
def config():
    return {"TODAY": TODAY.isoformat()}


snapshot = partial(helpers.snapshot, Meeting, Attendance, Action, Amendment, AuditEntry)


# ---------------------------------------------------------------------------------------------
# the records, and the rows docs/design.md's export makes of them (worked out here)

MINUTES_0216 = 'Agreed: "no blasting at night", E1, E2.\n\n中文：夜间不爆破。'
MINUTES_0119 = "- fence the adit\n- blasting at noon only"


@pytest.fixture
def season(users):
    """Three meetings, the latest first: 2024-03-01 (extraordinary, agenda only), 2024-02-16
    and 2024-01-19 (monthly, with minutes, not approved); the attendance of both monthly ones;
    an action of 2024-01-19 (E1's, done) and two of 2024-02-16."""
    with acting_as("test"):
        for held_on, kind, agenda, minutes in (
            (date(2024, 1, 19), "monthly", "+ new members", MINUTES_0119),
            (date(2024, 2, 16), "monthly", "1. Leases\n2. Safety", MINUTES_0216),
            (date(2024, 3, 1), "extraordinary", "Blasting near M2A", None),
        ):
            service.save_meeting(
                {
                    "held_on": held_on,
                    "kind": kind,
                    "location": "Duyun office",
                    "chair": "Wang Jun",
                    "agenda": agenda,
                    "minutes": minutes,
                }
            )
        for held_on, rows in (
            (date(2024, 1, 19), [("E1", "present", None), ("E2", "absent", None)]),
            (date(2024, 2, 16), [("E1", "present", "Li Wei"), ("E2", "excused", None)]),
        ):
            attendance_service.take_attendance(
                service.meeting_of(held_on, "monthly"),
                [{"enterprise_code": c, "status": s, "representative": r} for c, s, r in rows],
            )
        for held_on, description, owner, due_on, done_on in (
            (date(2024, 1, 19), "Fence the M1A adit", "E1", date(2024, 3, 31), date(2024, 3, 20)),
            (date(2024, 2, 16), "Write to the county", None, date(2024, 5, 31), None),
            (date(2024, 2, 16), "+ survey the M2A boundary", "E2", date(2024, 7, 31), None),
        ):
            action_service.save_action(
                {
                    "held_on": held_on,
                    "kind": "monthly",
                    "description": description,
                    "owner_enterprise_code": owner,
                    "due_on": due_on,
                    "done_on": done_on,
                }
            )
        db.session.commit()


# Text cells beginning with = + - @ get a quote in front (formula injection).
EXPORTED = {
    "meetings": [
        ["2024-03-01", "extraordinary", "Duyun office", "Wang Jun", "Blasting near M2A", ""],
        ["2024-02-16", "monthly", "Duyun office", "Wang Jun", "1. Leases\n2. Safety", MINUTES_0216],
        ["2024-01-19", "monthly", "Duyun office", "Wang Jun", "'+ new members", "'" + MINUTES_0119],
    ],
    "attendance": [
        ["2024-02-16", "monthly", "E1", "present", "Li Wei"],
        ["2024-02-16", "monthly", "E2", "excused", ""],
        ["2024-01-19", "monthly", "E1", "present", ""],
        ["2024-01-19", "monthly", "E2", "absent", ""],
    ],
    "actions": [
        ["2024-02-16", "monthly", "Write to the county", "", "2024-05-31", ""],
        ["2024-02-16", "monthly", "'+ survey the M2A boundary", "E2", "2024-07-31", ""],
        ["2024-01-19", "monthly", "Fence the M1A adit", "E1", "2024-03-31", "2024-03-20"],
    ],
}  # fmt: skip


@pytest.fixture
def approved_january(season):
    """2024-01-19's minutes approved on 2024-02-16: that meeting and its attendance are locked."""
    with acting_as("test"):
        service.approve_minutes(service.meeting_of(date(2024, 1, 19), "monthly"), date(2024, 2, 16))
        db.session.commit()


# ---------------------------------------------------------------------------------------------
# files


def csv_rows(content):
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]


def rows_of(content, fmt):
    return csv_rows(content) if fmt == "csv" else xlsx_rows(content)


def csv_file(kind, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS[kind])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def dumped(kind):
    """Every record of kind as its schema dumps it, in the export's order."""
    db.session.expire_all()
    records = db.session.execute(exchanged()[kind].select(None)).scalars().all()
    return exchanged()[kind].schema(many=True).dump(records)


def cli(runner, *args):
    result = runner.invoke(args=list(map(str, args)))
    return result


# ---------------------------------------------------------------------------------------------
# exports


@pytest.mark.parametrize("kind", KIND_NAMES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_page_has_domain_headers_in_order(as_role, season, kind, fmt):
    """The export pages give docs/design.md's columns in its order, one row a record, the latest
    meeting first; text that a spreadsheet would take for a formula is quoted."""
    response = as_role("bureau").get(f"/data/{kind}/export.{fmt}")
    assert response.status_code == 200
    rows = rows_of(response.data, fmt)
    assert rows[0] == COLUMNS[kind]
    assert rows[1:] == EXPORTED[kind]
    template = as_role("president").get(f"/data/{kind}/template.{fmt}")
    assert rows_of(template.data, fmt) == [COLUMNS[kind]]


@pytest.mark.parametrize("kind", KIND_NAMES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_export_imports_back_unchanged(runner, season, tmp_path, kind, fmt):
    """flask export writes docs/design.md's columns; flask import of that file finds every row
    unchanged and writes nothing, no duplicate either (actions are matched by their meeting
    and description, having no key of their own)."""
    path = tmp_path / f"{kind}.{fmt}"
    result = cli(runner, "export", kind, path)
    assert result.exit_code == 0, result.output
    assert f"{kind}: {len(EXPORTED[kind])} rows written to {path}" in result.stdout
    assert rows_of(path.read_bytes(), fmt) == [COLUMNS[kind], *EXPORTED[kind]]
    before, records = snapshot(), dumped(kind)
    result = cli(runner, "import", kind, path)
    assert result.exit_code == 0, result.output
    assert f"{kind}: 0 created, 0 updated, {len(EXPORTED[kind])} unchanged" in result.stdout
    assert snapshot() == before
    assert dumped(kind) == records


def test_an_export_rebuilds_the_records(runner, season, tmp_path):
    """Exported, deleted and imported again (meetings first, then what refers to them), the
    meetings, attendance and actions are what they were: the new export is the same file."""
    first = {}
    for kind in KIND_NAMES:
        path = tmp_path / f"{kind}.csv"
        assert cli(runner, "export", kind, path).exit_code == 0
        first[kind] = path.read_bytes()
    with acting_as("test"):
        for model in (Action, Attendance, Amendment, Meeting):
            db.session.execute(sa.delete(model))
        db.session.commit()
    for kind in KIND_NAMES:
        result = cli(runner, "import", kind, tmp_path / f"{kind}.csv")
        assert result.exit_code == 0, result.output
        assert f"{kind}: {len(EXPORTED[kind])} created, 0 updated, 0 unchanged" in result.stdout
    db.session.expire_all()
    record = service.meeting_of(date(2024, 1, 19), "monthly")
    assert (record.agenda, record.minutes) == ("+ new members", MINUTES_0119)  # quotes gone
    assert service.meeting_of(date(2024, 2, 16), "monthly").minutes == MINUTES_0216
    for kind in KIND_NAMES:
        path = tmp_path / f"{kind}-again.csv"
        assert cli(runner, "export", kind, path).exit_code == 0
        assert path.read_bytes() == first[kind], kind
    entries = db.session.execute(
        sa.select(AuditEntry.record_type, AuditEntry.actor)
        .where(AuditEntry.actor == "cli")
        .order_by(AuditEntry.id)
    ).all()
    assert [t for t, _actor in entries] == ["meetings"] * 3 + ["attendance"] * 4 + ["actions"] * 3


# ---------------------------------------------------------------------------------------------
# imports that create and update


def test_president_imports_meetings_from_xlsx_with_date_cells(as_role, users):
    """An XLSX as a clerk types it (dates as date cells) imports through the page."""
    book = openpyxl.Workbook()
    book.active.append(COLUMNS["meetings"])
    book.active.append([date(2024, 4, 19), "monthly", "Duyun office", "Wang Jun", None, "Held."])
    book.active.append([date(2024, 5, 17), "general_assembly", None, None, "Accounts", None])
    buffer = io.BytesIO()
    book.save(buffer)
    client = as_role("president")
    response = upload(client, "meetings", buffer.getvalue(), "meetings.xlsx")
    assert response.status_code == 302, problems(response)
    assert flashed(client.get(response.headers["Location"])) == [
        "Meetings imported: 2 created, 0 updated."
    ]
    april = service.meeting_of(date(2024, 4, 19), "monthly")
    assert (april.location, april.chair, april.agenda, april.minutes) == (
        "Duyun office",
        "Wang Jun",
        None,
        "Held.",
    )
    assert service.meeting_of(date(2024, 5, 17), "general_assembly").agenda == "Accounts"
    entries = db.session.execute(
        sa.select(AuditEntry.record_key, AuditEntry.actor).where(
            AuditEntry.record_type == "meetings"
        )
    ).all()
    assert sorted(entries) == [
        ("2024-04-19:monthly", "president"),
        ("2024-05-17:general_assembly", "president"),
    ]


def test_an_import_updates_by_natural_key(as_role, season):
    """A row whose meeting (held_on, kind) or attendance (and enterprise) exists updates it;
    the import page sums up what it did."""
    client = as_role("president")
    content = csv_file(
        "meetings",
        [
            ["2024-03-01", "extraordinary", "Duyun office", "Wang Jun", "Blasting times", ""],
            ["2024-04-19", "monthly", "", "", "", ""],
        ],
    )
    response = upload(client, "meetings", content, "meetings.csv")
    assert response.status_code == 302, problems(response)
    assert flashed(client.get("/data/meetings/import")) == [
        "Meetings imported: 1 created, 1 updated."
    ]
    assert service.meeting_of(date(2024, 3, 1), "extraordinary").agenda == "Blasting times"
    content = csv_file(
        "attendance",
        [
            ["2024-02-16", "monthly", "E1", "present", "Li Wei"],  # as it is
            ["2024-02-16", "monthly", "E2", "present", "Zhao Min"],  # was excused
        ],
    )
    response = upload(client, "attendance", content, "attendance.csv")
    assert response.status_code == 302, problems(response)
    assert flashed(client.get("/data/attendance/import")) == [
        "Attendance imported: 0 created, 1 updated. 1 already up to date."
    ]
    record = attendance_service.attendance_of("2024-02-16", "monthly", "E2")
    assert (record.status, record.representative) == ("present", "Zhao Min")


def test_actions_are_matched_by_meeting_and_description(runner, season, tmp_path):
    """Actions have no natural key: an imported row is the action of the same meeting with the
    same description (updated), else a new one."""
    ids = {a["description"]: a["id"] for a in dumped("actions")}
    path = tmp_path / "actions.csv"
    path.write_bytes(
        csv_file(
            "actions",
            [
                ["2024-02-16", "monthly", "Write to the county", "E1", "2024-06-30", "2024-06-19"],
                ["2024-01-19", "monthly", "Write to the county", "", "", ""],  # another meeting's
            ],
        )
    )
    result = cli(runner, "import", "actions", path)
    assert result.exit_code == 0, result.output
    assert "actions: 1 created, 1 updated, 0 unchanged" in result.stdout
    db.session.expire_all()
    county = db.session.get(Action, ids["Write to the county"])
    assert (county.owner_enterprise_code, county.due_on, county.done_on) == (
        "E1",
        date(2024, 6, 30),
        date(2024, 6, 19),
    )
    assert helpers.count(Action) == 4
    again = cli(runner, "import", "actions", path)
    assert "actions: 0 created, 0 updated, 2 unchanged" in again.stdout
    assert helpers.count(Action) == 4


# ---------------------------------------------------------------------------------------------
# all or nothing


def test_one_bad_attendance_row_writes_nothing_and_each_is_named(as_role, season):
    """Every bad row is listed with its line (the header is line 1), column and reason; the good
    rows are not written either."""
    client = as_role("president")
    before = snapshot()
    content = csv_file(
        "attendance",
        [
            ["2024-03-01", "extraordinary", "E1", "present", ""],  # line 2: good
            ["2024-03-01", "extraordinary", "E3", "present", ""],  # E3 left in 2004
            ["2024-03-15", "monthly", "E1", "present", ""],  # no such meeting
            ["2024-03-01", "extraordinary", "E2", "absent", "Zhao Min"],
            ["2024-03-01", "extraordinary", "E9", "late", ""],
            ["2024-03-01", "extraordinary", "E1", "absent", ""],  # line 2 again
        ],
    )
    response = upload(client, "attendance", content, "attendance.csv")
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    found = problems(response)
    assert found[:4] == [
        ("3", "enterprise_code", "E3 was not a member on 2024-03-01."),
        ("4", "held_on", "no monthly meeting is recorded on 2024-03-15."),
        ("5", "representative", "is given only for an enterprise that was present."),
        ("6", "status", "must be one of: present, absent, excused."),
    ]
    assert found[4] == ("7", "enterprise_code", "2024-03-01:extraordinary:E1 is already on line 2.")
    assert len(found) == 5
    assert snapshot() == before
    assert attendance_service.attendance_of("2024-03-01", "extraordinary", "E1") is None


def test_one_bad_action_row_writes_nothing_cli(runner, season, tmp_path):
    """The command line names the bad rows on standard error and exits 1; nothing is
    written."""
    path = tmp_path / "actions.csv"
    path.write_bytes(
        csv_file(
            "actions",
            [
                ["2024-03-01", "extraordinary", "Publish the blasting times", "", "", ""],
                ["2024-03-02", "extraordinary", "Not decided anywhere", "", "", ""],
                ["2024-03-01", "extraordinary", "Too early", "", "2024-02-29", ""],
                ["2024-03-01", "extraordinary", "Not yet", "", "", "2024-06-21"],
            ],
        )
    )
    before = snapshot()
    result = cli(runner, "import", "actions", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 3, column held_on ('2024-03-02'): no extraordinary meeting is recorded on "
        "2024-03-02.",
        "line 4, column due_on ('2024-02-29'): must not be before the meeting (2024-03-01).",
        "line 5, column done_on ('2024-06-21'): must not be in the future.",
        "nothing imported from actions.csv: 3 problem(s)",
    ]
    assert snapshot() == before


def test_one_bad_meeting_row_writes_nothing(as_role, season):
    client = as_role("admin")
    before = snapshot()
    content = csv_file(
        "meetings",
        [
            ["2024-04-19", "monthly", "Duyun office", "", "", ""],
            ["2024-05-17", "weekly", "", "", "", ""],
            ["2024-07-19", "monthly", "", "", "", "Minutes written ahead."],
            ["2024-02-30", "monthly", "", "", "", ""],
        ],
    )
    response = upload(client, "meetings", content, "meetings.csv")
    assert response.status_code == 400
    assert problems(response) == [
        ("3", "kind", "must be one of: monthly, extraordinary, general_assembly."),
        ("4", "minutes", "cannot be written before the meeting is held."),
        ("5", "held_on", "is not a valid date (use YYYY-MM-DD)."),
    ]
    assert snapshot() == before
    assert service.meeting_of(date(2024, 4, 19), "monthly") is None


# ---------------------------------------------------------------------------------------------
# locked minutes


def test_importing_into_a_locked_meetings_attendance_is_refused(as_role, approved_january):
    """Once 2024-01-19's minutes are approved, an import that changes its attendance is refused
    with the reason, and nothing is written (nor the other meeting's good row)."""
    client = as_role("president")
    before = snapshot()
    content = csv_file(
        "attendance",
        [
            ["2024-02-16", "monthly", "E2", "present", ""],
            ["2024-01-19", "monthly", "E2", "present", ""],
        ],
    )
    response = upload(client, "attendance", content, "attendance.csv")
    assert response.status_code == 400
    [(line, _column, reason)] = problems(response)
    assert (line, reason) == ("3", LOCKED)
    assert snapshot() == before
    assert attendance_service.attendance_of("2024-01-19", "monthly", "E2").status == "absent"
    assert attendance_service.attendance_of("2024-02-16", "monthly", "E2").status == "excused"


def test_importing_a_change_to_approved_minutes_is_refused(runner, approved_january, tmp_path):
    """A locked meeting imports back unchanged, but a changed row is refused."""
    path = tmp_path / "meetings.csv"
    assert cli(runner, "export", "meetings", path).exit_code == 0
    result = cli(runner, "import", "meetings", path)
    assert "meetings: 0 created, 0 updated, 3 unchanged" in result.stdout, result.output
    path.write_bytes(
        csv_file(
            "meetings",
            [["2024-01-19", "monthly", "Duyun office", "Wang Jun", "'+ new members", "Rewritten."]],
        )
    )
    before = snapshot()
    result = cli(runner, "import", "meetings", path)
    assert result.exit_code == 1
    assert f"line 2, column minutes ('Rewritten.'): {LOCKED}" in result.stderr
    assert snapshot() == before
    db.session.expire_all()
    assert service.meeting_of(date(2024, 1, 19), "monthly").minutes == MINUTES_0119


def test_attendance_of_approved_minutes_imports_back_unchanged(runner, approved_january, tmp_path):
    path = tmp_path / "attendance.csv"
    assert cli(runner, "export", "attendance", path).exit_code == 0
    before = snapshot()
    result = cli(runner, "import", "attendance", path)
    assert result.exit_code == 0, result.stderr
    assert "attendance: 0 created, 0 updated, 4 unchanged" in result.stdout
    assert snapshot() == before


def test_a_locked_attendance_row_names_a_column_of_the_file(as_role, approved_january):
    client = as_role("president")
    content = csv_file("attendance", [["2024-01-19", "monthly", "E2", "present", ""]])
    [(_line, column, _reason)] = problems(upload(client, "attendance", content, "a.csv"))
    assert column in COLUMNS["attendance"]


# ---------------------------------------------------------------------------------------------
# who may import


@pytest.mark.parametrize("role", ["operator", "bureau"])
@pytest.mark.parametrize("kind", KIND_NAMES)
def test_operators_and_the_bureau_import_none_of_these(as_role, season, role, kind):
    """Meetings, attendance and actions are the president's to record: the import page is 403
    for an operator (even with rows of its own enterprise only) and for the bureau; both
    export them."""
    client = as_role(role)
    before = snapshot()
    assert client.get(f"/data/{kind}/import").status_code == 403
    own = {
        "meetings": ["2024-04-19", "monthly", "", "", "", ""],
        "attendance": ["2024-03-01", "extraordinary", "E1", "present", ""],
        "actions": ["2024-03-01", "extraordinary", "Fence", "E1", "", ""],
    }[kind]
    response = upload(client, kind, csv_file(kind, [own]), f"{kind}.csv")
    assert response.status_code == 403
    assert snapshot() == before
    assert client.get(f"/data/{kind}/export.csv").status_code == 200
