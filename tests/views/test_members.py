"""The member pages: enterprise and mine lists, detail pages, create and edit forms, and the audit
log they write (docs/design.md "Members"; "Who uses it": only the president and admin write
members)."""

import re
from datetime import UTC, datetime
from functools import partial
from html import unescape

import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.models import AuditEntry, Enterprise, Mine, User
from coop.services.members import enterprise_by_code, mine_by_code, save_enterprise, save_mine
from tests import helpers
from tests.helpers import count

# ---------------------------------------------------------------------------------------------
# helpers: what a page shows, and what the database holds


def enterprise_codes(html):
    """The enterprise codes of a list page's table rows, in order."""
    return re.findall(r'<td[^>]*><a href="/enterprises/([^"]+)">', html)


def mine_codes(html):
    """The mine codes of a mine table's rows, in order."""
    return re.findall(r'<td[^>]*><a href="/mines/([^"]+)">', html)


def link(html, text):
    """The href of the link whose text is text."""
    found = re.search(r'<a class="page-link" href="([^"]+)">' + re.escape(text) + "</a>", html)
    assert found, f"no link {text!r}"
    return unescape(found.group(1))


def invalid_fields(html):
    """Names of the form fields marked invalid."""
    return set(
        re.findall(r'<(?:input|select)[^>]*class="[^"]*is-invalid[^"]*"[^>]*name="([^"]+)"', html)
    )


def problems(html):
    """The lines of the form's error summary."""
    summary = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)
    assert summary, "no error summary on the page"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", summary.group(1))]


AUDIT_ROW = re.compile(
    r'<tr class="audit-entry" data-key="([^"]*)">\s*<td class="audit-when">[^<]*</td>\s*'
    r'<td class="audit-who">([^<]*)</td>\s*'
    r'<td class="audit-what"><span class="audit-action">([^<]*)</span>'
)


def audit_rows(html):
    """(actor, action, record key) of each row of the audit page."""
    return [(actor, action, key) for key, actor, action in AUDIT_ROW.findall(html)]


# Row counts of the member tables and the audit log: a failed write changes none.
snapshot = partial(helpers.snapshot, Enterprise, Mine, AuditEntry)


def last_audit():
    return (
        db.session.execute(db.select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    )


def enterprise_form(**changes):
    return {
        "code": "E9",
        "name": "Enterprise E9",
        "legal_representative": "",
        "business_license_no": "",
        "joined_on": "2020-01-01",
        "left_on": "",
        "contact_phone": "",
    } | changes


def enterprise_edit_form(current, **changes):
    """The edit form of an existing enterprise as its page shows it, with changes."""
    e = enterprise_by_code(current)
    return (
        enterprise_form(
            code=e.code,
            name=e.name,
            legal_representative=e.legal_representative or "",
            business_license_no=e.business_license_no or "",
            joined_on=e.joined_on.isoformat(),
            left_on=e.left_on.isoformat() if e.left_on else "",
            contact_phone=e.contact_phone or "",
        )
        | changes
    )


def mine_form(**changes):
    return {
        "code": "M9",
        "enterprise_code": "E1",
        "name": "Mine M9",
        "minerals": "Zn,Pb",
        "mining_method": "underground",
        "processing_method": "flotation",
        "status": "active",
        "opened_on": "",
        "closed_on": "",
    } | changes


def mine_edit_form(current, **changes):
    m = mine_by_code(current)
    return (
        mine_form(
            code=m.code,
            enterprise_code=m.enterprise_code,
            name=m.name,
            minerals=m.minerals,
            mining_method=m.mining_method,
            processing_method=m.processing_method or "",
            status=m.status,
            opened_on=m.opened_on.isoformat() if m.opened_on else "",
            closed_on=m.closed_on.isoformat() if m.closed_on else "",
        )
        | changes
    )


# ---------------------------------------------------------------------------------------------
# lists: search, filters, pagination


@pytest.fixture
def varied(members):
    """Make the fixture's records differ: a legal representative, a suspended mine, a zinc-only
    mine."""
    with acting_as("test"):
        save_enterprise({"legal_representative": "Zhang Wei"}, enterprise_by_code("E1"))
        save_mine({"status": "suspended"}, mine_by_code("M1B"))
        save_mine({"minerals": "Zn"}, mine_by_code("M2A"))
        db.session.commit()


def test_enterprise_list_shows_all_members_past_and_present(as_role, varied):
    html = as_role("operator").get("/enterprises/").text
    assert enterprise_codes(html) == ["E1", "E2", "E3"]
    assert "left Dec 31, 2004" in html
    assert "3 records" in html


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("q=zhang", ["E1"]),  # the legal representative, any case
        ("q=Enterprise+E2", ["E2"]),  # the name
        ("q=e3", ["E3"]),  # the code
        ("q=nobody", []),
        ("member=current", ["E1", "E2"]),
        ("member=former", ["E3"]),
        ("member=current&q=E2", ["E2"]),
        ("member=former&q=E2", []),
    ],
)
def test_enterprise_list_search_and_membership_filter(as_role, varied, query, codes):
    response = as_role("bureau").get(f"/enterprises/?{query}")
    assert response.status_code == 200
    assert enterprise_codes(response.text) == codes
    if not codes:
        assert "No enterprise matches." in response.text


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("q=pb", ["M1A", "M1B"]),  # the minerals
        ("q=mine+m2", ["M2A"]),  # the name
        ("q=m1b", ["M1B"]),  # the code
        ("enterprise_code=E1", ["M1A", "M1B"]),
        ("enterprise_code=E2", ["M2A"]),
        ("enterprise_code=E3", []),
        ("status=active", ["M1A", "M2A"]),
        ("status=suspended", ["M1B"]),
        ("status=closed", []),
        ("enterprise_code=E1&status=active", ["M1A"]),
    ],
)
def test_mine_list_search_and_filters(as_role, varied, query, codes):
    response = as_role("operator").get(f"/mines/?{query}")
    assert response.status_code == 200
    assert mine_codes(response.text) == codes
    if not codes:
        assert "No mine matches." in response.text


