"""A lease boundary checked and measured (docs/design.md "Leases"): `parse_boundary(text, crs)`
reads it (coop.domain.boundary_text), takes its corners to lon/lat (coop.domain.crs), and checks it:
each problem is refused with a Problem that names it (an unreadable line, a malformed GeoJSON
position or WKT token; a non-finite number; a corner outside the CRS's area of use, or a zone prefix
that does not fit; a ring with fewer than 3 distinct corners, a corner repeated, or corners on one
line; a boundary that crosses itself, the two edges named by their corners, or is otherwise
invalid). A ring that is not closed is closed; ring orientation does not matter. A ring of a table
inside another ring of it is a hole of it (even-odd nesting), otherwise another part of a
MultiPolygon. A table, GeoJSON or WKT whose axes are plainly the other way round is refused with a
message that says so, never swapped silently.

Storing. The result is always lon/lat: EPSG:4490 (CGCS2000) for EPSG:4490 and the Gauss-Kruger
zones, EPSG:4326 (WGS84) for EPSG:4326 input, rounded to 1e-9 degree (about 0.1 mm), exterior
rings counter-clockwise; a Gauss-Kruger boundary gets a corner every DENSIFY_M (100 m) along its
edges, which are straight on the projection plane, not in lon/lat. `Boundary.crs` states the CRS
of the stored coordinates, so storing `(boundary.geojson, boundary.crs)` and reading them back
gives the same boundary. CGCS2000 and WGS84 (its current realisations) agree within a few
centimetres, so the overlap rules compare leases stored in either as if they were in one CRS.

Area: geodesic, on the GRS80 ellipsoid (CGCS2000's), holes subtracted, parts added.

Pure: no Flask, no database. numpy, shapely and pyproj are imported with this module, which the
app imports only where a boundary is read, measured or compared."""

import json
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, mapping

from coop.domain.boundary_text import read
from coop.domain.crs import (
    checked_lonlat,
    gauss_kruger_zone,
    gk_to_lonlat,
    guess_crs,
    guessed_problem,
    normalise_crs,
    stored_crs,
)
from coop.domain.leases import (
    DEFAULT_CRS,
    MIN_CONFLICT_AREA_M2,
    BoundaryInvalid,
    area_ha,
    area_km2,
    area_mu,
)
from coop.domain.leases import boundary_invalid as _invalid
from coop.domain.leases import boundary_problem as _problem
from coop.domain.problems import N_

#: Gauss-Kruger edges are straight in the projection plane, not in lon/lat (a 1 km east-west edge
#: bows by about 1 cm): they are stored with a corner at least every DENSIFY_M metres, which keeps
#: them within 0.2 mm of the plane's straight line, so that leases sharing an edge in one zone stay
#: apart by far less than MIN_CONFLICT_AREA_M2 even where one's corner lies along the other's edge.
DENSIFY_M = 100.0
#: Stored lon/lat are rounded to this many decimals of a degree (1e-9 degree is about 0.1 mm).
COORDINATE_DECIMALS = 9

GEOD = Geod(ellps="GRS80")  # CGCS2000's ellipsoid; WGS84's semi-minor axis is 0.1 mm longer

_REASON = re.compile(r"(.*?)\[(\S+) (\S+)\]")


# --- area ------------------------------------------------------------------------------------


def polygons_of(geometry):
    """The polygons of a geometry (lines and points of a collection dropped)."""
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type == "Polygon":
        return [geometry]
    if geometry.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in geometry.geoms for p in polygons_of(part)]
    return []


def geodesic_area_m2(geometry):
    """Area on the GRS80 ellipsoid in m2 of a lon/lat (Multi)Polygon, whatever its rings'
    orientation: holes subtract, parts add. (Geod's own geometry_area_perimeter is signed and adds
    holes' signed areas, so it is right only for rings oriented opposite to their shells.)"""
    total = 0.0
    for polygon in polygons_of(geometry):
        total += abs(GEOD.polygon_area_perimeter(*polygon.exterior.xy)[0])
        for hole in polygon.interiors:
            total -= abs(GEOD.polygon_area_perimeter(*hole.xy)[0])
    return total


# --- boundaries --------------------------------------------------------------------------------


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


def corner_count(text):
    """How many corners a stored boundary has: every ring's vertices, its closing repeat not
    counted (a square has 4), over all the polygons of a multipolygon."""
    polygons = shapely.get_parts(load_geometry(text))
    rings = len(polygons) + int(shapely.get_num_interior_rings(polygons).sum())
    return int(shapely.get_num_coordinates(polygons).sum()) - rings


