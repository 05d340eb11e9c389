"""The list pages' shared table (_macros/tables.html): secondary columns fold on a phone, the
headers sort by the columns each kind declares (Kind.sorts, ?sort= on the page, in the API and
in an export alike), and a list exports as it is filtered and sorted."""

import csv
import io
import re
from datetime import date
from html import unescape

import pytest

from coop import registry
from coop.audit import acting_as
from coop.demo.accounts import DEMO_PASSWORD
from coop.extensions import db
from coop.services.leases import save_lease
from tests.helpers import square


def cells_of_row(html, permit):
    """{data-label: the td's class} of the lease list's row of permit."""
    row = re.search(rf'<tr>\s*<td[^>]*><a href="/leases/{permit}">.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td(?: class="([^"]*)")? data-label="([^"]*)"', row)
    return {label: css for css, label in cells}


def lease_rows(html):
    return re.findall(r'<tr>\s*<td[^>]*><a href="/leases/([^"/]+)">', html)


def header_link(html, label):
    """The href of the sortable header labelled label, and its th's aria-sort (or None)."""
    found = re.search(
        rf'<th scope="col" class="sortable[^"]*"(?: aria-sort="(\w+)")?><a href="([^"]*)">'
        rf"{re.escape(label)}<",
        html,
    )
    assert found, f"no sortable header {label}"
    return unescape(found.group(2)), found.group(1)


def csv_column(content, name):
    return [row[name] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]


@pytest.fixture
def big_lease(leases):
    """L4 of M2A, four times L1's size, apart from the others."""
    with acting_as("test"):
        save_lease(
            {
                "permit_no": "L4",
                "mine_code": "M2A",
                "valid_from": date(2020, 1, 1),
                "valid_to": date(2030, 12, 31),
                "boundary": square(107.60, 26.10, size=0.02),
                "crs": "EPSG:4490",
            }
        )
        db.session.commit()


# --- folding on a phone ---------------------------------------------------------------------


def test_the_lease_list_marks_its_secondary_columns_to_fold(as_role, leases):
    html = as_role("bureau").get("/leases/").text
    assert 'class="table table-sm table-fold' in html
    cells = cells_of_row(html, "L1")
    # The key cells stay on a phone; validity and areas fold under them, each with its name.
    assert "fold" not in (cells["Permit number"] or "") and "fold" not in (cells["Mine"] or "")
    for label in ("Valid", "Area (m²)", "Area (mu)"):
        assert "fold" in cells[label].split(), label
    assert 'data-sort-label="Sort by"' in html


# Every list page of the demo, with the kind its headers sort and export (None: no such kind).
LIST_PAGES = {
    "/enterprises/": "enterprises",
    "/mines/": "mines",
    "/leases/": "leases",
    "/disputes/": "disputes",
    "/samples/": "samples",
    "/production/": "production",
    "/meetings/": "meetings",
    "/actions/?state=all": "actions",
    "/accounts/": None,
}


def test_every_list_folds_sorts_and_exports_with_the_same_table(demo_app):
    client = demo_app.test_client()
    client.post("/login", data={"username": "admin", "password": DEMO_PASSWORD})
    for url, kind in LIST_PAGES.items():
        html = client.get(url).text
        assert "table-fold" in html, url
        assert re.search(r'<td class="fold[^"]*" data-label="[^"]+"', html), url
        sorts = [
            unescape(x) for x in re.findall(r'class="sortable[^"]*"[^>]*><a href="([^"]+)"', html)
        ]
        if kind is None:
            assert not sorts and "/export." not in html, url
            continue
        assert sorts, url
        for link in sorts:  # every header's sort is one the kind declares
            assert client.get(link).status_code == 200, link
        assert f'href="/data/{kind}/export.csv' in html, url


