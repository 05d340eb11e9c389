"""A lease has one state for a date (coop.domain.leases.lease_state), shown the same on every
page, on the map and in the API: checked on the demonstration association's leases."""

import re

import pytest

from coop.demo.accounts import DEMO_PASSWORD
from coop.domain.leases import ENDING, EXPIRED, LEASE_STATES, RENEWED, VALID


@pytest.fixture
def bureau(demo_app):
    client = demo_app.test_client()
    response = client.post("/login", data={"username": "bureau", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def page_states(html):
    rows = re.findall(
        r'<tr>\s*<td[^>]*><a href="/leases/([^"/]+)">.*?<td[^>]* data-state="([a-z_]+)">',
        html,
        re.S,
    )
    return dict(rows)


def test_the_pages_the_api_and_the_map_agree_on_every_demo_lease(bureau):
    on_the_page = page_states(bureau.get("/leases/?per_page=500").text)
    in_the_api = {
        lease["permit_no"]: lease["state"]
        for lease in bureau.get("/api/v1/leases?per_page=500").json["items"]
    }
    on_the_map = {
        feature["properties"]["permit_no"]: feature["properties"]["state"]
        for feature in bureau.get("/map/leases.geojson").json["features"]
        if feature["properties"]["kind"] == "lease"
    }
    assert len(on_the_page) == len(in_the_api) > 20
    assert on_the_page == in_the_api == on_the_map
    assert {VALID, ENDING, EXPIRED} <= set(in_the_api.values())
    # each lease's own page says the same
    for permit in (p for p, state in in_the_api.items() if state != VALID):
        html = bureau.get(f"/leases/{permit}").text
        assert f'data-state="{in_the_api[permit]}"' in html, permit
    # and the lists of leases that need attention are the leases in that state
    ending = {p for p, state in in_the_api.items() if state == ENDING}
    attention = bureau.get("/leases/attention").text
    listed = attention.split("Ending within", 1)[1].split("Expired", 1)[0]
    assert set(re.findall(r'href="/leases/([^"/]+)"', listed)) == ending
    states = bureau.get("/api/v1/leases?state=expired&per_page=500").json["items"]
    assert {lease["permit_no"] for lease in states} == {
        p for p, state in in_the_api.items() if state == EXPIRED
    }


def test_the_list_filters_by_every_state_it_offers(bureau):
    """The filter offers "in force" and every state (valid too), each selecting the leases the
    API lists in it."""
    page = bureau.get("/leases/").text
    offered = re.findall(r'<option value="([a-z_]+)"[^>]*>([^<]+)</option>', page)
    states = [value for value, _ in offered if value in ("current", *LEASE_STATES)]
    assert states == ["current", *LEASE_STATES]
    assert ("current", "in force") in offered
    in_the_api = {
        lease["permit_no"]: lease["state"]
        for lease in bureau.get("/api/v1/leases?per_page=500").json["items"]
    }
    for state in LEASE_STATES:
        listed = page_states(bureau.get(f"/leases/?state={state}&per_page=500").text)
        assert set(listed) == {p for p, s in in_the_api.items() if s == state}, state
    in_force = page_states(bureau.get("/leases/?state=current&per_page=500").text)
    assert set(in_force) == {p for p, s in in_the_api.items() if s in (VALID, ENDING, RENEWED)}
    selected = bureau.get("/leases/?state=valid").text
    assert '<option value="valid" selected>' in selected
