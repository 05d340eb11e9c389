"""Lease boundaries (DOMAIN.md "Leases"): reading a boundary, checking it, its geodesic area, and
the overlap rule between leases. Pure functions: no Flask, no database.

Reading. `parse_boundary(text, crs)` takes the boundary in one of three forms, told apart by the
text itself:

- GeoJSON: a Polygon or MultiPolygon geometry, or a Feature holding one (a FeatureCollection is a
  file of leases and belongs to the importer, which can hand each Feature here);
- WKT: POLYGON or MULTIPOLYGON (Z/M values and an EWKT ``SRID=...;`` prefix are accepted and
  ignored);
- a corner-point table as a mining permit prints it, pasted from a PDF or a spreadsheet: one
  corner a line, fields separated by spaces, tabs, commas or semicolons, with an optional point
  number first: ``point_no, X, Y`` or ``X, Y``.

Axes. In GeoJSON and WKT the first coordinate is always the easting or longitude (the GIS
convention), whatever the CRS. In a corner table of a Gauss-Kruger CRS, X is the NORTHING and Y the
EASTING, as Chinese permits print them; in the zone-prefixed CRSs (EPSG:4513-4533) Y carries the
zone number in front (zone 36: Y = 36 512345.67), in EPSG:4534-4554 it does not. In a corner table
of a geographic CRS (EPSG:4326, EPSG:4490) the columns are ``point_no, longitude, latitude`` (the
same order as GeoJSON and WKT), in decimal degrees or as D°M'S" without spaces inside. A table,
GeoJSON or WKT whose axes are plainly the other way round (every corner outside the CRS's area,
every corner inside once swapped) is refused with a message that says so, never swapped silently.

Tables: blank lines are ignored; a line without any number (a heading such as ``点号 X Y``, or a
parcel's name) separates rings, and so does a row that repeats its ring's first corner (closing
it). A ring inside another ring of the table is a hole of it (even-odd nesting), otherwise it is
another part of a MultiPolygon. In a spreadsheet paste (tab-separated) thousands separators are
accepted. Corners are named by their point numbers; a table without point numbers, GeoJSON and WKT
number their corners from 1 in the order the text gives them (GeoJSON and WKT count each
position, closing repeats included).

Storing. The result is always lon/lat: EPSG:4490 (CGCS2000) for EPSG:4490 and the Gauss-Kruger
zones, EPSG:4326 (WGS84) for EPSG:4326 input, rounded to 1e-9 degree (about 0.1 mm), exterior
rings counter-clockwise; a Gauss-Kruger boundary gets a corner every DENSIFY_M (100 m) along its
edges, which are straight on the projection plane, not in lon/lat. `Boundary.crs` states the
CRS of the stored coordinates, so storing `(boundary.geojson, boundary.crs)` and reading them
back gives the same boundary. CGCS2000 and WGS84 (its current realisations) agree within a few
centimetres, so the overlap rules compare leases stored in either as if they were in one CRS.

Checks, each refused with a Problem that names it: an unreadable line, a malformed GeoJSON
position or WKT token; a non-finite number; a corner outside the CRS's area of use (pyproj's
`area_of_use` bounds; for a Gauss-Kruger zone, also a missing, wrong or unwanted zone prefix); a
ring with fewer than 3 distinct corners, a corner repeated, or corners on one line; a boundary
that crosses itself (the two edges named by their corners) or is otherwise invalid. A ring that
is not closed is closed; ring orientation does not matter.

Area: geodesic, on the GRS80 ellipsoid (CGCS2000's), holes subtracted, parts added.

Overlap (DOMAIN.md "Overlap"): `find_conflicts` over many leases, `conflicts_with` for one
against the others; see `LeaseExtent`, `periods_overlap` and `elevations_overlap` for the rules.
"""

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping

from coop.domain.problems import N_, Problem

DEFAULT_CRS = "EPSG:4326"
GEOGRAPHIC_CRS = ("EPSG:4326", "EPSG:4490")
#: CGCS2000 3-degree Gauss-Kruger zones 25-45 (CM 75E-135E): with the zone prefix, then without.
GAUSS_KRUGER_CRS = tuple(f"EPSG:{number}" for number in range(4513, 4555))
ACCEPTED_CRS = GEOGRAPHIC_CRS + GAUSS_KRUGER_CRS

