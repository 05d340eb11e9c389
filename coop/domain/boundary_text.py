"""Reading a lease boundary from text (docs/design.md "Leases"), in one of three forms told apart by
the text itself:

- GeoJSON: a Polygon or MultiPolygon geometry, or a Feature holding one (a FeatureCollection is a
  file of leases and belongs to the importer, which can hand each Feature here);
- WKT: POLYGON or MULTIPOLYGON (Z/M values and an EWKT ``SRID=...;`` prefix are accepted and
  ignored);
- a corner-point table as a mining permit prints it, pasted from a PDF or a spreadsheet: one
  corner a line, fields separated by spaces, tabs, commas or semicolons, with an optional point
  number first: ``point_no, X, Y`` or ``X, Y``.

Axes. In GeoJSON and WKT the first coordinate is always the easting or longitude (the GIS
convention), whatever the CRS. In a corner table of a Gauss-Kruger CRS, X is the NORTHING and Y the
EASTING, as Chinese permits print them (a Corner holds them as x easting, y northing); in a
geographic CRS the columns are ``point_no, longitude, latitude``, in decimal degrees or as D°M'S"
without spaces inside.

Tables: blank lines are ignored; a line without any number (a heading such as ``点号 X Y``, or a
parcel's name) separates rings, and so does a row that repeats its ring's first corner (closing
it). In a spreadsheet paste (tab-separated) thousands separators are accepted. Corners are named
by their point numbers; a table without point numbers, GeoJSON and WKT number their corners from 1
in the order the text gives them (GeoJSON and WKT count each position, closing repeats included).

What the corners mean (their CRS, rings nested as holes, validity) is coop.domain.boundaries's
business. Pure: no Flask, no database."""

import json
import re
import unicodedata
from typing import NamedTuple

from coop.domain.leases import BoundaryInvalid
from coop.domain.leases import boundary_invalid as _invalid
from coop.domain.leases import boundary_problem as _problem
from coop.domain.problems import N_

_MAX_LINE_PROBLEMS = 10
_WKT_TYPES = {
    "POINT",
    "LINESTRING",
    "POLYGON",
    "MULTIPOINT",
    "MULTILINESTRING",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
    "CIRCULARSTRING",
    "COMPOUNDCURVE",
    "CURVEPOLYGON",
    "MULTICURVE",
    "MULTISURFACE",
    "POLYHEDRALSURFACE",
    "TIN",
    "TRIANGLE",
}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NON_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
# D°M'S" as permits print geographic corners; NFKC has turned ″ into ′′ by the time this is used.
_DMS = re.compile(
    r"([+-]?)(\d+(?:\.\d+)?)°(?:(\d+(?:\.\d+)?)['′])?(?:(\d+(?:\.\d+)?)(?:\"|′′|''))?"
)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_FIELD_SEPARATORS = re.compile(r"[\s,;、]+")
_WKT_TOKEN = re.compile(r"[()]|,|[^\s(),]+")
_SRID = re.compile(r"^\s*SRID=\d+\s*;", re.IGNORECASE)


class Corner(NamedTuple):
    label: str
    x: float  # easting or longitude
    y: float  # northing or latitude


class Parsed(NamedTuple):
    kind: str  # "geojson", "wkt" or "table"
    polygons: list  # [[ring, ...], ...], a ring a list of Corner; a table: one ring a polygon


