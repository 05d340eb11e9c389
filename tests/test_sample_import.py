"""A lab's batch file of samples imported at once (docs/design.md "Import and export", "Production
and assays"; coop.services.bulk), through the import page and the command line, by every role that
may: all or nothing, every bad row named by line, column and reason; a re-import updates the changed
rows only; one audit entry per created or updated sample, as the ORM's flush writes it. The bulk
path and the row-by-row path refuse the same rows."""

import csv
import dataclasses
import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.manifests.production import SAMPLES
from coop.models import AuditEntry, Sample
from coop.services import tabular
from coop.services.accounts import user_by_name
from coop.services.bulk import import_samples
from coop.services.errors import ImportFailed
from coop.services.production import save_sample
from tests.helpers import count, flashed, problems, upload

TODAY = date(2025, 6, 1)
COLUMNS = [
    "sample_code",
    "mine_code",
    "sampled_on",
    "sample_type",
    "zn_pct",
    "pb_pct",
    "lab",
    "notes",
]
# The row-by-row import path, which the bulk path must agree with.
ROW_BY_ROW = dataclasses.replace(SAMPLES, bulk_import=None)


@pytest.fixture
def config():
    return {"TODAY": TODAY.isoformat()}


def row(
    code, mine="M1A", day="2025-04-10", kind="feed", zn="3.48", pb="", lab="Duyun lab", notes=""
):
    return [code, mine, day, kind, zn, pb, lab, notes]


def lab_file(count=300, mines=("M1A", "M1B")):
    """A lab's batch: count samples of the given mines over the months before TODAY, the four
    types in turn, lead in every other row, a note now and then."""
    kinds = ("feed", "concentrate", "tailings", "waste")
    grades = {"feed": 3.48, "concentrate": 52.1, "tailings": 0.28, "waste": 0.55}
    rows = []
    for i in range(count):
        kind = kinds[i % 4]
        rows.append(
            row(
                f"L-{i:04d}",
                mines[i % len(mines)],
                date(2025, 1 + i % 5, 1 + i % 28).isoformat(),
                kind,
                f"{grades[kind] + (i % 7) / 100:.2f}",
                f"{0.3 + (i % 5) / 10:.1f}" if i % 2 else "",
                "黔南州地质实验室" if i % 3 else "Duyun lab",
                "复检" if i % 50 == 0 else "",
            )
        )
    return rows


