"""Production totals over time, of the association and of each mine (issue 11: "production
totals and charts over time"): /production/totals and its chart, figures worked out by hand.
The sums themselves are coop.domain.assays.production_totals's (tests/domain/test_assays.py)."""

import re
from decimal import Decimal

import pytest

from coop.audit import acting_as
from coop.extensions import db
from coop.services.production import save_production
from tests.test_assays_summary import add_samples


def produce(mine, month, mined, processed, concentrate, revenue=None):
    with acting_as("test"):
        save_production(
            {
                "mine_code": mine,
                "month": month,
                "ore_mined_t": mined,
                "ore_processed_t": processed,
                "concentrate_t": concentrate,
                "revenue_rmb": None if revenue is None else Decimal(revenue),
            }
        )
        db.session.commit()


@pytest.fixture
def output(members):
    """2005: M1A in March (1,100 t mined, 1,000 processed, 64 t of concentrate at 50 % Zn, RMB
    640,000.40) and April (900, 1,000, 60; RMB 600,000); M2A in May (2,000, 2,500, 125; no
    revenue, no concentrate assay). 2024: M1A in January (100, 100, 6)."""
    produce("M1A", "2005-03", 1100.0, 1000.0, 64.0, "640000.40")
    produce("M1A", "2005-04", 900.0, 1000.0, 60.0, "600000.00")
    produce("M2A", "2005-05", 2000.0, 2500.0, 125.0)
    produce("M1A", "2024-01", 100.0, 100.0, 6.0)
    add_samples("M1A", "2005-03-12", "concentrate", 50.0)


def row_of(html, label):
    """The cells' texts of the table row whose first cell starts with label."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>", " ", c).split()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and " ".join(cells[0]).startswith(label):
            return [" ".join(c) for c in cells]
    raise AssertionError(f"no row {label!r}")


def test_the_association_and_each_mine_per_year(output, as_role):
    html = as_role("operator").get("/production/totals?period=year").text
    assert html.index('id="period-2024"') < html.index('id="period-2005"')  # latest first
    association = row_of(html[html.index('id="period-2005"') :], "Association (all mines)")
    # ore mined, processed, concentrate, zinc in concentrate, revenue; a phone's folded copy
    # comes first, in the mine's cell
    assert association[-5:] == ["4,000.0", "4,500.0", "249.00", "—", "1,240,000"]
    m1a = row_of(html[html.index('id="period-2005"') :], "M1A")
    # 124 t of concentrate at the year's mean grade of 50 %: 62 t of zinc
    assert m1a[-5:] == ["2,000.0", "2,000.0", "124.00", "62.00", "1,240,000"]
    assert "2 months recorded" in m1a[0]
    m2a = row_of(html[html.index('id="period-2005"') :], "M2A")
    assert m2a[-5:] == ["2,000.0", "2,500.0", "125.00", "—", "—"]
    # the latest year open, the earlier folded
    assert '<details class="production-period mb-2" open id="period-2024">' in html
    assert '<details class="production-period mb-2" id="period-2005">' in html


def test_one_mine_per_month(output, as_role):
    html = as_role("bureau").get("/production/totals?mine_code=M1A&period=month").text
    assert "Association (all mines)" not in html and ">M2A<" not in html
    assert row_of(html, "Mar 2005")[-5:] == ["1,100.0", "1,000.0", "64.00", "32.00", "640,000"]
    assert row_of(html, "Apr 2005")[-5:] == ["900.0", "1,000.0", "60.00", "—", "600,000"]
    assert html.index("Jan 2024") < html.index("Apr 2005") < html.index("Mar 2005")
    # in Chinese, periods as Chinese writes them
    zh = as_role("bureau").get(
        "/production/totals?mine_code=M1A&period=quarter", headers={"Accept-Language": "zh-CN"}
    )
    assert "2005年第1季度" in zh.text and "2005年第2季度" in zh.text


def test_on_a_phone_the_key_columns_stay(output, as_role):
    html = as_role("operator").get("/production/totals").text
    head = html[html.index("<thead>") : html.index("</thead>")]
    folded = re.findall(r'<th scope="col" class="text-end d-none d-md-table-cell">(.*?)</th>', head)
    assert folded == ["Ore mined (t)", "Zinc in concentrate (t)", "Revenue (RMB)"]
    shown = re.findall(r'<th scope="col" class="text-end">(.*?)</th>', head)
    assert shown == ["Ore processed (t)", "Concentrate (t)"]
    assert '<div class="col-12 col-md-5 col-lg-4">' in html


def test_the_page_is_linked_from_the_menu_and_the_production_list(members, as_role):
    client = as_role("operator")
    for url in ("/production/", "/"):
        assert 'href="/production/totals' in client.get(url).text


@pytest.mark.parametrize(
    "url, status",
    [
        ("/production/totals?period=week", 400),
        ("/production/totals?from=2006-01-01&to=2005-01-01", 400),
        ("/production/totals?mine_code=NOPE", 404),
        ("/production/totals/chart.svg?mine_code=NOPE", 404),
        ("/production/totals/chart.svg?period=week", 400),
    ],
)
def test_bad_arguments(members, as_role, url, status):
    assert as_role("operator").get(url).status_code == status


def test_nothing_recorded(members, as_role):
    html = as_role("operator").get("/production/totals").text
    assert "No production in this period." in html
    assert "/production/totals/chart.svg" not in html


def test_the_chart_over_time_is_drawn_once_per_version(output, as_role, monkeypatch):
    from coop import charts

    drawn = []
    drawing = charts.svg_of
    monkeypatch.setattr(charts, "svg_of", lambda fig: drawn.append(fig) or drawing(fig))
    client = as_role("operator")
    html = client.get("/production/totals?period=year").text
    url = re.search(r'src="(/production/totals/chart\.svg[^"]*)"', html).group(1)
    first = client.get(url.replace("&amp;", "&"))
    assert first.mimetype == "image/svg+xml"
    assert "Production of the association" in first.text
    # 2005 and 2024: the years between are on the axis, to scale
    assert set(re.findall(r"<text[^>]*>(\d{4})</text>", first.text)) & {
        "2010",
        "2012",
        "2015",
        "2016",
    }
    # the values' ticks as the locale writes numbers: 1,000 t, not 1000 nor a 1e3 factor
    assert re.search(r"<text[^>]*>\d,\d{3}</text>", first.text)
    client.get(url)
    assert len(drawn) == 1
    produce("M2A", "2024-02", 10.0, 10.0, 1.0)
    client.get(url)
    assert len(drawn) == 2
    mine = client.get("/production/totals/chart.svg?mine_code=M1A&period=month")
    assert "Production of M1A" in mine.text


def test_a_bad_choice_is_said_by_the_fields_label(members, as_role):
    response = as_role("operator").get("/production/totals?period=week")
    assert response.status_code == 400
    assert re.search(r"<li>Period: must be one of", response.text)
    assert "<code>period</code>" not in response.text