def read(text, geographic):
    """The corners of a boundary given as text, by ring and polygon, told apart by the text:
    GeoJSON, WKT or a corner table (columns: point number (optional), then longitude and latitude
    when geographic, else X (the northing) and Y (the easting)). BoundaryInvalid for text that
    cannot be read, naming where."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _parse_geojson(text)
    text = unicodedata.normalize("NFKC", text)
    first = re.match(r"\s*(?:SRID=\d+\s*;\s*)?([A-Za-z]+)\b\s*(?:ZM|Z|M)?\s*(?:\(|EMPTY\b)", text)
    if first and first.group(1).upper() in _WKT_TYPES:
        return _parse_wkt(text)
    return _parse_table(text, geographic)


def _parse_geojson(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _invalid(
            N_("is not valid GeoJSON (line %(line)s, column %(column)s)."),
            line=error.lineno,
            column=error.colno,
        ) from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        raise _invalid(
            N_(
                "is a FeatureCollection: give one geometry here, or import the collection as a "
                "file of leases."
            )
        )
    if kind == "Feature":
        data = data.get("geometry")
        if data is None:
            raise _invalid(N_("the GeoJSON Feature has no geometry."))
        kind = data.get("type") if isinstance(data, dict) else None
    coordinates = data.get("coordinates") if isinstance(data, dict) else None
    if kind == "Polygon":
        polygons, paths = [coordinates], ["coordinates"]
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list):
            raise _invalid(
                N_("has malformed GeoJSON coordinates at %(where)s."), where="coordinates"
            )
        polygons = coordinates
        paths = [f"coordinates[{p}]" for p in range(len(coordinates))]
    else:
        raise _invalid(
            N_("must be a Polygon or MultiPolygon, not %(kind)s."), kind=str(kind or "?")[:40]
        )
    counter = _Counter()
    return Parsed(
        "geojson",
        [_geojson_polygon(p, path, counter) for p, path in zip(polygons, paths, strict=True)],
    )


class _Counter:
    def __init__(self):
        self.value = 0

    def next(self):
        self.value += 1
        return str(self.value)


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _geojson_polygon(polygon, path, counter):
    if not isinstance(polygon, list):
        raise _invalid(N_("has malformed GeoJSON coordinates at %(where)s."), where=path)
    rings = []
    for r, ring in enumerate(polygon):
        if not isinstance(ring, list):
            raise _invalid(
                N_("has malformed GeoJSON coordinates at %(where)s."), where=f"{path}[{r}]"
            )
        corners = []
        for k, position in enumerate(ring):
            if not (
                isinstance(position, list)
                and 2 <= len(position) <= 4
                and all(_is_number(v) for v in position)
            ):
                raise _invalid(
                    N_("has malformed GeoJSON coordinates at %(where)s."),
                    where=f"{path}[{r}][{k}]",
                )
            corners.append(Corner(counter.next(), float(position[0]), float(position[1])))
        rings.append(corners)
    return rings


def _parse_wkt(text):
    # An EWKT "SRID=4490;" prefix is blanked out (the crs field says the CRS), keeping positions.
    text = _SRID.sub(lambda m: " " * len(m.group()), text)
    tokens = [(m.group(), m.start() + 1) for m in _WKT_TOKEN.finditer(text)]
    reader = _WktReader(tokens)
    kind = reader.take().upper()
    if kind not in ("POLYGON", "MULTIPOLYGON"):
        raise _invalid(N_("must be a Polygon or MultiPolygon, not %(kind)s."), kind=kind)
    if reader.peek().upper() in ("Z", "M", "ZM"):
        reader.take()
    if reader.peek().upper() == "EMPTY":
        reader.take()
        polygons = []
    elif kind == "POLYGON":
        polygons = [reader.polygon()]
    else:
        polygons = reader.list_of(reader.polygon)
    reader.end()
    return Parsed("wkt", polygons)


class _WktReader:
    """Recursive descent over WKT tokens for POLYGON and MULTIPOLYGON bodies."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.at = 0
        self.counter = _Counter()

    def peek(self):
        return self.tokens[self.at][0] if self.at < len(self.tokens) else ""

    def take(self, expected=None):
        if self.at >= len(self.tokens):
            raise _invalid(N_("is not valid WKT: the text ends before the geometry does."))
        token = self.tokens[self.at][0]
        if expected is not None and token != expected:
            self.fail()
        self.at += 1
        return token

    def fail(self):
        token, position = self.tokens[self.at]
        raise _invalid(
            N_("is not valid WKT: unexpected %(found)s at character %(position)s."),
            found=f'"{token[:20]}"',
            position=position,
        )

    def end(self):
        if self.at < len(self.tokens):
            self.fail()

    def list_of(self, item):
        self.take("(")
        items = [item()]
        while self.peek() == ",":
            self.take()
            items.append(item())
        self.take(")")
        return items

    def polygon(self):
        return self.list_of(self.ring)

    def ring(self):
        return self.list_of(self.position)

    def position(self):
        values = []
        while len(values) < 4 and (
            _NUMBER.fullmatch(self.peek()) or _NON_FINITE.fullmatch(self.peek())
        ):
            values.append(float(self.take()))
        if len(values) < 2:
            if self.at >= len(self.tokens):
                self.take()  # says the text ends early
            self.fail()
        return Corner(self.counter.next(), values[0], values[1])