def test_the_stylesheet_folds_the_table_on_a_phone(client):
    css = client.get("/static/css/coop.css").text
    phone = css[css.index("@media (max-width: 767.98px)") :]
    assert ".table-fold tbody td.fold" in phone and "attr(data-label)" in phone
    assert ".calendar tr" in phone and "grid-template-columns: repeat(6" in phone


# --- sorting ------------------------------------------------------------------------------------


def test_a_header_sorts_the_list_and_again_the_other_way(as_role, big_lease):
    client = as_role("bureau")
    html = client.get("/leases/").text
    assert lease_rows(html) == ["L1", "L2", "L3", "L4"]  # by permit number
    href, direction = header_link(html, "Area (m²)")
    assert href == "/leases/?sort=area_m2" and direction is None
    html = client.get(href).text
    rows = lease_rows(html)
    assert rows[0] == "L3" and rows[-1] == "L4"  # L3 lies further north: a little smaller
    href, direction = header_link(html, "Area (m²)")
    assert direction == "ascending" and href == "/leases/?sort=-area_m2"
    html = client.get(href).text
    assert lease_rows(html)[0] == "L4" and lease_rows(html)[-1] == "L3"
    assert header_link(html, "Area (m²)")[1] == "descending"
    # by another record's field: the mine's code
    assert lease_rows(client.get("/leases/?sort=mine_code").text) == ["L1", "L3", "L2", "L4"]
    assert lease_rows(client.get("/leases/?sort=-mine_code").text) == ["L2", "L4", "L3", "L1"]


def test_the_sort_is_kept_by_the_filters_and_the_pages(as_role, big_lease):
    client = as_role("bureau")
    html = client.get("/leases/?sort=-mine_code&per_page=2&q=L").text
    assert lease_rows(html) == ["L2", "L4"]  # M2A's, then by permit number
    assert '<input type="hidden" name="sort" value="-mine_code">' in html  # the filter form
    pager = [unescape(link) for link in re.findall(r'class="page-link" href="([^"]+)"', html)]
    assert any("sort=-mine_code" in link and "page=2" in link for link in pager)
    page_2 = client.get("/leases/?sort=-mine_code&per_page=2&q=L&page=2").text
    assert lease_rows(page_2) == ["L3", "L1"]
    # a header link keeps the filters
    href, _ = header_link(html, "Permit number")
    assert "q=L" in href and "sort=permit_no" in href


def test_empty_values_sort_last_either_way(as_api, members):
    """E1 and E2 have not left: E3, which left in 2004, comes first both ways."""
    for sort in ("left_on", "-left_on"):
        items = as_api("president").get(f"/api/v1/enterprises?sort={sort}").json["items"]
        assert [item["code"] for item in items] == ["E3", "E1", "E2"], sort


@pytest.mark.parametrize("sort", ["boundary", "-crs", "area_m2;drop", "--area_m2", "AREA_M2"])
def test_a_bad_sort_is_400_on_the_page_and_in_the_api(as_role, as_api, leases, sort):
    assert as_role("bureau").get(f"/leases/?sort={sort}").status_code == 400
    response = as_api("bureau").get(f"/api/v1/leases?sort={sort}")
    assert response.status_code == 400
    assert "sort" in response.json["details"]


def test_the_api_sorts_as_the_page_does(as_role, as_api, big_lease):
    page = lease_rows(as_role("bureau").get("/leases/?sort=-area_m2").text)
    assert page[0] == "L4" and page[-1] == "L3"
    items = as_api("bureau").get("/api/v1/leases?sort=-area_m2").json["items"]
    assert [item["permit_no"] for item in items] == page


def test_the_openapi_document_names_the_sorts(client):
    doc = client.get("/api/v1/openapi.json").json
    parameters = doc["paths"]["/api/v1/leases"]["get"]["parameters"]
    sort = next(p for p in parameters if p["name"] == "sort")
    assert {"area_m2", "-area_m2", "mine_code"} <= set(sort["schema"]["anyOf"][0]["enum"])