def test_mine_list_shows_the_filters_chosen(as_role, varied):
    html = as_role("president").get("/mines/?enterprise_code=E2&status=suspended&q=zz").text
    assert '<option value="E2" selected>' in html
    assert '<option value="suspended" selected>' in html
    assert 'name="q" value="zz"' in html


def test_mine_list_pages_keep_per_page_and_filters(as_role, varied):
    client = as_role("president")
    first = client.get("/mines/?per_page=2").text
    assert mine_codes(first) == ["M1A", "M1B"]
    assert "3 records" in first
    second_url = link(first, "Next")
    assert "page=2" in second_url
    assert "per_page=2" in second_url
    second = client.get(second_url).text
    assert mine_codes(second) == ["M2A"]
    assert mine_codes(client.get(link(second, "Previous")).text) == ["M1A", "M1B"]
    assert mine_codes(client.get("/mines/?per_page=2&page=9").text) == []


@pytest.mark.parametrize(
    "query",
    ["page=99999999999999999999", "page=-3", "page=0", "per_page=-5", "per_page=0", "page=x"],
)
@pytest.mark.parametrize("path", ["/mines/", "/enterprises/", "/audit/"])
def test_list_pages_take_any_page_numbers(as_role, varied, path, query):
    """Out-of-range page numbers give a page (empty past the end), never a database error."""
    response = as_role("president").get(f"{path}?{query}")
    assert response.status_code == 200


def test_enterprise_list_pages_keep_the_membership_filter(as_role, varied):
    client = as_role("operator")
    first = client.get("/enterprises/?member=current&per_page=1").text
    assert enterprise_codes(first) == ["E1"]
    assert "2 records" in first
    second_url = link(first, "Next")
    assert "member=current" in second_url
    assert enterprise_codes(client.get(second_url).text) == ["E2"]
    assert enterprise_codes(client.get("/enterprises/?per_page=1&page=3").text) == ["E3"]


# ---------------------------------------------------------------------------------------------
# detail pages


def test_enterprise_page_shows_its_mines(as_role, varied):
    html = as_role("operator_b").get("/enterprises/E1").text
    assert "E1 Enterprise E1" in html
    assert "Zhang Wei" in html
    assert mine_codes(html) == ["M1A", "M1B"]
    assert mine_codes(as_role("operator_b").get("/enterprises/E3").text) == []


def test_mine_page_names_its_enterprise(as_role, members):
    html = as_role("bureau").get("/mines/M2A").text
    assert "M2A Mine M2A" in html
    assert '<a href="/enterprises/E2">E2 Enterprise E2</a>' in html


