"""The coordinate systems of lease boundaries (docs/design.md "Leases"): lon/lat (EPSG:4326 WGS84,
EPSG:4490 CGCS2000) and CGCS2000's 3-degree Gauss-Kruger zones 25-45, with the zone number in
front of the easting (EPSG:4513-4533) or without it (EPSG:4534-4554); the transformations to
lon/lat, and the check that corners lie in a CRS's area of use, with the message that says what
is wrong (a missing or wrong zone prefix, swapped axes). PROJ's data ships with pyproj: nothing
is fetched from the network."""

import re
from functools import lru_cache

import numpy as np
from pyproj import CRS, Transformer

from coop.domain.leases import DEFAULT_CRS, BoundaryInvalid
from coop.domain.leases import boundary_invalid as _invalid
from coop.domain.leases import boundary_problem as _problem
from coop.domain.problems import N_, Problem

GEOGRAPHIC_CRS = ("EPSG:4326", "EPSG:4490")
#: CGCS2000 3-degree Gauss-Kruger zones 25-45 (CM 75E-135E): with the zone prefix, then without.
GAUSS_KRUGER_CRS = tuple(f"EPSG:{number}" for number in range(4513, 4555))
ACCEPTED_CRS = GEOGRAPHIC_CRS + GAUSS_KRUGER_CRS

_MAX_NAMED_CORNERS = 5
_CRS_ALIASES = {"CRS84": "EPSG:4326", "OGC:CRS84": "EPSG:4326", "WGS84": "EPSG:4326"}
_CRS_TEXT = re.compile(r"(?:urn:ogc:def:crs:)?(?:EPSG\s*:+\s*)?(\d{4,5})", re.IGNORECASE)


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


def crs_label(crs):
    """What a person reads for an accepted CRS, as (English message marked N_, params) for the
    caller to translate: "CGCS2000 3-degree Gauss-Kruger zone 36", "... CM 108°E" for a zone
    without the prefix (PROJ's names, "CGCS2000 / 3-degree Gauss-Kruger zone 36", in words that
    translate)."""
    code = normalise_crs(crs)
    if code == "EPSG:4326":
        return N_("WGS 84, longitude and latitude"), {}
    if code == "EPSG:4490":
        return N_("CGCS2000, longitude and latitude"), {}
    zone, meridian, prefixed = gauss_kruger_zone(code)
    if prefixed:
        return N_("CGCS2000 3-degree Gauss-Kruger zone %(zone)s"), {"zone": zone}
    return N_("CGCS2000 3-degree Gauss-Kruger CM %(meridian)s°E"), {"meridian": meridian}


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
    """The transformer from a CRS (x easting, y northing) to CGCS2000 lon/lat."""
    return Transformer.from_crs(code, "EPSG:4490", always_xy=True)


@lru_cache(maxsize=64)
def _from_lonlat(code):
    return Transformer.from_crs("EPSG:4490", code, always_xy=True)


@lru_cache(maxsize=64)
def area_of_use(code):
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


# --- which CRS corners seem to be in ----------------------------------------------------------


def guess_crs(first, second, kind="table"):
    """The CRS that corners seem to be given in, judged from their numbers alone, or None.

    first and second are the corners' two columns as given: in a corner table X (the northing)
    then Y (the easting) of a Gauss-Kruger CRS, or longitude then latitude; in GeoJSON and WKT
    (kind "geojson" or "wkt") the easting or longitude first. Eastings of 25,xxx,xxx to
    45,xxx,xxx carry the number of a CGCS2000 3-degree zone in front: when every corner has the
    same one and lies in that zone's area, they are that zone with the prefix (EPSG:4488 +
    zone). Otherwise, corners that all lie in CGCS2000's area as longitude and latitude are
    CGCS2000 lon/lat (EPSG:4490; WGS84 agrees with it within centimetres, and a Chinese permit
    states CGCS2000). Eastings without a prefix fit every zone, so they name none."""
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if not len(first) or not (np.isfinite(first).all() and np.isfinite(second).all()):
        return None
    northing, easting = (first, second) if kind == "table" else (second, first)
    zones = np.unique(np.floor(easting / 1e6))
    if len(zones) == 1 and 25 <= zones[0] <= 45:
        code = f"EPSG:{4488 + int(zones[0])}"
        if not _lonlat(easting, northing, code)[2].any():
            return code
    if not _lonlat(first, second, "EPSG:4490")[2].any():
        return "EPSG:4490"
    return None


def guessed_problem(code):
    """The Problem (field crs) that says which CRS corners seem to be in."""
    zone = gauss_kruger_zone(code)
    if zone is None:
        message = N_("these look like CGCS2000 longitude and latitude (%(crs)s) coordinates.")
    else:
        message = N_(
            "these look like CGCS2000 3-degree Gauss-Kruger zone %(zone)s (%(crs)s) coordinates."
        )
    return Problem("crs", message, {"crs": code, "zone": zone[0] if zone else None})


# --- corners in a CRS's area of use ----------------------------------------------------------


def _lonlat(x, y, code):
    """lon, lat of source coordinates and which are out of the CRS's range (prefix, area)."""
    zone = gauss_kruger_zone(code)
    if zone is None:
        lon, lat = np.array(x, dtype=float), np.array(y, dtype=float)
    else:
        lon, lat = gk_to_lonlat(y, x, code)
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    west, south, east, north = area_of_use(code)
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(lon) & np.isfinite(lat))
        bad |= (lon < west) | (lon > east) | (lat < south) | (lat > north)
        if zone is not None and zone[2]:
            bad |= np.floor(np.asarray(x) / 1e6) != zone[0]
    return lon, lat, bad


def checked_lonlat(xy, labels, code, kind):
    """The lon/lat of corners xy (easting or longitude, northing or latitude) given in code;
    BoundaryInvalid naming the corners outside the CRS's area of use (or with a zone prefix
    that does not fit it), or saying that the axes seem swapped (kind: how they were given,
    "table", "geojson" or "wkt")."""
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
    west, south, east, north = area_of_use(code)
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
