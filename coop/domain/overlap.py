"""The overlap rule between leases (docs/design.md "Overlap"): two leases conflict when their
validity periods overlap, their boundaries share more than MIN_CONFLICT_AREA_M2 (a shared edge or
corner is no conflict; one inside another is) and, where both give elevations, their elevation
ranges overlap. `find_conflicts` scans many leases at once with a shapely STRtree, `conflicts_with`
checks one against the others. Pure: no Flask, no database."""

import math
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import shapely
from shapely.geometry import MultiPolygon

from coop.domain.boundaries import geodesic_area_m2, polygons_of
from coop.domain.leases import MIN_CONFLICT_AREA_M2, area_mu, periods_overlap


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
    """Leases and their geometries as an array, for the STRtree and shapely's array functions."""

    def __init__(self, leases):
        self.leases = leases
        self.keys = [lease.key for lease in leases]
        self.geometry = np.empty(len(leases), dtype=object)
        self.geometry[:] = [lease.geometry for lease in leases]


# Upper bound of the ellipsoid's radii of curvature (N and M peak at the poles at a**2 / b =
# 6399593.6 m): a degree-squared area times this, squared, times cos(latitude) over-estimates a
# small polygon's area, so pairs under the threshold by it are surely under it.
_MAX_RADIUS_M = 6_400_000.0
_M_PER_DEGREE = _MAX_RADIUS_M * math.pi / 180


def _conflicts(a, ia, b, ib):
    """Conflicts among candidate pairs (a's lease ia[k], b's lease ib[k]) whose bounds meet: the
    pairs of periods_overlap and elevations_overlap, whose boundaries share more than
    MIN_CONFLICT_AREA_M2 (the geometry checked at once for all of them)."""
    keep = np.fromiter(
        (
            periods_overlap(a.leases[i], b.leases[j])
            and elevations_overlap(a.leases[i], b.leases[j])
            for i, j in zip(ia.tolist(), ib.tolist(), strict=True)
        ),
        dtype=bool,
        count=len(ia),
    )
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
            parts = polygons_of(shape)
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