def test_every_sort_names_a_field_of_its_kind():
    """The page, the API and an export name a column alike: by the schema's field name."""
    for kind in registry.kinds().values():
        if kind.sorts:
            assert kind.exchanged, kind.name
            assert set(kind.sorts) <= set(kind.schema._declared_fields), kind.name
            assert "sort" in kind.list_args._declared_fields


# --- export as filtered ---------------------------------------------------------------------------


def test_an_export_holds_only_the_filtered_rows_in_the_lists_order(as_role, big_lease):
    client = as_role("bureau")
    response = client.get("/data/leases/export.csv?mine_code=M2A")
    assert response.status_code == 200
    assert csv_column(response.data, "permit_no") == ["L2", "L4"]
    response = client.get("/data/leases/export.csv?q=L&sort=-mine_code")
    assert csv_column(response.data, "permit_no") == ["L2", "L4", "L3", "L1"]
    response = client.get("/data/disputes/export.csv?status=resolved")
    assert csv_column(response.data, "ref") == []
    assert csv_column(client.get("/data/disputes/export.csv?status=open").data, "ref") == ["D1"]
    # every page of the list, not the first
    every = client.get("/data/leases/export.csv?per_page=1").data
    assert len(csv_column(every, "permit_no")) == 4


def test_an_xlsx_and_geojson_export_are_filtered_too(as_role, big_lease):
    from openpyxl import load_workbook

    client = as_role("bureau")
    book = load_workbook(io.BytesIO(client.get("/data/leases/export.xlsx?q=L4").data))
    sheet = book.active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["L4"]
    features = client.get("/data/leases/export.geojson?mine_code=M1B").json["features"]
    assert [f["properties"]["permit_no"] for f in features] == ["L3"]


def test_a_bad_filter_of_an_export_is_400(as_role, leases):
    client = as_role("bureau")
    assert client.get("/data/leases/export.csv?state=lost").status_code == 400
    assert client.get("/data/leases/export.csv?sort=boundary").status_code == 400
    assert client.get("/data/samples/export.csv?from=2024-13-01").status_code == 400


def test_the_list_pages_export_link_carries_its_filters_and_sort(as_role, big_lease):
    client = as_role("bureau")
    html = client.get("/leases/?mine_code=M2A&sort=-area_m2").text
    links = [unescape(x) for x in re.findall(r'href="(/data/leases/export\.[a-z]+[^"]*)"', html)]
    assert {link.split("?")[0] for link in links} == {
        "/data/leases/export.csv",
        "/data/leases/export.xlsx",
        "/data/leases/export.geojson",
    }
    for link in links:
        assert "mine_code=M2A" in link and "sort=-area_m2" in link
    csv_link = next(link for link in links if ".csv" in link)
    assert csv_column(client.get(csv_link).data, "permit_no") == ["L4", "L2"]


def test_the_meetings_export_link_keeps_the_kind_filter(as_role, users):
    """A filter named like the export's own argument (kind) goes in the query, not the path."""
    html = as_role("bureau").get("/meetings/?kind=extraordinary").text
    assert 'href="/data/meetings/export.csv?kind=extraordinary"' in html


def test_a_list_says_its_count_once(as_role, leases):
    """ "3 leases" above the list, not "3 records" again below it; a list that does not say
    its count above says it below."""
    client = as_role("president")
    page = client.get("/leases/").text
    assert page.count("3 leases") == 1
    assert "3 records" not in page
    assert "1 record</p>" in client.get("/disputes/").text


def test_a_table_that_does_not_sort_offers_no_sort_bar(as_role, leases):
    """A mine's leases (no sort there) have no "Sort by" bar on a phone; the lease list has."""
    client = as_role("president")
    assert 'data-sort-label="Sort by"' not in client.get("/mines/M1A").text
    assert 'data-sort-label="Sort by"' in client.get("/leases/").text