M2_PER_MU = 10000 / 15
M2_PER_HA = 10000
#: Leases conflict when their boundaries share more than this; less is a shared edge or a corner
#: touch, or floating-point dust along one.
MIN_CONFLICT_AREA_M2 = 1.0
#: Gauss-Kruger edges are straight in the projection plane, not in lon/lat (a 1 km east-west edge
#: bows by about 1 cm): they are stored with a corner at least every DENSIFY_M metres, which keeps
#: them within 0.2 mm of the plane's straight line, so that leases sharing an edge in one zone stay
#: apart by far less than MIN_CONFLICT_AREA_M2 even where one's corner lies along the other's edge.
DENSIFY_M = 100.0
#: Stored lon/lat are rounded to this many decimals of a degree (1e-9 degree is about 0.1 mm).
COORDINATE_DECIMALS = 9

GEOD = Geod(ellps="GRS80")  # CGCS2000's ellipsoid; WGS84's semi-minor axis is 0.1 mm longer

BOUNDARY = "boundary"
_MAX_LINE_PROBLEMS = 10
_MAX_NAMED_CORNERS = 5
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
_CRS_ALIASES = {"CRS84": "EPSG:4326", "OGC:CRS84": "EPSG:4326", "WGS84": "EPSG:4326"}
_CRS_TEXT = re.compile(r"(?:urn:ogc:def:crs:)?(?:EPSG\s*:+\s*)?(\d{4,5})", re.IGNORECASE)
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
_REASON = re.compile(r"(.*?)\[(\S+) (\S+)\]")


class BoundaryInvalid(ValueError):
    """A boundary or its CRS was refused; `problems` are coop.domain Problems (field `boundary`
    or `crs`) for the service layer to translate and show."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            "; ".join(p.message % p.params if p.params else p.message for p in self.problems)
        )


# --- CRS -------------------------------------------------------------------------------------


def normalise_crs(text):
    """'epsg:4545', '4545', 'urn:ogc:def:crs:EPSG::4545' -> 'EPSG:4545'; empty -> DEFAULT_CRS.
    Raises BoundaryInvalid (field `crs`) for a CRS that is not accepted."""
    if text is None or not str(text).strip():
        return DEFAULT_CRS
    text = str(text).strip()
    code = _CRS_ALIASES.get(text.upper())
    if code is None:
        match = _CRS_TEXT.fullmatch(text)
        code = f"EPSG:{int(match.group(1))}" if match else None
    if code not in ACCEPTED_CRS:
        raise BoundaryInvalid(
            [
                Problem(
                    "crs",
                    N_(
                        "%(crs)s is not accepted: use EPSG:4326, EPSG:4490 or a CGCS2000 "
                        "3-degree Gauss-Kruger zone (EPSG:4513 to EPSG:4554)."
                    ),
                    {"crs": text},
                )
            ]
        )
    return code


def stored_crs(crs):
    """The CRS a boundary given in `crs` is stored in: EPSG:4326 for EPSG:4326, else EPSG:4490."""
    return "EPSG:4326" if normalise_crs(crs) == "EPSG:4326" else "EPSG:4490"


@lru_cache(maxsize=1)
def crs_choices():
    """[(code, name)] of every accepted CRS, for a form's choices (names from PROJ's database)."""
    return [(code, CRS.from_user_input(code).name) for code in ACCEPTED_CRS]


def gauss_kruger_zone(crs):
    """(zone number, central meridian in degrees E, zone-prefixed?) of a Gauss-Kruger CRS, or None
    for a geographic one. EPSG:4513-4533 are zones 25-45 with the prefix, EPSG:4534-4554 the same
    zones without it."""
    number = int(normalise_crs(crs).split(":")[1])
    if 4513 <= number <= 4533:
        return number - 4488, 3 * (number - 4488), True
    if 4534 <= number <= 4554:
        return number - 4509, 3 * (number - 4509), False
    return None


@lru_cache(maxsize=64)
def _to_lonlat(code):
    return Transformer.from_crs(code, "EPSG:4490", always_xy=True)


@lru_cache(maxsize=64)
def _from_lonlat(code):
    return Transformer.from_crs("EPSG:4490", code, always_xy=True)


@lru_cache(maxsize=64)
def _area_of_use(code):
    return CRS.from_user_input(code).area_of_use.bounds  # (west, south, east, north), degrees


def gk_to_lonlat(x_northing, y_easting, crs):
    """A Gauss-Kruger corner as a permit prints it (X northing, Y easting) -> CGCS2000 lon, lat."""
    if gauss_kruger_zone(crs) is None:
        raise ValueError(f"{crs} is not a Gauss-Kruger CRS")
    return _to_lonlat(normalise_crs(crs)).transform(y_easting, x_northing)


def lonlat_to_gk(lon, lat, crs):
    """(lon, lat) CGCS2000 -> (X northing, Y easting) in a Gauss-Kruger CRS, a permit's order."""
    if gauss_kruger_zone(crs) is None:
        raise ValueError(f"{crs} is not a Gauss-Kruger CRS")
    easting, northing = _from_lonlat(normalise_crs(crs)).transform(lon, lat)
    return northing, easting