@pytest.mark.parametrize(
    "url", ["/enterprises/NOPE", "/enterprises/NOPE/edit", "/mines/NOPE", "/mines/NOPE/edit"]
)
def test_unknown_codes_are_404(as_role, members, url):
    assert as_role("president").get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "shown"),
    [("president", True), ("admin", True), ("operator", False), ("bureau", False)],
)
def test_edit_links_only_for_writers(as_role, members, role, shown):
    client = as_role(role)
    assert ('href="/mines/M1A/edit"' in client.get("/mines/M1A").text) is shown
    enterprise = client.get("/enterprises/E1").text
    assert ('href="/enterprises/E1/edit"' in enterprise) is shown
    assert ('href="/mines/new?enterprise_code=E1"' in enterprise) is shown
    assert ('href="/enterprises/new"' in client.get("/enterprises/").text) is shown
    assert ('href="/mines/new"' in client.get("/mines/").text) is shown


# ---------------------------------------------------------------------------------------------
# create and edit: who may


@pytest.mark.parametrize("role", ["president", "admin"])
def test_writers_create_and_edit_enterprises_and_mines(as_role, members, role):
    client = as_role(role)
    assert client.get("/enterprises/new").status_code == 200
    response = client.post("/enterprises/new", data=enterprise_form(contact_phone="0871-1"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/enterprises/E9"
    assert "E9 saved." in client.get("/enterprises/E9").text

    form_page = client.get("/mines/new?enterprise_code=E9").text
    assert '<option selected value="E9">' in form_page
    response = client.post("/mines/new", data=mine_form(enterprise_code="E9", minerals="zn, pb"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/mines/M9"
    mine = mine_by_code("M9")
    assert (mine.enterprise_code, mine.minerals, mine.status) == ("E9", "Zn,Pb", "active")

    assert 'value="Enterprise E9"' in client.get("/enterprises/E9/edit").text
    response = client.post("/enterprises/E9/edit", data=enterprise_edit_form("E9", name="Renamed"))
    assert response.status_code == 302
    assert enterprise_by_code("E9").name == "Renamed"

    assert 'value="Mine M9"' in client.get("/mines/M9/edit").text
    response = client.post(
        "/mines/M9/edit",
        data=mine_edit_form("M9", status="closed", opened_on="2001-01-01", closed_on="2010-05-01"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    mine = mine_by_code("M9")
    assert (mine.status, mine.closed_on.isoformat()) == ("closed", "2010-05-01")


@pytest.mark.parametrize("role", ["operator", "bureau"])
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/enterprises/new", lambda: enterprise_form()),
        ("/enterprises/E1/edit", lambda: enterprise_edit_form("E1", name="Taken over")),
        ("/mines/new", lambda: mine_form(enterprise_code="E1")),
        ("/mines/M1A/edit", lambda: mine_edit_form("M1A", name="Taken over")),
    ],
    ids=["new enterprise", "edit own enterprise", "new mine of own enterprise", "edit own mine"],
)
def test_operator_and_bureau_may_not_write_members(as_role, members, role, url, data):
    """Not even E1's operator, for E1 and its mines: members are the president's to write."""
    client = as_role(role)
    before = snapshot()
    assert client.get(url).status_code == 403
    response = client.post(url, data=data())
    assert response.status_code == 403
    assert snapshot() == before
    assert enterprise_by_code("E1").name == "Enterprise E1"
    assert mine_by_code("M1A").name == "Mine M1A"


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("operator", "/enterprises/E2/edit"),
        ("operator", "/mines/M2A/edit"),
        ("operator_b", "/enterprises/E1/edit"),
        ("operator_b", "/mines/M1A/edit"),
    ],
)
def test_operator_cannot_open_another_enterprises_edit_pages(as_role, members, who, url):
    client = as_role(who)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"name": "x"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# create and edit: validation; a failed write writes nothing


def post_refused(client, url, data):
    """POST data, expect the form back with 400, and nothing written."""
    before = snapshot()
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert snapshot() == before
    return response.text


def test_left_on_before_joined_on_is_refused_on_left_on(as_role, members):
    client = as_role("president")
    html = post_refused(
        client, "/enterprises/new", enterprise_form(joined_on="2020-01-01", left_on="2019-12-31")
    )
    assert problems(html) == ["Left on: must not be before the joining date (2020-01-01)."]
    assert invalid_fields(html) == {"left_on"}

    html = post_refused(
        client, "/enterprises/E1/edit", enterprise_edit_form("E1", left_on="1999-05-31")
    )
    assert problems(html) == ["Left on: must not be before the joining date (1999-06-01)."]
    assert enterprise_by_code("E1").left_on is None


def test_enterprise_duplicate_code_is_refused_on_code(as_role, members):
    client = as_role("admin")
    html = post_refused(client, "/enterprises/new", enterprise_form(code="E2"))
    assert problems(html) == ["Code: E2 is already taken."]
    assert invalid_fields(html) == {"code"}
    html = post_refused(client, "/enterprises/E1/edit", enterprise_edit_form("E1", code="E3"))
    assert problems(html) == ["Code: E3 is already taken."]


@pytest.mark.parametrize(
    ("changes", "lines", "fields"),
    [
        (
            {"code": "", "name": "", "joined_on": ""},
            [
                "Code: is required.",
                "Name: is required.",
                "Joined on: is required.",
            ],
            {"code", "name", "joined_on"},
        ),
        # a date typed the wrong way is not "required"
        (
            {"joined_on": "01/02/2020"},
            ["Joined on: is not a valid date (use YYYY-MM-DD)."],
            {"joined_on"},
        ),
        (
            {"left_on": "2020-02-30"},
            ["Left on: is not a valid date (use YYYY-MM-DD)."],
            {"left_on"},
        ),
        (
            {"code": "E 9"},
            ["Code: use letters, digits and - _ . / only, starting with a letter or digit."],
            {"code"},
        ),
    ],
)
def test_enterprise_form_problems_name_the_field(as_role, members, changes, lines, fields):
    html = post_refused(as_role("president"), "/enterprises/new", enterprise_form(**changes))
    assert problems(html) == lines
    assert invalid_fields(html) == fields


@pytest.mark.parametrize(
    ("changes", "problem", "field"),
    [
        (
            {"status": "closed", "closed_on": ""},
            "Closed on: is required when the status is closed.",
            "closed_on",
        ),
        (
            {"status": "active", "closed_on": "2010-05-01"},
            "Closed on: must be empty unless the status is closed.",
            "closed_on",
        ),
        (
            {"status": "closed", "opened_on": "2011-01-01", "closed_on": "2010-05-01"},
            "Closed on: must not be before the opening date (2011-01-01).",
            "closed_on",
        ),
        ({"code": "M1A"}, "Code: M1A is already taken.", "code"),
        (
            {"enterprise_code": "E404"},
            "Enterprise: no enterprise has code E404.",
            "enterprise_code",
        ),
        ({"minerals": ""}, "Minerals: is required.", "minerals"),
        (
            {"mining_method": "dredging"},
            "Mining method: must be one of: underground, open_pit.",
            "mining_method",
        ),
    ],
)
def test_mine_form_problems_name_the_field(as_role, members, changes, problem, field):
    client = as_role("president")
    html = post_refused(client, "/mines/new", mine_form(**changes))
    assert problems(html) == [problem]
    assert invalid_fields(html) == {field}
    if field != "code":
        html = post_refused(client, "/mines/M1A/edit", mine_edit_form("M1A", **changes))
        assert problems(html) == [problem]
        assert mine_by_code("M1A").status == "active"


# ---------------------------------------------------------------------------------------------
# the audit log


def test_create_through_a_page_is_audited(as_role, members, users):
    client = as_role("president")
    assert (
        client.post("/enterprises/new", data=enterprise_form(contact_phone="123")).status_code
        == 302
    )
    entry = last_audit()
    president = db.session.execute(db.select(User).filter_by(username="president")).scalar_one()
    assert (entry.actor, entry.user_id, entry.action) == ("president", president.id, "create")
    assert (entry.record_type, entry.record_key) == ("enterprises", "E9")
    assert entry.record_id == enterprise_by_code("E9").id
    assert entry.before is None
    assert entry.after == {
        "code": "E9",
        "name": "Enterprise E9",
        "legal_representative": None,
        "business_license_no": None,
        "joined_on": "2020-01-01",
        "left_on": None,
        "contact_phone": "123",
    }

    assert client.post("/mines/new", data=mine_form(enterprise_code="E9")).status_code == 302
    entry = last_audit()
    assert (entry.actor, entry.action, entry.record_type, entry.record_key) == (
        "president",
        "create",
        "mines",
        "M9",
    )
    assert entry.after["enterprise_code"] == "E9"
    assert entry.after["minerals"] == "Zn,Pb"


def test_update_through_a_page_is_audited_with_before_and_after(as_role, members):
    client = as_role("admin")
    entries = count(AuditEntry)
    response = client.post(
        "/enterprises/E1/edit",
        data=enterprise_edit_form("E1", name="Zinc Works", contact_phone="0871-1234567"),
    )
    assert response.status_code == 302
    assert count(AuditEntry) == entries + 1
    entry = last_audit()
    assert (entry.actor, entry.action, entry.record_type, entry.record_key) == (
        "admin",
        "update",
        "enterprises",
        "E1",
    )
    assert entry.before == {"name": "Enterprise E1", "contact_phone": None}
    assert entry.after == {"name": "Zinc Works", "contact_phone": "0871-1234567"}

    response = client.post(
        "/mines/M1A/edit", data=mine_edit_form("M1A", status="closed", closed_on="2010-05-01")
    )
    assert response.status_code == 302
    entry = last_audit()
    assert (entry.actor, entry.action, entry.record_type, entry.record_key) == (
        "admin",
        "update",
        "mines",
        "M1A",
    )
    assert entry.before == {"status": "active", "closed_on": None}
    assert entry.after == {"status": "closed", "closed_on": "2010-05-01"}


def test_saving_an_unchanged_form_writes_no_audit_entry(as_role, members):
    client = as_role("president")
    entries = count(AuditEntry)
    assert client.post("/mines/M1A/edit", data=mine_edit_form("M1A")).status_code == 302
    assert count(AuditEntry) == entries


@pytest.mark.parametrize(
    ("role", "status"),
    [("president", 200), ("admin", 200), ("bureau", 200), ("operator", 403), ("operator_b", 403)],
)
def test_audit_page_readers(as_role, members, role, status):
    response = as_role(role).get("/audit/")
    assert response.status_code == status
    if status == 200:
        assert ("test", "created", "M2A") in audit_rows(response.text)


@pytest.fixture
def history(as_role, members):
    """The fixture's records (by "test"), an edit of E1 by the president, and an entry of
    2020-01-15."""
    client = as_role("president")
    response = client.post("/enterprises/E1/edit", data=enterprise_edit_form("E1", name="New name"))
    assert response.status_code == 302
    db.session.execute(
        AuditEntry.__table__.insert(),
        {
            "at": datetime(2020, 1, 15, 12, 0, tzinfo=UTC),
            "actor": "archive",
            "action": "create",
            "record_type": "enterprises",
            "record_key": "E0",
        },
    )
    db.session.commit()
    return client


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("record_type=mines", {("test", "created", k) for k in ("M1A", "M1B", "M2A")}),
        ("action=update", {("president", "changed", "E1")}),
        ("actor=president", {("president", "changed", "E1")}),
        ("key=E1", {("test", "created", "E1"), ("president", "changed", "E1")}),
        ("record_type=enterprises&action=create&key=E1", {("test", "created", "E1")}),
        ("from=2020-01-01&to=2020-01-31", {("archive", "created", "E0")}),
        ("from=2020-01-15&to=2020-01-15", {("archive", "created", "E0")}),
        ("to=2020-01-15", {("archive", "created", "E0")}),
        ("to=2020-01-14", set()),
        ("actor=archive&from=2020-01-16", set()),
        ("actor=nobody", set()),
    ],
)
def test_audit_page_filters(history, query, rows):
    response = history.get(f"/audit/?{query}")
    assert response.status_code == 200
    assert set(audit_rows(response.text)) == rows
    assert len(audit_rows(response.text)) == len(rows)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2020-13-01", "is not a valid date (use YYYY-MM-DD)."),
        ("to=yesterday", "is not a valid date (use YYYY-MM-DD)."),
        ("action=erase", "must be one of: create, update, delete."),
        ("actor=a%00b", "must be text."),  # PostgreSQL would refuse the query
        ("key=E1%00", "must be text."),
    ],
)
def test_audit_page_refuses_a_filter_that_is_none(history, query, message):
    response = history.get(f"/audit/?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_audit_page_blank_filters_are_none(history):
    everything = audit_rows(history.get("/audit/?per_page=100").text)
    assert audit_rows(history.get("/audit/?per_page=100&actor=+&action=&from=").text) == everything
    assert audit_rows(history.get("/audit/?actor=+president+").text) == [
        ("president", "changed", "E1")
    ]


def test_audit_page_from_filter_keeps_recent_entries(history):
    html = history.get("/audit/?from=2020-01-16").text
    assert ("president", "changed", "E1") in audit_rows(html)
    assert ("archive", "created", "E0") not in audit_rows(html)


def test_audit_page_shows_before_and_after(history):
    html = history.get("/audit/?actor=president").text
    assert re.search(
        r'<dt>Name</dt>\s*<dd><span class="audit-before">Enterprise E1</span> → New name</dd>', html
    )


def test_audit_page_pages_keep_the_filters(history):
    """Newest first; the page links keep the filters and per_page."""
    first = history.get("/audit/?record_type=enterprises&per_page=2&page=1").text
    assert audit_rows(first) == [("archive", "created", "E0"), ("president", "changed", "E1")]
    assert "5 records" in first
    second_url = link(first, "Next")
    assert "record_type=enterprises" in second_url
    assert "per_page=2" in second_url
    second = history.get(second_url).text
    assert audit_rows(second) == [("test", "created", "E3"), ("test", "created", "E2")]
    assert audit_rows(history.get(link(second, "Next")).text) == [("test", "created", "E1")]


def test_no_route_edits_or_deletes_audit_entries(app, as_role, members):
    audit_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/audit")]
    assert [rule.rule for rule in audit_rules] == ["/audit/"]
    for rule in audit_rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}
    client = as_role("admin")
    entries = count(AuditEntry)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert client.open("/audit/", method=method).status_code == 405
    assert client.get("/audit/1").status_code == 404
    assert client.get("/api/v1/audit_log").status_code == 404
    assert count(AuditEntry) == entries