class CornerTable(NamedTuple):
    """A lease's corners as its permit prints them: in crs, by ring, each corner (point number,
    first, second): X (the northing) then Y (the easting) in a Gauss-Kruger CRS, else longitude
    then latitude. computed: read from the stored boundary, not from the text as entered."""

    crs: str
    gauss_kruger: bool
    rings: list
    computed: bool = False


def corner_table(entered, entered_crs, stored, stored_crs):
    """The corners of a lease as its permit prints them (CornerTable), from the boundary's text
    as entered in entered_crs; for a lease saved before that was kept, from its stored boundary
    (GeoJSON text in stored_crs) when the stored corners are the entered ones (a boundary
    stored in WGS84 was entered in WGS84, whose corners are kept as given); else None: the CRS
    it was entered in is unknown (CGCS2000 lon/lat or one of its zones, whose edges were
    given a corner every DENSIFY_M)."""
    if entered:
        code = normalise_crs(entered_crs)
        gauss_kruger = gauss_kruger_zone(code) is not None
        parsed = read(entered, not gauss_kruger)
        rings = [
            [
                (c.label, c.y, c.x) if gauss_kruger else (c.label, c.x, c.y)
                for c in _without_closing(ring)
            ]
            for polygon in parsed.polygons
            for ring in polygon
        ]
        return CornerTable(code, gauss_kruger, rings)
    if stored and stored_crs == "EPSG:4326":
        rings = [
            [(str(k), x, y) for k, (x, y) in enumerate(ring.coords[:-1], 1)]
            for polygon in polygons_of(load_geometry(stored))
            for ring in (polygon.exterior, *polygon.interiors)
        ]
        return CornerTable(stored_crs, False, rings, computed=True)
    return None


def _without_closing(ring):
    """A ring's corners without the last when it repeats the first (GeoJSON and WKT close their
    rings)."""
    if len(ring) > 1 and (ring[0].x, ring[0].y) == (ring[-1].x, ring[-1].y):
        return ring[:-1]
    return ring


class _Ring(NamedTuple):
    labels: list  # one a corner, without the closing repeat
    coords: np.ndarray  # (n, 2) lon/lat, without the closing repeat
    source: np.ndarray  # (n, 2) the same corners as given: easting or lon, northing or lat


def parse_boundary(text, crs=DEFAULT_CRS):
    """Read, check and measure a boundary given as GeoJSON, WKT or a corner table in `crs`.
    Returns a Boundary in lon/lat; raises BoundaryInvalid naming the problem."""
    code = normalise_crs(crs)
    if text is None or not str(text).strip():
        raise _invalid(N_("is required."))
    parsed = read(str(text), gauss_kruger_zone(code) is None)
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
    try:
        lon, lat = checked_lonlat(xy, labels, code, parsed.kind)
    except BoundaryInvalid as error:
        raise _with_guess(error, xy, code, parsed.kind) from None
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


def _with_guess(error, xy, code, kind):
    """error, with the CRS the corners seem to be in (guess_crs) when it is another than code,
    or else the one error's problem suggests (a zone prefix that fits another zone), as
    error.suggested_crs; and a problem of the crs field that names a guess no problem names."""
    geographic_table = kind == "table" and gauss_kruger_zone(code) is None
    # The columns as given: a table read for a Gauss-Kruger CRS holds Y (easting) first.
    if kind != "table" or geographic_table:
        first, second = xy[:, 0], xy[:, 1]
    else:
        first, second = xy[:, 1], xy[:, 0]
    named = [p.params["suggested"] for p in error.problems if p.params.get("suggested")]
    guessed = guess_crs(first, second, kind)
    if guessed == code:
        guessed = None
    problems = error.problems
    if guessed is not None and guessed not in named:
        problems = [*problems, guessed_problem(guessed)]
    suggested = guessed or (named[0] if named else None)
    if suggested is not None:
        problems = [problem._replace(suggested={"crs": suggested}) for problem in problems]
    found = BoundaryInvalid(problems)
    found.suggested_crs = suggested
    return found


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
    lon, lat = gk_to_lonlat(points[:, 1], points[:, 0], code)
    return ring._replace(coords=np.round(np.column_stack([lon, lat]), COORDINATE_DECIMALS))


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
