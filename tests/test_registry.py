"""The domains and their record kinds (coop/registry.py, coop/manifests): each declared once, and
what the app derives from them: the reserved words that no natural key may be, the labels of the
audit log, the navigation each role sees."""

import re

import pytest

from coop import DOMAINS, registry
from coop.extensions import db
from coop.models.base import Audited
from tests.helpers import upload

# Dynamic parts of a URL rule: <name>, <converter:name>, <converter(args):name>.
VARIABLE = re.compile(r"<[^>]+>")


def test_every_domain_of_the_list_is_registered_once():
    assert [domain.name for domain in registry.domains()] == list(DOMAINS)
    names = [kind.name for domain in registry.domains() for kind in domain.kinds]
    assert len(names) == len(set(names)) == len(registry.kinds())


def test_every_audited_table_is_a_kind_with_a_label(app):
    """The audit log names a record's type by its kind's label."""
    audited = {
        mapper.class_.__tablename__
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, Audited)
    }
    labels = registry.record_type_labels()
    assert audited <= set(labels)
    assert all(str(labels[table]) for table in audited)


def test_a_kinds_exchange_needs_its_schema_save_and_filters():
    for kind in registry.exchanged().values():
        assert kind.filters is not None and kind.filter is not None, kind.name
        assert kind.columns, kind.name


def test_the_vocabularies_label_every_value_of_their_fields():
    for kind in registry.exchanged().values():
        for name, field in kind.schema._declared_fields.items():
            labels = field.metadata.get("labels")
            if labels is not None:
                choices = next(v.choices for v in field.validators if hasattr(v, "choices"))
                assert list(labels) == list(choices), (kind.name, name)


def literal_neighbours(app):
    """Every literal path segment that stands where another rule, under the same prefix, has a
    variable: /leases/conflicts beside /leases/<permit_no>, /api/v1/meetings/calendar beside
    /api/v1/meetings/<record_key:key>."""
    rules = [rule.rule.strip("/").split("/") for rule in app.url_map.iter_rules()]
    found = set()
    for parts in rules:
        for position, part in enumerate(parts):
            if not VARIABLE.search(part) or part.startswith("<int:"):
                continue  # a word, or a number (which no word can be taken for)
            for other in rules:
                if (
                    len(other) > position
                    and other[:position] == parts[:position]
                    and not VARIABLE.search(other[position])
                    and "." not in other[position]
                ):
                    found.add(other[position])
    return found


def test_every_page_beside_the_records_is_a_reserved_word(app):
    """A route added beside a kind's records with a word no key may take is caught here: its
    word must be among the kind's reserved words (Kind.reserved)."""
    words = literal_neighbours(app)
    assert {"new", "conflicts", "attention", "calendar"} <= words
    assert words <= registry.reserved_words()


@pytest.mark.parametrize("code", ["calendar", "Conflicts", "new", "import"])
def test_a_reserved_word_is_refused_as_a_code_everywhere(as_role, api, users, code):
    message = f"{code} names a page of its own; choose another."
    mine = {
        "code": code,
        "enterprise_code": "E1",
        "name": "Mine",
        "minerals": "Zn",
        "mining_method": "underground",
    }
    response = api.post("/api/v1/mines", json=mine)
    assert response.status_code == 400
    assert response.json["details"] == {"code": [message]}
    client = as_role("president")
    page = client.post("/mines/new", data=mine | {"status": "active"})
    assert page.status_code == 400
    assert f"Code: {message}" in page.text
    header = ",".join(registry.exchanged()["mines"].columns)
    row = f"{code},E1,Mine,Zn,underground,,active,,"
    response = upload(client, "mines", f"{header}\n{row}\n".encode(), "mines.csv")
    assert response.status_code == 400
    assert message in response.text


def test_the_api_reaches_a_record_that_is_not_a_reserved_word(api, members):
    """The API's keys exclude the reserved words only: calendar2 is a key."""
    mine = {
        "code": "calendar2",
        "enterprise_code": "E1",
        "name": "Mine",
        "minerals": "Zn",
        "mining_method": "underground",
    }
    assert api.post("/api/v1/mines", json=mine).status_code == 201
    assert api.get("/api/v1/mines/calendar2").json["code"] == "calendar2"
    assert api.get("/api/v1/meetings/calendar").status_code == 200


def menu_of(client):
    html = client.get("/").text
    nav = html.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>\n      <form", 1)[0]
    return re.findall(r'class="(?:nav-link|dropdown-item)[^"]*" href="([^"#]+)"', nav)


@pytest.mark.parametrize(
    ("role", "tools"),
    [
        ("operator", []),
        ("bureau", ["/audit/"]),
        ("president", ["/audit/"]),
        ("admin", ["/accounts/", "/audit/"]),  # in the order of coop.DOMAINS
    ],
)
def test_the_navigation_follows_the_policy(as_role, role, tools):
    links = menu_of(as_role(role))
    assert links[:2] == ["/enterprises/", "/mines/"]
    assert "/leases/" in links and "/samples/" in links and "/meetings/" in links
    assert links[links.index("/data/") + 1 :] == tools


def test_the_anonymous_see_no_menu(client):
    assert menu_of(client) == []


def test_the_readme_says_what_an_operator_reads_and_writes(app):
    """The README's role table names, for the operator, every kind they read whole (read_all,
    with pages), every kind they read only their own of, and every kind they write."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    row = re.search(r"^\| `operator` \|.*$", readme, re.M).group(0)
    reads_whole, reads_own = row.split("read only")
    reads_own, writes = reads_own.split("write", 1)
    singular = {"attendance": "attendance", "production": "production"}
    with app.app_context():
        for kind in registry.exchanged().values():
            word = singular.get(kind.name, kind.name.removesuffix("s"))
            if kind.read_all:
                assert word in reads_whole, kind.name
            else:
                assert kind.name in reads_own, kind.name
        for kind in registry.kinds().values():
            if kind.operator_writes:
                assert kind.name in writes, kind.name