# ---------------------------------------------------------------------------------------------
# a member that leaves keeps its history


def test_a_member_that_leaves_stays_listed_as_former_with_its_mines(as_role, members):
    client = as_role("president")
    response = client.post(
        "/enterprises/E1/edit", data=enterprise_edit_form("E1", left_on="2024-06-30")
    )
    assert response.status_code == 302

    reader = as_role("bureau")
    assert enterprise_codes(reader.get("/enterprises/?member=former").text) == ["E1", "E3"]
    assert enterprise_codes(reader.get("/enterprises/?member=current").text) == ["E2"]
    listing = reader.get("/enterprises/?member=former&q=E1").text
    assert "left Jun 30, 2024" in listing
    e1_mines = r'<td[^>]*><a href="/enterprises/E1">E1</a></td>.*?<td[^>]*>2</td>'
    assert re.search(e1_mines, listing, re.S)

    page = reader.get("/enterprises/E1").text
    assert "This enterprise left the association on Jun 30, 2024. Its history is kept." in page
    assert mine_codes(page) == ["M1A", "M1B"]
    assert mine_codes(reader.get("/mines/?enterprise_code=E1").text) == ["M1A", "M1B"]
    assert reader.get("/mines/M1A").status_code == 200
    assert count(Mine) == 3