def _unquote(field):
    """A CSV cell without its quotes (but 26°06'00" keeps its seconds mark)."""
    return field[1:-1] if len(field) > 1 and field[0] == field[-1] == '"' else field


def _fields(line):
    line = line.strip()
    if "\t" in line:
        # A spreadsheet's cells: keep "3,012,345.67" whole.
        fields = [_unquote(field.strip()) for field in line.split("\t")]
        fields = [f.replace(",", "") if _THOUSANDS.fullmatch(f) else f for f in fields]
        fields = [part for field in fields for part in _FIELD_SEPARATORS.split(field)]
    else:
        fields = [_unquote(field) for field in _FIELD_SEPARATORS.split(line)]
    return [field for field in fields if field]


def _value(field, geographic):
    """A table cell as a float (nan/inf kept for the finiteness check), or None."""
    if _NUMBER.fullmatch(field) or _NON_FINITE.fullmatch(field):
        return float(field)
    match = _DMS.fullmatch(field) if geographic else None
    if match:
        sign, degrees, minutes, seconds = match.groups()
        minutes, seconds = float(minutes or 0), float(seconds or 0)
        if minutes < 60 and seconds < 60:
            value = float(degrees) + minutes / 60 + seconds / 3600
            return -value if sign == "-" else value
    return None


def _parse_table(text, geographic):
    rings, ring, seen, problems, ordinal = [], [], set(), [], 0
    if geographic:
        unreadable = N_(
            'line %(line)s: cannot read "%(text)s" as a corner: point number (optional), '
            "longitude, latitude."
        )
    else:
        unreadable = N_(
            'line %(line)s: cannot read "%(text)s" as a corner: point number (optional), '
            "X (northing), Y (easting)."
        )
    for line_number, line in enumerate(text.splitlines(), 1):
        fields = _fields(line)
        if not fields:
            continue
        values = [_value(field, geographic) for field in fields]
        if all(value is None for value in values):
            # A heading such as "点号 X Y", or a parcel's name: it ends the ring before it.
            if ring:
                rings.append(ring)
                ring, seen = [], set()
            continue
        if len(fields) not in (2, 3) or values[-1] is None or values[-2] is None:
            if len(problems) < _MAX_LINE_PROBLEMS:
                problems.append(_problem(unreadable, line=line_number, text=line.strip()[:60]))
            continue
        ordinal += 1
        label = fields[0] if len(fields) == 3 else str(ordinal)
        first, second = values[-2], values[-1]
        corner = Corner(label, first, second) if geographic else Corner(label, second, first)
        point = (corner.x, corner.y)
        ring.append(corner)
        if len(seen) >= 3 and point == (ring[0].x, ring[0].y):
            rings.append(ring)  # closed: the next row starts another ring
            ring, seen = [], set()
        else:
            seen.add(point)
    if ring:
        rings.append(ring)
    if problems:
        raise BoundaryInvalid(problems)
    return Parsed("table", [[ring] for ring in rings])
