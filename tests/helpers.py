"""Plain helpers that several test modules share: what the database holds, API tokens, the import
page, and lease geometry worked out independently of the application (GRS80 by PROJ).

Fixtures built on them (`bearer`, `as_api`, `api`) are in conftest.py."""

import ast
import html
import io
import re
from pathlib import Path

from pyproj import Geod

from coop import registry
from coop.audit import acting_as
from coop.extensions import db
from coop.models import ApiToken, AuditEntry
from coop.services.accounts import user_by_name

GRS80 = Geod(ellps="GRS80")


# ---------------------------------------------------------------------------------------------
# what the database holds


def count(model):
    """Rows of model, read afresh."""
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def snapshot(*models):
    """Row counts of models by name: a refused write changes none. A module passes its own
    models, e.g. `snapshot = partial(helpers.snapshot, Lease, Dispute, AuditEntry)`."""
    return {model.__name__: count(model) for model in models}


def audit(record_type, key):
    """The audit entries of one record, oldest first."""
    db.session.expire_all()
    return (
        db.session.execute(
            db.select(AuditEntry)
            .where(AuditEntry.record_type == record_type, AuditEntry.record_key == key)
            .order_by(AuditEntry.id)
        )
        .scalars()
        .all()
    )


# ---------------------------------------------------------------------------------------------
# the JSON API with a bearer token


def issue_token(username):
    """A new API token of that account (the text a client sends)."""
    with acting_as("test"):
        record, token = ApiToken.issue(user_by_name(username))
        db.session.add(record)
        db.session.commit()
    return token


def bearer_headers(username):
    """Headers that authenticate as that account, with a new token."""
    return {"Authorization": f"Bearer {issue_token(username)}"}


class ApiClient:
    """A test client whose requests carry one account's bearer token."""

    def __init__(self, client, username):
        self.client = client
        self.headers = bearer_headers(username)

    def get(self, url, **kw):
        return self.client.get(url, headers=self.headers, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers=self.headers, **kw)

    def patch(self, url, **kw):
        return self.client.patch(url, headers=self.headers, **kw)

    def delete(self, url, **kw):
        return self.client.delete(url, headers=self.headers, **kw)


# ---------------------------------------------------------------------------------------------
# the import page (/data/<kind>/import)


def upload(client, kind, content, filename):
    return client.post(
        f"/data/{kind}/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def problems(response):
    """The (line, column, reason) rows of the import page's problem table."""
    return [(line, column, reason) for line, column, _value, reason in problem_rows(response)]


def problem_rows(response):
    """The (line, column, value, reason) rows of the import page's problem table."""
    body = response.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(
        r"<tr>\s*<td>(.*?)</td><td>(.*?)</td><td[^>]*>(.*?)</td><td>(.*?)</td></tr>", body, re.S
    )
    return [tuple(html.unescape(cell) for cell in row) for row in rows]


def flashed(response):
    """The flashed messages of a page."""
    return [html.unescape(m) for m in re.findall(r'role="alert">(.*?)</div>', response.text)]


# ---------------------------------------------------------------------------------------------
# lease geometry: boundaries as a clerk gives them, areas worked out here


def rectangle(west, south, east, north):
    """A lon/lat rectangle as WKT, edges in degrees."""
    return (
        f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
    )


def square(west, south, size=0.01):
    """A lon/lat square as WKT: west and south edges in degrees, size in degrees."""
    return rectangle(west, south, west + size, south + size)


def add_leases(rows):
    """Save leases (permit_no, mine_code, valid_from, valid_to), each a square of its own in
    CGCS2000 lon/lat, 0.05 degrees east of the one before; the caller commits."""
    from coop.services.leases import save_lease

    for n, (permit, mine, start, end) in enumerate(rows):
        save_lease(
            {
                "permit_no": permit,
                "mine_code": mine,
                "valid_from": start,
                "valid_to": end,
                "boundary": square(107.0 + n * 0.05, 26.5),
                "crs": "EPSG:4490",
            }
        )


def polygon(west, south, size=0.01):
    """The same square as a GeoJSON Polygon."""
    east, north = west + size, south + size
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def geodesic_area(lonlat):
    """The GRS80 geodesic area of a ring of (lon, lat), whatever its orientation."""
    lons, lats = zip(*lonlat, strict=True)
    area, _perimeter = GRS80.polygon_area_perimeter(lons, lats)
    return abs(area)


def rectangle_area(west, south, east, north):
    return geodesic_area([(west, south), (east, south), (east, north), (west, north)])


def square_area(west, south, size=0.01):
    return rectangle_area(west, south, west + size, south + size)


def marked_messages(module):
    """Every string marked with N_() in a module's source (coop.domain's messages)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and isinstance(node.args[0], ast.Constant)
    }


def with_kind(monkeypatch, kind):
    """Register kind for one test (added, or in place of the kind of its name): policy, the
    import and export pages and the command line then know it."""
    kinds = registry.kinds() | {kind.name: kind}
    monkeypatch.setattr(registry, "kinds", lambda: kinds)
    return kind