def test_a_mines_page_links_to_its_records(as_role, members):
    """A mine's page links to the lists of its leases, samples, production and disputes, each
    filtered to the mine, those the user may read only."""
    links = r'id="mine-records">(.*?)</nav>'
    page = as_role("president").get("/mines/M2A").text
    found = re.findall(r'href="([^"]+)"', re.search(links, page, re.S).group(1))
    assert found == [
        "/leases/?mine_code=M2A",
        "/disputes/?mine_code=M2A",
        "/samples/?mine_code=M2A",
        "/production/?mine_code=M2A",
    ]
    for url in found:
        assert as_role("president").get(url).status_code == 200
    # E1's operator reads E2's leases, not its samples, production or disputes
    page = as_role("operator").get("/mines/M2A").text
    found = re.findall(r'href="([^"]+)"', re.search(links, page, re.S).group(1))
    assert found == ["/leases/?mine_code=M2A"]


def test_a_mines_processing_method_is_said_in_the_readers_language(as_role, members):
    client = as_role("president")
    form = client.get("/mines/M1A/edit").text
    data = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))
    data |= {"enterprise_code": "E1", "mining_method": "underground", "status": "active"}
    data["processing_method"] = "flotation"
    assert client.post("/mines/M1A/edit", data=data).status_code == 302
    assert '<dd class="col-sm-8 col-lg-9">flotation</dd>' in client.get("/mines/M1A").text
    client.post("/language", data={"lang": "zh_Hans_CN"})
    page = client.get("/mines/M1A").text
    assert '<dd class="col-sm-8 col-lg-9">浮选</dd>' in page
    assert "flotation" not in page.split("<main", 1)[-1].replace('"flotation"', "")