def csv_file(rows, header=COLUMNS):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_file(rows, header=COLUMNS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def imported(client, content, filename="lab.csv"):
    """Upload a file that imports; the page's flashed messages."""
    response = upload(client, "samples", content, filename)
    assert response.status_code == 302, problems(response)
    return flashed(client.get(response.headers["Location"]))


def stored():
    """{sample_code: (mine_code, sampled_on, sample_type, zn_pct, pb_pct, lab, notes)}."""
    db.session.expire_all()
    samples = db.session.execute(db.select(Sample)).scalars()
    return {
        s.sample_code: (
            s.mine_code,
            s.sampled_on,
            s.sample_type,
            s.zn_pct,
            s.pb_pct,
            s.lab,
            s.notes,
        )
        for s in samples
    }


def as_stored(cells):
    """A file's row as stored() gives it."""
    code, mine, day, kind, zn, pb, lab, notes = cells
    return code, (
        mine,
        date.fromisoformat(day),
        kind,
        float(zn),
        float(pb) if pb else None,
        lab or None,
        notes or None,
    )


def timestamps():
    """{sample_code: (id, created_at, updated_at)}."""
    db.session.expire_all()
    query = db.select(Sample.sample_code, Sample.id, Sample.created_at, Sample.updated_at)
    return {code: tuple(rest) for code, *rest in db.session.execute(query)}


def sample_entries(action=None):
    db.session.expire_all()
    query = db.select(AuditEntry).where(AuditEntry.record_type == "samples")
    if action:
        query = query.where(AuditEntry.action == action)
    return db.session.execute(query.order_by(AuditEntry.id)).scalars().all()


def existing(code, mine, zn=3.48, **values):
    """A sample saved through the ORM, as the sample form saves one."""
    with acting_as("test"):
        values = {
            "sample_code": code,
            "mine_code": mine,
            "sampled_on": date(2025, 4, 10),
            "sample_type": "feed",
            "zn_pct": zn,
            "pb_pct": None,
            "lab": "Duyun lab",
            "notes": None,
        } | values
        save_sample(values)
        db.session.commit()


# a lab's file through the page ------------------------------------------------------------------


def test_a_lab_file_of_300_rows_imports(as_role):
    client = as_role("operator")  # of E1, whose mines are M1A and M1B
    rows = lab_file()
    assert imported(client, csv_file(rows), "lab-2025-06.csv") == [
        "Samples imported: 300 created, 0 updated."
    ]
    assert stored() == dict(as_stored(cells) for cells in rows)
    entries = sample_entries()
    assert len(entries) == 300
    operator = user_by_name("operator")
    ids = {code: id_ for code, id_ in db.session.execute(db.select(Sample.sample_code, Sample.id))}
    for entry, cells in zip(entries, sorted(rows), strict=True):
        code, (mine, day, kind, zn, pb, lab, notes) = as_stored(cells)
        assert (entry.action, entry.actor, entry.user_id) == ("create", "operator", operator.id)
        assert (entry.record_key, entry.record_id, entry.before) == (code, ids[code], None)
        assert entry.after == {
            "sample_code": code,
            "mine_code": mine,
            "sampled_on": day.isoformat(),
            "sample_type": kind,
            "zn_pct": zn,
            "pb_pct": pb,
            "lab": lab,
            "notes": notes,
        }


def test_the_audit_entries_are_those_of_a_flush(as_role):
    """A sample created or changed by the bulk path is logged exactly as the sample form's save
    logs the same change: the same columns, in the same order, shown the same way."""
    existing("ORM-1", "M1A", pb_pct=0.5, notes="x")
    existing("ORM-2", "M1A")
    with acting_as("test"):
        save_sample({"mine_code": "M1B", "zn_pct": 3.5, "lab": None}, SAMPLES.get("ORM-2"))
        db.session.commit()
    existing("BULK-2", "M1A")
    client = as_role("president")
    content = csv_file(
        [
            row("BULK-1", pb="0.5", notes="x"),
            row("BULK-2", mine="M1B", zn="3.5", lab=""),
        ]
    )
    assert imported(client, content) == ["Samples imported: 1 created, 1 updated."]
    by_key = {(e.record_key, e.action): e for e in sample_entries()}
    orm, bulk = by_key["ORM-1", "create"], by_key["BULK-1", "create"]
    assert list(bulk.after) == list(orm.after)
    assert bulk.after | {"sample_code": "ORM-1"} == orm.after
    orm, bulk = by_key["ORM-2", "update"], by_key["BULK-2", "update"]
    assert (list(bulk.before), list(bulk.after)) == (list(orm.before), list(orm.after))
    assert (bulk.before, bulk.after) == (orm.before, orm.after)
    assert bulk.after == {"mine_code": "M1B", "zn_pct": 3.5, "lab": None}
    assert bulk.before == {"mine_code": "M1A", "zn_pct": 3.48, "lab": "Duyun lab"}


BAD_ROWS = [
    ({"zn": "101"}, "zn_pct", "must be from 0 to 100."),
    ({"kind": "slag"}, "sample_type", "must be one of: feed, concentrate, tailings, waste."),
    ({"mine": "M9"}, "mine_code", "no mine has code M9."),
    ({"mine": "M2A"}, "mine_code", "M2A belongs to E2; you may write only the records of E1."),
    ({"code": "L-0000"}, "sample_code", "L-0000 is already on line 2."),
    ({"day": "2025-06-02"}, "sampled_on", "must not be after today (2025-06-01)."),
    ({"day": "2025-02-30"}, "sampled_on", "is not a valid date (use YYYY-MM-DD)."),
    ({"zn": ""}, "zn_pct", "is required."),
]


@pytest.mark.parametrize(("changes", "column", "reason"), BAD_ROWS)
def test_one_bad_row_and_nothing_is_written(as_role, changes, column, reason):
    client = as_role("operator")
    rows = lab_file()
    changes = dict(changes)
    rows[149] = row(changes.pop("code", "BAD-1"), **changes)  # line 151: the header is line 1
    logged = count(AuditEntry)
    response = upload(client, "samples", csv_file(rows), "lab.csv")
    assert response.status_code == 400
    assert problems(response) == [("151", column, reason)]
    assert (count(Sample), count(AuditEntry)) == (0, logged)


def test_every_bad_row_is_named_in_order(as_role):
    client = as_role("operator")
    rows = lab_file(20)
    rows[3] = row("B-1", zn="101", kind="slag")  # line 5: two problems
    rows[9] = row("B-2", mine="M2A", day="2025-13-01")  # line 11
    rows[14] = row("new", pb="abc", lab="x" * 101)  # line 16
    rows[15] = row("B-4", mine="", zn="3,48", notes="a\x00b")  # line 17
    response = upload(client, "samples", csv_file(rows), "lab.csv")
    assert response.status_code == 400
    assert problems(response) == [
        ("5", "sample_type", "must be one of: feed, concentrate, tailings, waste."),
        ("5", "zn_pct", "must be from 0 to 100."),
        ("11", "mine_code", "M2A belongs to E2; you may write only the records of E1."),
        ("11", "sampled_on", "is not a valid date (use YYYY-MM-DD)."),
        ("16", "sample_code", "new names a page of its own; choose another."),
        ("16", "pb_pct", "must be a number."),
        ("16", "lab", "must be between 0 and 100 characters long."),
        ("17", "mine_code", "is required."),
        ("17", "zn_pct", "must be a number."),
        ("17", "notes", "must be text."),
    ]
    assert count(Sample) == 0


def test_a_wrong_header_is_refused_before_any_row(as_role):
    client = as_role("president")
    content = csv_file([[*row("S1"), "red"]], header=[*COLUMNS, "colour"])
    response = upload(client, "samples", content, "lab.csv")
    assert problems(response) == [("1", "colour", "is not a column of samples.")]
    content = csv_file([row("S1")[:-1]], header=COLUMNS[:-1])
    response = upload(client, "samples", content, "lab.csv")
    assert problems(response) == [("1", "notes", "is missing from the header row.")]
    assert imported(client, csv_file([])) == ["Samples imported: 0 created, 0 updated."]


# re-importing ---------------------------------------------------------------------------------


def test_reimport_updates_the_changed_rows_only(as_role):
    client = as_role("operator")
    rows = lab_file()
    imported(client, csv_file(rows))
    first = timestamps()
    rows[0][4] = "3.5"  # L-0000: zn_pct changed (was 3.48)
    rows[1][6] = ""  # L-0001: lab taken away
    rows[2][1] = "M1B"  # L-0002: now of M1B (rows[2] was M1A)
    before = stored()
    assert imported(client, csv_file(rows)) == [
        "Samples imported: 0 created, 3 updated. 297 already up to date."
    ]
    now = stored()
    assert now == dict(as_stored(cells) for cells in rows)
    assert {code for code in now if now[code] != before[code]} == {"L-0000", "L-0001", "L-0002"}
    updates = sample_entries("update")
    assert [(e.record_key, e.before, e.after) for e in updates] == [
        ("L-0000", {"zn_pct": 3.48}, {"zn_pct": 3.5}),
        ("L-0001", {"lab": "黔南州地质实验室"}, {"lab": None}),
        ("L-0002", {"mine_code": "M1A"}, {"mine_code": "M1B"}),
    ]
    assert all(e.actor == "operator" and e.record_id == first[e.record_key][0] for e in updates)
    # created_at stays; updated_at moves for the changed rows only
    again = timestamps()
    for code, (id_, created, updated) in again.items():
        assert (id_, created) == first[code][:2]
        assert (updated != first[code][2]) == (code in {"L-0000", "L-0001", "L-0002"})
    # The same file again changes nothing and logs nothing.
    entries = len(sample_entries())
    assert imported(client, csv_file(rows)) == [
        "Samples imported: 0 created, 0 updated. 300 already up to date."
    ]
    assert len(sample_entries()) == entries


def test_export_imports_back_unchanged(as_role):
    client = as_role("president")
    rows = [*lab_file(40), row("Q-1", lab='\'=HYPERLINK("x")', notes="-3 dB")]
    imported(client, csv_file(rows))
    entries = len(sample_entries())
    for fmt in ("csv", "xlsx"):
        exported = client.get(f"/data/samples/export.{fmt}").data
        assert imported(client, exported, f"samples.{fmt}") == [
            "Samples imported: 0 created, 0 updated. 41 already up to date."
        ]
    assert len(sample_entries()) == entries
    assert SAMPLES.get("Q-1").lab == '=HYPERLINK("x")'


# operators: their own enterprise's mines and samples only -------------------------------------


def test_operator_may_not_overwrite_another_enterprises_sample(as_role):
    existing("S2", "M2A")  # E2's
    client = as_role("operator")  # of E1
    response = upload(client, "samples", csv_file([row("S1"), row("S2")]), "lab.csv")
    assert response.status_code == 400
    assert problems(response) == [
        ("3", "sample_code", "S2 belongs to E2; you may write only the records of E1.")
    ]
    assert set(stored()) == {"S2"} and stored()["S2"][0] == "M2A"
    assert [e.action for e in sample_entries()] == ["create"]  # S2's, by the fixture


def test_operator_b_updates_their_own_and_the_president_any(as_role, client):
    existing("S1", "M1A")
    existing("S2", "M2A")
    other = as_role("operator_b")  # of E2
    imported(other, csv_file([row("S2", mine="M2A", zn="4")]))
    assert stored()["S2"][3] == 4.0
    response = upload(other, "samples", csv_file([row("S1", zn="4")]), "lab.csv")
    assert problems(response) == [
        ("2", "sample_code", "S1 belongs to E1; you may write only the records of E2."),
        ("2", "mine_code", "M1A belongs to E1; you may write only the records of E2."),
    ]
    client.post("/logout")
    president = as_role("president")
    content = csv_file([row("S1", mine="M2A", zn="5"), row("S2", mine="M1B", zn="6")])
    imported(president, content)
    now = stored()
    assert (now["S1"][0], now["S1"][3], now["S2"][0], now["S2"][3]) == ("M2A", 5.0, "M1B", 6.0)


def test_the_bureau_may_not_import(as_role):
    client = as_role("bureau")
    assert upload(client, "samples", csv_file([row("S1")]), "lab.csv").status_code == 403
    assert count(Sample) == 0


# XLSX -----------------------------------------------------------------------------------------


def test_xlsx_with_date_and_number_cells(as_role):
    client = as_role("operator")
    content = xlsx_file(
        [
            ["X-1", "M1A", datetime(2025, 3, 4), "feed", 3.48, None, "Duyun lab", None],
            ["X-2", "M1B", "2025-03-05", "concentrate", 52, 1.25, None, "复检"],
            ["X-3", "M1A", datetime(2025, 3, 6), "tailings", "0.28", "", 7, None],
        ]
    )
    imported(client, content, "lab.xlsx")
    assert stored() == {
        "X-1": ("M1A", date(2025, 3, 4), "feed", 3.48, None, "Duyun lab", None),
        "X-2": ("M1B", date(2025, 3, 5), "concentrate", 52.0, 1.25, None, "复检"),
        "X-3": ("M1A", date(2025, 3, 6), "tailings", 0.28, None, "7", None),
    }
    bad = xlsx_file([["X-4", "M1A", datetime(2025, 7, 1), "feed", 101, None, None, None]])
    response = upload(client, "samples", bad, "lab.xlsx")
    assert problems(response) == [
        ("2", "sampled_on", "must not be after today (2025-06-01)."),
        ("2", "zn_pct", "must be from 0 to 100."),
    ]


# the command line -----------------------------------------------------------------------------


def test_command_line_import(runner, members, tmp_path):
    path = tmp_path / "lab.csv"
    path.write_bytes(csv_file(lab_file()))
    result = runner.invoke(args=["import", "samples", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "samples: 300 created, 0 updated, 0 unchanged"
    entries = sample_entries()
    assert len(entries) == 300 and {(e.actor, e.user_id) for e in entries} == {("cli", None)}
    result = runner.invoke(args=["import", "samples", str(path)])
    assert result.stdout.strip() == "samples: 0 created, 0 updated, 300 unchanged"


def test_command_line_import_with_bad_rows_writes_nothing(runner, members, tmp_path):
    rows = lab_file(10)
    rows[2] = row("B-1", mine="M9")
    rows[5] = row("B-2", day="2025-06-30", zn="0,28")
    path = tmp_path / "lab.csv"
    path.write_bytes(csv_file(rows))
    result = runner.invoke(args=["import", "samples", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 4, column mine_code ('M9'): no mine has code M9.",
        "line 7, column sampled_on ('2025-06-30'): must not be after today (2025-06-01).",
        "line 7, column zn_pct ('0,28'): must be a number.",
        "nothing imported from lab.csv: 3 problem(s)",
    ]
    assert count(Sample) == 0 and sample_entries() == []


# the service: the caller's transaction ----------------------------------------------------------


def frame_of(rows):
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)


def test_nothing_is_committed_by_the_import(members):
    with acting_as("test"):
        summary = import_samples(SAMPLES, frame_of([row("S1"), row("S2")]))
        assert (summary.created, count(Sample), len(sample_entries())) == (2, 2, 2)
        db.session.rollback()  # the caller's decision
    assert count(Sample) == 0 and sample_entries() == []


def test_samples_loaded_before_are_read_afresh(members):
    existing("S1", "M1A")
    sample = SAMPLES.get("S1")
    assert sample.zn_pct == 3.48
    with acting_as("test"):
        import_samples(SAMPLES, frame_of([row("S1", zn="4.5")]))
    assert sample.zn_pct == 4.5  # the same object, expired by the import
    db.session.commit()


# the bulk path refuses what the row-by-row path refuses ---------------------------------------

TRICKY = [
    {"lab": "Duyun\x00lab"},
    {"notes": "a\x00b"},
    {"lab": "bad \ud800 text"},
    {"code": "S" * 33},
    {"code": "S" * 32},
    {"code": "new"},
    {"code": "Import"},
    {"code": "S 1"},
    {"code": "-S1"},
    {"code": "'=S1"},
    {"code": "S1é"},
    {"code": "A/B.1_2-3"},
    {"code": " S1 "},
    {"mine": "m1a"},
    {"mine": " M1A "},
    {"mine": "M1A;"},
    {"pb": ""},
    {"pb": "  "},
    {"zn": "3,48"},
    {"zn": "1_0"},
    {"zn": "３.５"},
    {"zn": "nan"},
    {"zn": "inf"},
    {"zn": "-inf"},
    {"zn": "1e400"},
    {"zn": "-0"},
    {"zn": " 3.48 "},
    {"zn": "+3.48"},
    {"zn": ".5"},
    {"zn": "5."},
    {"zn": "1e1"},
    {"zn": "100.0000000001"},
    {"zn": "0.1e-400"},
    {"zn": "0x10"},
    {"zn": "'+3"},
    {"zn": "'3"},
    {"pb": "-0.01"},
    {"day": "20250410"},
    {"day": "2025-W15-4"},
    {"day": "20250602"},
    {"day": "2025-4-10"},
    {"day": "2025-04-10T00:00"},
    {"day": "0000-01-01"},
    {"day": "0001-01-01"},
    {"day": "２０２５-04-10"},
    {"day": " 2025-04-10 "},
    {"kind": "Feed"},
    {"kind": " feed "},
    {"kind": ""},
    {"lab": "x" * 100},
    {"lab": "矿" * 100},
    {"lab": "x" * 101},
    {"notes": "n" * 2001},
    {"lab": "'=HYPERLINK(1)"},
    {"lab": "''=x"},
    {"lab": "'plain"},
    {"notes": "\u3000 spaced \u3000"},
]


def outcome(kind, cells, user=None):
    """What importing one row does: ("stored", values) or ("refused", {(column, reason)})."""
    try:
        tabular.import_table(kind, frame_of([cells]), user)
    except ImportFailed as error:
        db.session.rollback()
        return "refused", {(column, reason) for _line, column, reason in error.rows}
    values = stored()
    db.session.rollback()
    return "stored", values


@pytest.mark.parametrize("changes", TRICKY, ids=repr)
def test_bulk_and_row_paths_refuse_the_same(members, changes):
    changes = dict(changes)
    cells = row(changes.pop("code", "S1"), **changes)
    with acting_as("test"):
        bulk = outcome(SAMPLES, cells)  # first: the row path may commit on SQLite
        by_row = outcome(ROW_BY_ROW, cells)
    assert bulk[0] == by_row[0], (bulk, by_row)
    if bulk[0] == "stored":
        assert bulk == by_row
    else:
        # The row path stops at a row's first kind of problem; the bulk path names them all.
        assert by_row[1] <= bulk[1], (bulk, by_row)


def test_bulk_and_row_paths_agree_for_an_operator(members, users):
    operator = user_by_name("operator")
    existing("S2", "M2A")
    for cells in (row("S1", mine="M2A"), row("S2", mine="M1A"), row("S3", mine="M9")):
        with acting_as("test"):
            bulk = outcome(SAMPLES, cells, operator)
            by_row = outcome(ROW_BY_ROW, cells, operator)
        assert (bulk[0], {r for _c, r in bulk[1]}) == (by_row[0], {r for _c, r in by_row[1]})