# --- Area ------------------------------------------------------------------------------------


def _polygons(geometry):
    """The polygons of a geometry (lines and points of a collection dropped)."""
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type == "Polygon":
        return [geometry]
    if geometry.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in geometry.geoms for p in _polygons(part)]
    return []


def geodesic_area_m2(geometry):
    """Area on the GRS80 ellipsoid in m2 of a lon/lat (Multi)Polygon, whatever its rings'
    orientation: holes subtract, parts add. (Geod's own geometry_area_perimeter is signed and adds
    holes' signed areas, so it is right only for rings oriented opposite to their shells.)"""
    total = 0.0
    for polygon in _polygons(geometry):
        total += abs(GEOD.polygon_area_perimeter(*polygon.exterior.xy)[0])
        for hole in polygon.interiors:
            total -= abs(GEOD.polygon_area_perimeter(*hole.xy)[0])
    return total


def area_mu(area_m2):
    """m2 -> mu (1 mu = 10000/15 m2, about 666.67 m2)."""
    return area_m2 / M2_PER_MU


def area_ha(area_m2):
    """m2 -> hectares."""
    return area_m2 / M2_PER_HA


def area_km2(area_m2):
    """m2 -> km2 rounded half up to 4 decimals, as the registry reports it (TD/T 1055-2019)."""
    value = Decimal(repr(float(area_m2))) / Decimal(1_000_000)
    return float(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


# --- Boundaries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Boundary:
    """A checked boundary: lon/lat geometry in `crs` (EPSG:4490 or EPSG:4326) and its area."""

    geometry: Polygon | MultiPolygon
    crs: str
    area_m2: float

    @property
    def area_mu(self):
        return area_mu(self.area_m2)

    @property
    def area_ha(self):
        return area_ha(self.area_m2)

    @property
    def area_km2(self):
        return area_km2(self.area_m2)

    @property
    def geojson(self):
        """The geometry as GeoJSON text: what the `boundary` field stores."""
        return to_geojson(self.geometry)

    @property
    def wkt(self):
        return shapely.to_wkt(self.geometry, rounding_precision=COORDINATE_DECIMALS, trim=True)


def to_geojson(geometry):
    """GeoJSON text of a geometry with Python's shortest round-trip numbers."""
    return json.dumps(mapping(geometry))


def load_geometry(text):
    """A stored boundary (GeoJSON text written by `Boundary.geojson`) as a shapely geometry, fast
    and unchecked, for the overlap scan; also takes an array of texts."""
    return shapely.from_geojson(text)


class _Corner(NamedTuple):
    label: str
    x: float  # easting or longitude
    y: float  # northing or latitude


class _Parsed(NamedTuple):
    kind: str  # "geojson", "wkt" or "table"
    polygons: list  # [[ring, ...], ...], a ring a list of _Corner; a table: one ring a polygon


class _Ring(NamedTuple):
    labels: list  # one a corner, without the closing repeat
    coords: np.ndarray  # (n, 2) lon/lat, without the closing repeat
    source: np.ndarray  # (n, 2) the same corners as given: easting or lon, northing or lat


def _problem(message, **params):
    return Problem(BOUNDARY, message, params)


def _invalid(message, **params):
    return BoundaryInvalid([_problem(message, **params)])


def parse_boundary(text, crs=DEFAULT_CRS):
    """Read, check and measure a boundary given as GeoJSON, WKT or a corner table in `crs`.
    Returns a Boundary in lon/lat; raises BoundaryInvalid naming the problem."""
    code = normalise_crs(crs)
    if text is None or not str(text).strip():
        raise _invalid(N_("is required."))
    parsed = _read(str(text), code)
    corners = [corner for polygon in parsed.polygons for ring in polygon for corner in ring]
    if not corners:
        raise _invalid(N_("has no corners."))
    labels = [corner.label for corner in corners]
    xy = np.array([(corner.x, corner.y) for corner in corners], dtype=float)
    not_finite = ~np.isfinite(xy).all(axis=1)
    if not_finite.any():
        raise _invalid(
            N_("corner %(corner)s has a coordinate that is not a finite number."),
            corner=labels[int(np.argmax(not_finite))],
        )
    lon, lat = _checked_lonlat(xy, labels, code, parsed.kind)
    lonlat = np.round(np.column_stack([lon, lat]), COORDINATE_DECIMALS)

    polygons, problems, start, number = [], [], 0, 0
    for polygon in parsed.polygons:
        rings = []
        for ring in polygon:
            number += 1
            end = start + len(ring)
            cleaned = _clean_ring(
                _Ring(labels[start:end], lonlat[start:end], xy[start:end]), number, problems
            )
            start = end
            if cleaned is not None:
                rings.append(cleaned)
        polygons.append(rings)
    if problems:
        raise BoundaryInvalid(problems)
    polygons = [rings for rings in polygons if rings]  # GeoJSON may give a polygon no rings
    if parsed.kind == "table":
        polygons = _nest([ring for rings in polygons for ring in rings])

    geometry = _geometry(polygons)
    if not shapely.is_valid(geometry):
        raise BoundaryInvalid([_validity_problem(geometry, polygons)])
    if gauss_kruger_zone(code) is not None:
        geometry = _geometry([[_densified(ring, code) for ring in rings] for rings in polygons])
        if not shapely.is_valid(geometry):  # edges within a millimetre of each other
            raise BoundaryInvalid([_validity_problem(geometry, None)])
    geometry = shapely.orient_polygons(geometry)
    return Boundary(geometry, stored_crs(code), geodesic_area_m2(geometry))


def _geometry(polygons):
    shapes = [Polygon(rings[0].coords, [hole.coords for hole in rings[1:]]) for rings in polygons]
    return shapes[0] if len(shapes) == 1 else MultiPolygon(shapes)


def _densified(ring, code):
    """A Gauss-Kruger ring with corners added every DENSIFY_M at most along its edges, so that its
    lon/lat edges follow the permit's edges, which are straight lines in the projection plane."""
    ends = np.roll(ring.source, -1, axis=0)
    counts = np.maximum(1, np.ceil(np.hypot(*(ends - ring.source).T) / DENSIFY_M)).astype(int)
    edge = np.repeat(np.arange(len(counts)), counts)
    step = (np.arange(len(edge)) - np.repeat(np.cumsum(counts) - counts, counts)) / counts[edge]
    points = ring.source[edge] + (ends - ring.source)[edge] * step[:, None]
    lon, lat = _to_lonlat(code).transform(points[:, 0], points[:, 1])
    return ring._replace(coords=np.round(np.column_stack([lon, lat]), COORDINATE_DECIMALS))


def _read(text, code):
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _parse_geojson(text)
    text = unicodedata.normalize("NFKC", text)
    first = re.match(r"\s*(?:SRID=\d+\s*;\s*)?([A-Za-z]+)\b\s*(?:ZM|Z|M)?\s*(?:\(|EMPTY\b)", text)
    if first and first.group(1).upper() in _WKT_TYPES:
        return _parse_wkt(text)
    return _parse_table(text, gauss_kruger_zone(code) is None)


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
    return _Parsed(
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
            corners.append(_Corner(counter.next(), float(position[0]), float(position[1])))
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
    return _Parsed("wkt", polygons)


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
        return _Corner(self.counter.next(), values[0], values[1])


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
        corner = _Corner(label, first, second) if geographic else _Corner(label, second, first)
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
    return _Parsed("table", [[ring] for ring in rings])


def _lonlat(x, y, code):
    """lon, lat of source coordinates and which are out of the CRS's range (prefix, area)."""
    zone = gauss_kruger_zone(code)
    if zone is None:
        lon, lat = np.array(x, dtype=float), np.array(y, dtype=float)
    else:
        lon, lat = _to_lonlat(code).transform(x, y)
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    west, south, east, north = _area_of_use(code)
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(lon) & np.isfinite(lat))
        bad |= (lon < west) | (lon > east) | (lat < south) | (lat > north)
        if zone is not None and zone[2]:
            bad |= np.floor(np.asarray(x) / 1e6) != zone[0]
    return lon, lat, bad


def _checked_lonlat(xy, labels, code, kind):
    lon, lat, bad = _lonlat(xy[:, 0], xy[:, 1], code)
    if not bad.any():
        return lon, lat
    if bad.all() and not _lonlat(xy[:, 1], xy[:, 0], code)[2].any():
        if kind != "table":
            message = N_(
                "its axes seem swapped: GeoJSON and WKT give the easting or longitude first."
            )
        elif gauss_kruger_zone(code) is None:
            message = N_(
                "its columns seem swapped: a corner table gives the longitude first, then the "
                "latitude."
            )
        else:
            message = N_(
                "X and Y seem swapped: a corner table gives X (the northing) first, then Y "
                "(the easting)."
            )
        raise _invalid(message)
    raise BoundaryInvalid([_range_problem(xy[:, 0], labels, code, bad)])


def _number_text(value):
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _range_problem(eastings, labels, code, bad):
    zone = gauss_kruger_zone(code)
    if zone is not None:
        number, _, prefixed = zone
        prefixes = np.floor(eastings / 1e6)
        if prefixed:
            for i in np.flatnonzero(prefixes != number):
                found = int(prefixes[i])
                params = {
                    "corner": labels[i],
                    "easting": _number_text(eastings[i]),
                    "crs": code,
                    "zone": number,
                }
                if found == 0:
                    return _problem(
                        N_(
                            "corner %(corner)s: the easting (Y) %(easting)s lacks the zone prefix "
                            "%(zone)s that %(crs)s expects; for eastings without a prefix use "
                            "%(suggested)s."
                        ),
                        **params,
                        suggested=f"EPSG:{4509 + number}",
                    )
                if 25 <= found <= 45:
                    return _problem(
                        N_(
                            "corner %(corner)s: the easting (Y) %(easting)s has zone prefix "
                            "%(found)s, but %(crs)s is zone %(zone)s; use %(suggested)s."
                        ),
                        **params,
                        found=found,
                        suggested=f"EPSG:{4488 + found}",
                    )
                break  # garbage rather than a prefix: say where the corner falls instead
        else:
            for i in np.flatnonzero((prefixes >= 25) & (prefixes <= 45)):
                return _problem(
                    N_(
                        "corner %(corner)s: the easting (Y) %(easting)s carries a zone prefix, "
                        "which %(crs)s does not take; use %(suggested)s."
                    ),
                    corner=labels[i],
                    easting=_number_text(eastings[i]),
                    crs=code,
                    suggested=f"EPSG:{4488 + int(prefixes[i])}",
                )
    west, south, east, north = _area_of_use(code)
    area = f"{west:g}°E–{east:g}°E, {south:g}°N–{north:g}°N"
    named = [labels[i] for i in np.flatnonzero(bad)]
    if len(named) == 1:
        return _problem(
            N_("corner %(corner)s lies outside the area of %(crs)s (%(area)s)."),
            corner=named[0],
            crs=code,
            area=area,
        )
    corners = ", ".join(named[:_MAX_NAMED_CORNERS]) + (
        ", …" if len(named) > _MAX_NAMED_CORNERS else ""
    )
    return _problem(
        N_("corners %(corners)s lie outside the area of %(crs)s (%(area)s)."),
        corners=corners,
        crs=code,
        area=area,
    )


def _clean_ring(ring, number, problems):
    """A ring without repeated consecutive corners or closing repeat, or None with a problem."""
    labels, coords, source = ring
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = (coords[1:] != coords[:-1]).any(axis=1)
    labels = [label for label, kept in zip(labels, keep, strict=True) if kept]
    coords, source = coords[keep], source[keep]
    if len(coords) > 1 and (coords[-1] == coords[0]).all():
        labels, coords, source = labels[:-1], coords[:-1], source[:-1]
    distinct = len({tuple(point) for point in coords.tolist()})
    if distinct < 3:
        if number == 1:
            message = N_("has only %(count)s distinct corners; a boundary needs at least 3.")
        else:
            message = N_("ring %(ring)s has only %(count)s distinct corners; it needs at least 3.")
        problems.append(_problem(message, count=distinct, ring=number))
        return None
    if distinct < len(coords):
        first_seen = {}
        for label, point in zip(labels, coords.tolist(), strict=True):
            if tuple(point) in first_seen:
                problems.append(
                    _problem(
                        N_(
                            "corners %(first)s and %(second)s are the same point: a boundary may "
                            "not touch itself."
                        ),
                        first=first_seen[tuple(point)],
                        second=label,
                    )
                )
                return None
            first_seen[tuple(point)] = label
    if geodesic_area_m2(shapely.convex_hull(shapely.multipoints(coords))) < MIN_CONFLICT_AREA_M2:
        problems.append(_problem(N_("encloses no area: its corners lie on one line.")))
        return None
    return _Ring(labels, coords, source)


def _nest(rings):
    """Group a table's rings into polygons, even-odd: a ring inside one other is its hole, a ring
    inside two is a part again, and so on."""
    if len(rings) == 1:
        return [[rings[0]]]
    shapes = [Polygon(ring.coords) for ring in rings]
    containers = [
        [j for j, outer in enumerate(shapes) if j != i and outer.contains(inner)]
        for i, inner in enumerate(shapes)
    ]
    depth = [len(found) for found in containers]
    polygons, holes = {}, []
    for i, found in enumerate(containers):
        parents = [j for j in found if depth[j] == depth[i] - 1]
        if depth[i] % 2 and parents:
            holes.append((parents[0], i))
        else:
            polygons[i] = [rings[i]]
    for parent, i in holes:
        polygons[parent].append(rings[i])
    return list(polygons.values())


def _where(lon, lat):
    return f"{abs(lat):.6f}°{'N' if lat >= 0 else 'S'}, {abs(lon):.6f}°{'E' if lon >= 0 else 'W'}"


def _validity_problem(geometry, polygons):
    reason = shapely.is_valid_reason(geometry)
    match = _REASON.match(reason)
    if match is None:  # pragma: no cover - GEOS names a location for every invalid polygon
        kind, point = reason, None
    else:
        kind, point = match.group(1), shapely.Point(float(match.group(2)), float(match.group(3)))
    location = _where(point.x, point.y) if point is not None else "?"
    if "Self-intersection" in kind:
        crossing = _crossing(polygons, point) if polygons is not None else None
        if crossing is not None:
            edge_a, edge_b, where = crossing
            return _problem(
                N_("crosses itself: edge %(edge_a)s meets edge %(edge_b)s at %(location)s."),
                edge_a=edge_a,
                edge_b=edge_b,
                location=_where(where.x, where.y),
            )
        return _problem(N_("crosses itself at %(location)s."), location=location)
    messages = {
        "Hole lies outside shell": N_("has a hole outside its polygon at %(location)s."),
        "Holes are nested": N_("has a hole inside another hole at %(location)s."),
        "Interior is disconnected": N_("its holes cut the polygon apart at %(location)s."),
        "Nested shells": N_("has one part inside another at %(location)s."),
        "Duplicate Rings": N_("gives one ring twice at %(location)s."),
    }
    if kind in messages:
        return _problem(messages[kind], location=location)
    return _problem(
        N_("is not a valid polygon at %(location)s (%(reason)s)."), location=location, reason=kind
    )


def _crossing(polygons, point):
    """(edge, edge, where) of the two edges that meet nearest `point`, other than neighbours at
    their shared corner; None if there are none."""
    ends, info = [], []
    for r, ring in enumerate(ring for rings in polygons for ring in rings):
        n = len(ring.labels)
        for k in range(n):
            ends.append((ring.coords[k], ring.coords[(k + 1) % n]))
            info.append((r, k, n, f"{ring.labels[k]}–{ring.labels[(k + 1) % n]}"))
    edges = shapely.linestrings(np.array(ends))
    left, right = shapely.STRtree(edges).query(edges, predicate="intersects")
    best = None
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        (ri, ki, ni, name_i), (rj, kj, _, name_j) = info[i], info[j]
        meeting = shapely.intersection(edges[i], edges[j])
        if ri == rj and (kj - ki) % ni in (1, ni - 1) and meeting.geom_type == "Point":
            continue  # neighbours meeting at their shared corner
        distance = meeting.distance(point) if point is not None else 0.0
        if best is None or distance < best[0]:
            best = (distance, name_i, name_j, meeting.representative_point())
    return None if best is None else best[1:]


# --- Leases: validity, elevations and overlap --------------------------------------------------


class LeaseExtent(NamedTuple):
    """A lease as the overlap rule sees it: where (a lon/lat geometry), when (dates, inclusive;
    None is open-ended) and how deep (metres above sea level; either may be None)."""

    key: Any  # permit_no or id: what a Conflict names
    geometry: Any  # shapely Polygon or MultiPolygon, lon/lat
    valid_from: date | None
    valid_to: date | None
    elevation_top_m: float | None = None
    elevation_bottom_m: float | None = None


class Conflict(NamedTuple):
    """Two leases that conflict, where (the polygonal intersection, lon/lat) and how much (m2)."""

    a: Any
    b: Any
    area_m2: float
    intersection: Any

    @property
    def area_mu(self):
        return area_mu(self.area_m2)


def lease_problems(values):
    """Problems with a lease's fields taken together: valid_to not before valid_from, and the
    mining elevation range's bottom below its top."""
    problems = []
    start, end = values.get("valid_from"), values.get("valid_to")
    if start and end and end < start:
        problems.append(
            Problem(
                "valid_to",
                N_("must not be before valid_from (%(valid_from)s)."),
                {"valid_from": start.isoformat()},
            )
        )
    top, bottom = values.get("elevation_top_m"), values.get("elevation_bottom_m")
    if top is not None and bottom is not None and not bottom < top:
        problems.append(
            Problem(
                "elevation_bottom_m",
                N_("must be below elevation_top_m (%(elevation_top_m)s)."),
                {"elevation_top_m": top},
            )
        )
    return problems


def days_to_expiry(valid_to, today):
    """Days from today to the lease's last valid day: 0 on that day, negative once expired."""
    return (valid_to - today).days


def is_valid_on(lease, day):
    """Whether a lease (anything with valid_from and valid_to; None is open-ended) is valid on
    day; both ends inclusive."""
    return (lease.valid_from is None or lease.valid_from <= day) and (
        lease.valid_to is None or day <= lease.valid_to
    )


def periods_overlap(a, b):
    """Whether two leases' validity periods share a day (ends inclusive, None open-ended)."""
    return (a.valid_from is None or b.valid_to is None or a.valid_from <= b.valid_to) and (
        b.valid_from is None or a.valid_to is None or b.valid_from <= a.valid_to
    )


def _gives_elevations(lease):
    return lease.elevation_top_m is not None or lease.elevation_bottom_m is not None


def elevations_overlap(a, b):
    """Whether two leases' elevation ranges overlap: True unless both give elevations and the
    ranges are apart. Ranges that only touch (one's bottom is the other's top) do not overlap: the
    plane between them belongs to neither, as a shared edge does not make boundaries overlap. A
    lease that gives only a top (or only a bottom) is open downwards (upwards)."""
    if not (_gives_elevations(a) and _gives_elevations(b)):
        return True
    a_bottom, a_top = _elevation_range(a.elevation_bottom_m, a.elevation_top_m)
    b_bottom, b_top = _elevation_range(b.elevation_bottom_m, b.elevation_top_m)
    return a_bottom < b_top and b_bottom < a_top


def _elevation_range(bottom, top):
    return (-math.inf if bottom is None else bottom), (math.inf if top is None else top)


class _Columns:
    """Leases as arrays, for vectorised rules."""

    def __init__(self, leases):
        self.keys = [lease.key for lease in leases]
        self.geometry = np.empty(len(leases), dtype=object)
        self.geometry[:] = [lease.geometry for lease in leases]

        def days(attribute, missing):
            return np.array(
                [
                    missing if (d := getattr(x, attribute)) is None else d.toordinal()
                    for x in leases
                ],
                dtype=float,
            )

        def metres(attribute):
            return np.array(
                [np.nan if (m := getattr(x, attribute)) is None else m for x in leases], dtype=float
            )

        self.start = days("valid_from", -np.inf)
        self.end = days("valid_to", np.inf)
        top, bottom = metres("elevation_top_m"), metres("elevation_bottom_m")
        self.gives = ~(np.isnan(top) & np.isnan(bottom))
        self.top = np.where(np.isnan(top), np.inf, top)
        self.bottom = np.where(np.isnan(bottom), -np.inf, bottom)


# Upper bound of the ellipsoid's radii of curvature (N and M peak at the poles at a**2 / b =
# 6399593.6 m): a degree-squared area times this, squared, times cos(latitude) over-estimates a
# small polygon's area, so pairs under the threshold by it are surely under it.
_MAX_RADIUS_M = 6_400_000.0
_M_PER_DEGREE = _MAX_RADIUS_M * math.pi / 180


def _conflicts(a, ia, b, ib):
    """Conflicts among candidate pairs (a's lease ia[k], b's lease ib[k]) whose bounds meet."""
    when = (a.start[ia] <= b.end[ib]) & (b.start[ib] <= a.end[ia])
    depth = ~(a.gives[ia] & b.gives[ib]) | ((a.bottom[ia] < b.top[ib]) & (b.bottom[ib] < a.top[ia]))
    keep = when & depth
    ia, ib = ia[keep], ib[keep]
    if not len(ia):
        return []
    overlap = shapely.intersection(a.geometry[ia], b.geometry[ib])
    south, north = shapely.bounds(overlap)[:, [1, 3]].T
    nearest_equator = np.where(south * north <= 0, 0.0, np.minimum(abs(south), abs(north)))
    approx = shapely.area(overlap) * _M_PER_DEGREE**2 * np.cos(np.radians(nearest_equator))
    conflicts = []
    for k in np.flatnonzero(approx > MIN_CONFLICT_AREA_M2 / 2).tolist():
        shape = overlap[k]
        if shape.geom_type == "GeometryCollection":
            parts = _polygons(shape)
            shape = parts[0] if len(parts) == 1 else MultiPolygon(parts)
        area = geodesic_area_m2(shape)
        if area > MIN_CONFLICT_AREA_M2:
            shape = shapely.orient_polygons(shape)
            conflicts.append(Conflict(a.keys[ia[k]], b.keys[ib[k]], area, shape))
    return conflicts


def find_conflicts(leases):
    """Every conflicting pair among leases (LeaseExtent or alike), in input order: validity
    periods overlap, boundaries share more than MIN_CONFLICT_AREA_M2 (a shared edge or corner
    does not count; containment does) and, where both give them, elevation ranges overlap."""
    leases = list(leases)
    if len(leases) < 2:
        return []
    columns = _Columns(leases)
    left, right = shapely.STRtree(columns.geometry).query(columns.geometry, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    order = np.lexsort((right, left))
    return _conflicts(columns, left[order], columns, right[order])


def conflicts_with(lease, others):
    """The conflicts of one lease against others (those with its own key skipped), each as
    Conflict(lease.key, other.key, ...), in the others' order: what a save shows at once."""
    others = [other for other in others if other.key != lease.key]
    if not others or lease.geometry is None:
        return []
    theirs = _Columns(others)
    found = np.sort(shapely.STRtree(theirs.geometry).query(lease.geometry, predicate="intersects"))
    return _conflicts(_Columns([lease]), np.zeros(len(found), dtype=np.intp), theirs, found)


def dispute_problems(values):
    """Problems with a dispute's fields taken together: two different leases; a resolved dispute
    has its resolved_on date, no earlier than opened_on; an unresolved one has none."""
    problems = []
    if values.get("lease_a") and values.get("lease_a") == values.get("lease_b"):
        problems.append(Problem("lease_b", N_("must be another lease than lease_a."), {}))
    status, opened, resolved = (
        values.get("status"),
        values.get("opened_on"),
        values.get("resolved_on"),
    )
    if status == "resolved" and resolved is None:
        problems.append(Problem("resolved_on", N_("is required when the dispute is resolved."), {}))
    if status != "resolved" and resolved is not None:
        problems.append(
            Problem("resolved_on", N_("must be empty until the dispute is resolved."), {})
        )
    if opened and resolved and resolved < opened:
        problems.append(
            Problem(
                "resolved_on",
                N_("must not be before opened_on (%(opened_on)s)."),
                {"opened_on": opened.isoformat()},
            )
        )
    return problems
