"""Import and export through the pages under /data/ (docs/design.md "Import and export")."""

import csv
import dataclasses
import io
from datetime import date, datetime

import openpyxl
import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.manifests.members import MINES
from coop.models import AuditEntry, Enterprise
from coop.services import tabular
from coop.services.accounts import user_by_name
from coop.services.errors import ImportFailed
from coop.services.members import enterprise_by_code, mine_by_code, save_enterprise
from tests.helpers import flashed, problems, upload, with_kind

ENTERPRISE_COLUMNS = [
    "code",
    "name",
    "legal_representative",
    "business_license_no",
    "joined_on",
    "left_on",
    "contact_phone",
]
MINE_COLUMNS = [
    "code",
    "enterprise_code",
    "name",
    "minerals",
    "mining_method",
    "processing_method",
    "status",
    "opened_on",
    "closed_on",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Files as a clerk makes them --------------------------------------------------------------------


def csv_file(rows, header=ENTERPRISE_COLUMNS, bom=False, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


def xlsx_file(rows, header=ENTERPRISE_COLUMNS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def enterprise_row(code, name=None, joined_on="2001-01-01", left_on="", **other):
    name = f"Enterprise {code}" if name is None else name
    values = {"code": code, "name": name, "joined_on": joined_on}
    values |= {"left_on": left_on} | other
    return [values.get(c, "") for c in ENTERPRISE_COLUMNS]


def enterprise_codes():
    return db.session.execute(db.select(Enterprise.code).order_by(Enterprise.code)).scalars().all()


def audit_rows(action=None):
    query = db.select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return db.session.execute(query).scalars().all()


def csv_rows(content):
    assert content.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_cells(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


def xlsx_rows(content):
    return [["" if c.value is None else c.value for c in row] for row in xlsx_cells(content)]


# Templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "columns"), [("enterprises", ENTERPRISE_COLUMNS), ("mines", MINE_COLUMNS)]
)
def test_templates_have_domain_headers_in_order(as_role, kind, columns):
    client = as_role("bureau")  # anyone signed in may download a template
    response = client.get(f"/data/{kind}/template.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    assert f'filename="{kind}-template.csv"' in response.headers["Content-Disposition"]
    assert csv_rows(response.data) == [columns]

    response = client.get(f"/data/{kind}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert xlsx_rows(response.data) == [columns]


def test_unknown_kind_and_format_are_404(as_role):
    client = as_role("president")
    assert client.get("/data/nothing/template.csv").status_code == 404
    assert client.get("/data/enterprises/template.ods").status_code == 404
    assert client.get("/data/enterprises/export.json").status_code == 404
    assert client.get("/data/nothing/import").status_code == 404


def test_data_pages_need_login(client, users):
    for url in ("/data/", "/data/enterprises/export.csv", "/data/enterprises/import"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


# Importing ------------------------------------------------------------------------------------


def test_csv_import_creates_records(as_role):
    client = as_role("president")
    content = csv_file(
        [
            enterprise_row("E10", "Zinc Ten", legal_representative="Wang", contact_phone="0854-1"),
            enterprise_row("E11", joined_on="2002-02-02", left_on="2006-06-30"),
        ]
    )
    response = upload(client, "enterprises", content, "members.csv")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Enterprises imported: 2 created, 0 updated." in flashed(page)
    ten, eleven = enterprise_by_code("E10"), enterprise_by_code("E11")
    assert (ten.name, ten.legal_representative, ten.contact_phone) == ("Zinc Ten", "Wang", "0854-1")
    assert ten.left_on is None and ten.business_license_no is None
    assert (eleven.joined_on, eleven.left_on) == (date(2002, 2, 2), date(2006, 6, 30))


def test_xlsx_import_with_date_and_number_cells(as_role, members):
    client = as_role("president")
    content = xlsx_file(
        [
            # Excel stores dates as date cells and a phone typed as digits as a number.
            ["E10", "Zinc Ten", None, None, datetime(2001, 5, 4), None, 13800138000],
            ["E11", "Zinc Eleven", "Li", "BL-11", "2003-01-01", "2004-01-01", "0854-2"],
        ]
    )
    response = upload(client, "enterprises", content, "members.xlsx")
    assert response.status_code == 302, problems(response)
    ten, eleven = enterprise_by_code("E10"), enterprise_by_code("E11")
    assert ten.joined_on == date(2001, 5, 4)
    assert ten.contact_phone == "13800138000"
    assert (eleven.business_license_no, eleven.left_on) == ("BL-11", date(2004, 1, 1))


def test_mines_import_refers_to_enterprises_by_code(as_role, members):
    client = as_role("president")
    content = csv_file(
        [
            ["M2B", "E2", "Mine two B", "zn, pb", "open_pit", "flotation", "", "2004-01-01", ""],
            [
                "M3A",
                "E3",
                "Old mine",
                "Zn",
                "underground",
                "",
                "closed",
                "1999-01-01",
                "2004-12-31",
            ],
        ],
        header=MINE_COLUMNS,
    )
    response = upload(client, "mines", content, "mines.csv")
    assert response.status_code == 302, problems(response)
    two_b, three_a = mine_by_code("M2B"), mine_by_code("M3A")
    assert two_b.enterprise_code == "E2"
    assert two_b.minerals == "Zn,Pb"
    assert two_b.status == "active"  # a blank status takes the default
    assert (three_a.status, three_a.closed_on) == ("closed", date(2004, 12, 31))


def test_one_bad_row_writes_nothing_and_is_named(as_role, members):
    client = as_role("president")
    before = len(audit_rows())
    content = csv_file(
        [
            enterprise_row("E10"),
            enterprise_row("E11", joined_on="2001-13-01"),
            enterprise_row("E12"),
        ]
    )
    response = upload(client, "enterprises", content, "members.csv")
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert problems(response) == [("3", "joined_on", "is not a valid date (use YYYY-MM-DD).")]
    assert enterprise_codes() == ["E1", "E2", "E3"]
    assert len(audit_rows()) == before


def test_every_bad_row_is_listed(as_role, members):
    client = as_role("president")
    content = csv_file(
        [
            enterprise_row("E10"),
            enterprise_row("E11", name=""),  # line 3: name required
            enterprise_row("E12", joined_on="2005-01-01", left_on="2004-01-01"),  # line 4
            enterprise_row("E13"),
            enterprise_row("bad code!"),  # line 6
            enterprise_row("E14", joined_on="yesterday"),  # line 7
        ]
    )
    response = upload(client, "enterprises", content, "members.csv")
    assert response.status_code == 400
    found = problems(response)
    assert [(line, column) for line, column, _ in found] == [
        ("3", "name"),
        ("4", "left_on"),
        ("6", "code"),
        ("7", "joined_on"),
    ]
    assert found[0][2] == "is required."
    assert found[1][2] == "must not be before the joining date (2005-01-01)."
    assert "letters, digits" in found[2][2]
    assert enterprise_codes() == ["E1", "E2", "E3"]


def test_bad_rows_in_xlsx_are_named_by_spreadsheet_line(as_role, members):
    client = as_role("president")
    content = xlsx_file(
        [
            ["M1C", "E1", "Mine C", "Zn", "underground", None, "closed", "2001-01-01", None],
            ["M1D", "E9", "Mine D", "Zn", "sideways", None, None, None, None],
        ],
        header=MINE_COLUMNS,
    )
    response = upload(client, "mines", content, "mines.xlsx")
    assert response.status_code == 400
    assert problems(response) == [
        ("2", "closed_on", "is required when the status is closed."),
        ("3", "mining_method", "must be one of: underground, open_pit."),
    ]
    assert mine_by_code("M1C") is None and mine_by_code("M1D") is None


def test_unknown_enterprise_of_a_mine_is_named(as_role, members):
    client = as_role("president")
    content = csv_file(
        [["M9A", "E9", "Mine", "Zn", "underground", "", "", "", ""]], header=MINE_COLUMNS
    )
    response = upload(client, "mines", content, "mines.csv")
    assert response.status_code == 400
    assert problems(response) == [("2", "enterprise_code", "no enterprise has code E9.")]


def test_unknown_and_missing_columns_are_refused(as_role, members):
    client = as_role("president")
    header = [c for c in ENTERPRISE_COLUMNS if c != "contact_phone"] + ["phone"]
    content = csv_file([["E10", "Ten", "", "", "2001-01-01", "", "0854"]], header=header)
    response = upload(client, "enterprises", content, "members.csv")
    assert response.status_code == 400
    assert problems(response) == [
        ("1", "phone", "is not a column of enterprises."),
        ("1", "contact_phone", "is missing from the header row."),
    ]
    assert enterprise_by_code("E10") is None


def test_reimport_updates_by_natural_key(as_role, members):
    client = as_role("president")
    content = csv_file(
        [
            enterprise_row("E1", "Renamed One", joined_on="1999-06-01", contact_phone="0854-9"),
            enterprise_row("E2", "Enterprise E2", joined_on="2003-03-01"),  # as it is
            enterprise_row("E4", "New Four"),
        ]
    )
    response = upload(client, "enterprises", content, "members.csv")
    assert response.status_code == 302, problems(response)
    message = flashed(client.get(response.headers["Location"]))
    assert message == ["Enterprises imported: 1 created, 1 updated. 1 already up to date."]
    assert enterprise_codes() == ["E1", "E2", "E3", "E4"]
    one = enterprise_by_code("E1")
    assert (one.name, one.contact_phone) == ("Renamed One", "0854-9")
    # Running the same file again changes nothing and creates nothing.
    response = upload(client, "enterprises", content, "members.csv")
    message = flashed(client.get(response.headers["Location"]))
    assert message == ["Enterprises imported: 0 created, 0 updated. 3 already up to date."]
    assert enterprise_codes() == ["E1", "E2", "E3", "E4"]


def test_natural_key_twice_in_one_file_is_refused(as_role, members):
    client = as_role("president")
    content = csv_file(
        [enterprise_row("E10"), enterprise_row("E11"), enterprise_row("E10", "Again")]
    )
    response = upload(client, "enterprises", content, "members.csv")
    assert response.status_code == 400
    assert problems(response) == [("4", "code", "E10 is already on line 2.")]
    assert enterprise_by_code("E10") is None


def test_csv_with_bom_and_chinese_text(as_role, members):
    client = as_role("president")
    name = "都匀市牛角塘鑫隆锌业有限公司"
    content = csv_file([enterprise_row("DY01", name, legal_representative="王建国")], bom=True)
    assert content.startswith(b"\xef\xbb\xbf")
    response = upload(client, "enterprises", content, "会员.csv")
    assert response.status_code == 302, problems(response)
    record = enterprise_by_code("DY01")  # the BOM did not become part of the first header
    assert (record.name, record.legal_representative) == (name, "王建国")


def test_csv_not_utf8_is_refused_with_a_message(as_role, members):
    client = as_role("president")
    content = csv_file([enterprise_row("DY01", "都匀市宏达矿业有限公司")], encoding="gbk")
    response = upload(client, "enterprises", content, "members.csv")
    assert response.status_code == 400
    assert problems(response) == [("", "", "The CSV file is not UTF-8 text.")]
    assert enterprise_by_code("DY01") is None


def test_empty_file_is_refused(as_role, members):
    response = upload(as_role("president"), "enterprises", b"", "members.csv")
    assert response.status_code == 400
    assert problems(response) == [("1", "", "The file is empty: it has no header row.")]


def test_damaged_xlsx_is_refused(as_role, members):
    response = upload(as_role("president"), "enterprises", b"not a zip file", "members.xlsx")
    assert response.status_code == 400
    [(_line, _column, reason)] = problems(response)
    assert reason.startswith("The file cannot be read")


def test_other_file_types_are_refused(as_role, members):
    client = as_role("president")
    content = csv_file([enterprise_row("E10")])
    for filename in ("members.txt", "members.ods", "members"):
        response = upload(client, "enterprises", content, filename)
        assert response.status_code == 400
        assert "Use a .csv or .xlsx file." in response.text
    assert enterprise_by_code("E10") is None


def test_no_file_is_refused(as_role, members):
    response = as_role("president").post(
        "/data/enterprises/import", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Choose a file to import." in response.text


@pytest.mark.parametrize("config", [{"MAX_CONTENT_LENGTH": 2048}])
def test_file_over_the_upload_limit_is_413(as_role, config):
    client = as_role("president")
    rows = [enterprise_row(f"E{n}", "x" * 50) for n in range(100)]
    content = csv_file(rows)
    assert len(content) > 2048
    response = upload(client, "enterprises", content, "members.csv")
    assert response.status_code == 413
    assert "larger than the upload limit" in response.text
    assert enterprise_by_code("E0") is None
    # A file under the limit still goes through.
    response = upload(client, "enterprises", csv_file(rows[:3]), "members.csv")
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["operator", "bureau"])
@pytest.mark.parametrize("kind", ["enterprises", "mines"])
def test_only_president_and_admin_import_members(as_role, role, kind):
    client = as_role(role)
    assert client.get(f"/data/{kind}/import").status_code == 403
    header = ENTERPRISE_COLUMNS if kind == "enterprises" else MINE_COLUMNS
    content = (
        csv_file([enterprise_row("E1", "Taken over")])
        if kind == "enterprises"
        else csv_file([["M1A", "E1", "Taken", "Zn", "open_pit", "", "", "", ""]], header=header)
    )
    assert upload(client, kind, content, "f.csv").status_code == 403
    assert enterprise_by_code("E1").name == "Enterprise E1"
    assert mine_by_code("M1A").name == "Mine M1A"


@pytest.mark.parametrize("role", ["admin", "president"])
def test_writers_see_the_import_page(as_role, role):
    response = as_role(role).get("/data/mines/import")
    assert response.status_code == 200
    assert ", ".join(MINE_COLUMNS) in response.text


def test_import_writes_audit_rows_with_the_actor(as_role, members):
    client = as_role("president")
    before = len(audit_rows())
    content = csv_file([enterprise_row("E10"), enterprise_row("E1", "Renamed", "1999-06-01")])
    assert upload(client, "enterprises", content, "members.csv").status_code == 302
    entries = audit_rows()[before:]
    president = user_by_name("president")
    assert {(e.action, e.record_type, e.record_key) for e in entries} == {
        ("create", "enterprises", "E10"),
        ("update", "enterprises", "E1"),
    }
    assert all(e.actor == "president" for e in entries)
    assert all(e.user_id == president.id for e in entries)
    update = next(e for e in entries if e.action == "update")
    assert update.before == {"name": "Enterprise E1"}
    assert update.after == {"name": "Renamed"}


# Exporting ------------------------------------------------------------------------------------


@pytest.fixture
def tricky(members):
    """Values that test an export: Chinese text, a former member, formula-like text."""
    with acting_as("test"):
        save_enterprise(
            {
                "code": "DY01",
                "name": "都匀市牛角塘鑫隆锌业有限公司",
                "legal_representative": '=HYPERLINK("http://evil","x")',
                "business_license_no": "@SUM(A1:A9)",
                "joined_on": date(1999, 6, 18),
                "left_on": date(2006, 1, 1),
                "contact_phone": "+86 854 8211001",
            }
        )
        save_enterprise(
            {
                "code": "DY02",
                "name": "-minus",
                "legal_representative": "'=already quoted",
                "joined_on": date(2000, 1, 1),
            }
        )
        db.session.commit()


def test_export_csv_has_domain_headers_and_rows(as_role, members):
    response = as_role("bureau").get("/data/mines/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="mines.csv"' in response.headers["Content-Disposition"]
    rows = csv_rows(response.data)
    assert rows[0] == MINE_COLUMNS
    assert rows[1:] == [
        ["M1A", "E1", "Mine M1A", "Zn,Pb", "underground", "", "active", "", ""],
        ["M1B", "E1", "Mine M1B", "Zn,Pb", "underground", "", "active", "", ""],
        ["M2A", "E2", "Mine M2A", "Zn,Pb", "underground", "", "active", "", ""],
    ]


def test_export_neutralises_formula_text_in_csv(as_role, tricky):
    rows = csv_rows(as_role("president").get("/data/enterprises/export.csv").data)
    by_code = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    one, two = by_code["DY01"], by_code["DY02"]
    assert one["legal_representative"] == '\'=HYPERLINK("http://evil","x")'
    assert one["business_license_no"] == "'@SUM(A1:A9)"
    assert one["contact_phone"] == "'+86 854 8211001"
    assert two["name"] == "'-minus"
    assert one["joined_on"] == "1999-06-18"  # dates are not text to neutralise
    assert one["name"] == "都匀市牛角塘鑫隆锌业有限公司"


def test_export_neutralises_formula_text_in_xlsx(as_role, tricky):
    response = as_role("president").get("/data/enterprises/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    cells = xlsx_cells(response.data)
    assert [c.value for c in cells[0]] == ENTERPRISE_COLUMNS
    by_code = {row[0].value: dict(zip(ENTERPRISE_COLUMNS, row, strict=True)) for row in cells[1:]}
    one = by_code["DY01"]
    for column in ("legal_representative", "business_license_no", "contact_phone"):
        assert one[column].data_type == "s"  # text, not a formula ("f")
        assert one[column].value.startswith("'")
    assert by_code["DY02"]["name"].data_type == "s"
    assert by_code["DY02"]["name"].value == "'-minus"
    assert all(cell.data_type != "f" for row in cells for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_neutralised_export_imports_back_to_the_original(as_role, tricky, fmt):
    client = as_role("president")
    exported = client.get(f"/data/enterprises/export.{fmt}").data
    # Change the records, then restore them from the export.
    with acting_as("test"):
        for code in ("DY01", "DY02"):
            record = enterprise_by_code(code)
            save_enterprise(
                {"legal_representative": "x", "business_license_no": None, "name": "y"}, record
            )
        db.session.commit()
    response = upload(client, "enterprises", exported, f"back.{fmt}")
    assert response.status_code == 302, problems(response)
    one, two = enterprise_by_code("DY01"), enterprise_by_code("DY02")
    assert one.legal_representative == '=HYPERLINK("http://evil","x")'
    assert one.business_license_no == "@SUM(A1:A9)"
    assert one.contact_phone == "+86 854 8211001"
    assert one.name == "都匀市牛角塘鑫隆锌业有限公司"
    assert two.name == "-minus"
    assert two.legal_representative == "'=already quoted"


@pytest.mark.parametrize("kind", ["enterprises", "mines"])
def test_csv_export_imports_back_unchanged(as_role, tricky, kind):
    client = as_role("president")
    first = client.get(f"/data/{kind}/export.csv")
    assert first.status_code == 200
    audit_before = len(audit_rows())
    response = upload(client, kind, first.data, f"{kind}.csv")
    assert response.status_code == 302, problems(response)
    rows = len(csv_rows(first.data)) - 1
    label = kind.capitalize()
    assert flashed(client.get(response.headers["Location"])) == [
        f"{label} imported: 0 created, 0 updated. {rows} already up to date."
    ]
    assert len(audit_rows()) == audit_before  # nothing changed, so nothing was logged
    assert client.get(f"/data/{kind}/export.csv").data == first.data


@pytest.mark.parametrize("kind", ["enterprises", "mines"])
def test_xlsx_export_imports_back_unchanged(as_role, tricky, kind):
    client = as_role("president")
    first = client.get(f"/data/{kind}/export.xlsx")
    audit_before = len(audit_rows())
    response = upload(client, kind, first.data, f"{kind}.xlsx")
    assert response.status_code == 302, problems(response)
    assert "0 created, 0 updated" in flashed(client.get(response.headers["Location"]))[0]
    assert len(audit_rows()) == audit_before
    again = client.get(f"/data/{kind}/export.xlsx")
    assert xlsx_rows(again.data) == xlsx_rows(first.data)
    assert len(xlsx_rows(first.data)) > 1


# Operators import only their own enterprise's rows ---------------------------------------------


@pytest.fixture
def operator_writable_mines(monkeypatch):
    """A test-only record type over Mine that operators may write for their own enterprise, as
    later record types (samples, production, ...) will be."""
    kind = dataclasses.replace(MINES, name="test_mines", label="Test mines", operator_writes=True)
    return with_kind(monkeypatch, kind)


def mine_row(code, enterprise_code, name=None):
    return [code, enterprise_code, name or f"Mine {code}", "Zn", "underground", "", "", "", ""]


def test_operator_import_of_another_enterprises_row_writes_nothing(
    as_role, operator_writable_mines
):
    client = as_role("operator")  # of E1
    before = len(audit_rows())
    content = csv_file(
        [
            mine_row("M1A", "E1", "Renamed own mine"),  # line 2: own, fine
            mine_row("M1C", "E1"),  # line 3: new own mine, fine
            mine_row("M2A", "E2", "Taken over"),  # line 4: E2's mine
            mine_row("M1B", "E2"),  # line 5: moving an own mine to E2
            mine_row("M2B", "E2"),  # line 6: a new mine for E2
        ],
        header=MINE_COLUMNS,
    )
    response = upload(client, "test_mines", content, "mines.csv")
    assert response.status_code == 400
    assert problems(response) == [
        ("4", "enterprise_code", "you may write only the records of E1."),  # E2's mine
        ("5", "enterprise_code", "you may write only the records of E1."),  # the row names E2
        ("6", "enterprise_code", "you may write only the records of E1."),
    ]
    assert mine_by_code("M1A").name == "Mine M1A"
    assert mine_by_code("M1C") is None and mine_by_code("M2B") is None
    assert mine_by_code("M2A").name == "Mine M2A"
    assert mine_by_code("M1B").enterprise_code == "E1"
    assert len(audit_rows()) == before


def test_operator_imports_own_enterprises_rows(as_role, operator_writable_mines):
    client = as_role("operator")
    content = csv_file(
        [mine_row("M1A", "E1", "Renamed own mine"), mine_row("M1C", "E1")], header=MINE_COLUMNS
    )
    response = upload(client, "test_mines", content, "mines.csv")
    assert response.status_code == 302, problems(response)
    assert flashed(client.get(response.headers["Location"])) == [
        "Test mines imported: 1 created, 1 updated."
    ]
    assert mine_by_code("M1A").name == "Renamed own mine"
    assert mine_by_code("M1C").enterprise_code == "E1"
    entries = audit_rows()[-2:]
    assert {(e.action, e.record_key, e.actor) for e in entries} == {
        ("update", "M1A", "operator"),
        ("create", "M1C", "operator"),
    }
    # The other enterprise's operator may not touch E1's mines.
    client.post("/logout")
    other = as_role("operator_b")
    response = upload(
        other, "test_mines", csv_file([mine_row("M1C", "E1", "Mine")], MINE_COLUMNS), "m.csv"
    )
    assert problems(response) == [("2", "enterprise_code", "you may write only the records of E2.")]


def test_operator_scoping_in_the_service(app, users, operator_writable_mines):
    frame = tabular.read_table(
        io.BytesIO(csv_file([mine_row("M1C", "E1"), mine_row("M2A", "E2", "Taken")], MINE_COLUMNS)),
        "mines.csv",
    )
    with pytest.raises(ImportFailed) as failed:
        tabular.import_table(operator_writable_mines, frame, user_by_name("operator"))
    db.session.rollback()
    assert failed.value.as_list() == [
        {
            "line": 3,
            "column": "enterprise_code",
            "value": "E2",
            "reason": "you may write only the records of E1.",
        }
    ]
    assert mine_by_code("M1C") is None
    # Without a user (the command line) every row may be written.
    summary = tabular.import_table(operator_writable_mines, frame)
    assert (summary.created, summary.updated) == (1, 1)
    assert mine_by_code("M2A").name == "Taken"
    # The real mines kind stays president's and admin's only.
    with pytest.raises(ImportFailed) as failed:
        tabular.import_table(MINES, frame, user_by_name("operator"))
    assert {row[2] for row in failed.value.rows} == {"you may write only the records of E1."}
