"""Rules of leases and disputes (docs/design.md "Leases") that need no geometry: a lease's state on
a day, whether periods overlap, its area in the other units, and the checks of its fields taken
together. Pure: no Flask, no database, and light to import. The geometry is elsewhere: coordinate
systems in coop.domain.crs, reading and measuring a boundary in coop.domain.boundaries (the text
forms in coop.domain.boundary_text), and the overlap rule in coop.domain.overlap."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from coop.domain.problems import N_, Problem

#: The CRS of a boundary that names none: lon/lat WGS84.
DEFAULT_CRS = "EPSG:4326"

M2_PER_MU = 10000 / 15
M2_PER_HA = 10000
#: Leases conflict when their boundaries share more than this; less is a shared edge or a corner
#: touch, or floating-point dust along one.
MIN_CONFLICT_AREA_M2 = 1.0

#: A lease in force whose last day is at most this many days away is ending (docs/design.md,
#: compliance rule lease_valid: amber); the setting LEASE_EXPIRY_WARNING_DAYS overrides it.
ENDING_WITHIN_DAYS = 90

# A lease's state on a day (lease_state).
VALID = "valid"
ENDING = "ending"
EXPIRED = "expired"
NOT_YET_VALID = "not_yet_valid"
RENEWED = "renewed"
LEASE_STATES = (VALID, ENDING, EXPIRED, NOT_YET_VALID, RENEWED)
#: The states of a lease in force on the day (the list filter "current").
IN_FORCE = (VALID, ENDING, RENEWED)


class BoundaryInvalid(ValueError):
    """A boundary or its CRS was refused; `problems` are coop.domain Problems (field `boundary`
    or `crs`) for the service layer to translate and show; suggested_crs, the CRS the corners
    seem to be in when it is another than the one they were given in (coop.domain.crs.guess_crs),
    else None."""

    suggested_crs = None

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            "; ".join(p.message % p.params if p.params else p.message for p in self.problems)
        )


BOUNDARY = "boundary"


def boundary_problem(message, **params):
    """A Problem of the boundary field."""
    return Problem(BOUNDARY, message, params)


def boundary_invalid(message, **params):
    """BoundaryInvalid with one problem of the boundary field."""
    return BoundaryInvalid([boundary_problem(message, **params)])


# --- state on a day ------------------------------------------------------------------------


def days_to_expiry(valid_to, today):
    """Days from today to the lease's last valid day: 0 on that day, negative once expired."""
    return (valid_to - today).days


def is_renewed(valid_to, later_ends):
    """Whether a lease ending on valid_to is followed by another lease of its mine: one of
    later_ends (the last days of the mine's other leases) is after it."""
    return any(end > valid_to for end in later_ends)


def lease_state(valid_from, valid_to, day, renewed=False, ending_within=ENDING_WITHIN_DAYS):
    """A lease's state on day, one of LEASE_STATES:

    - not_yet_valid before valid_from, expired after valid_to (both days are in force);
    - in force: renewed when a later lease of the same mine follows it (is_renewed), so that its
      end is no concern; ending when its last day is at most ending_within days away (on its
      last day 0 days are left); valid otherwise."""
    if day < valid_from:
        return NOT_YET_VALID
    if day > valid_to:
        return EXPIRED
    if renewed:
        return RENEWED
    if days_to_expiry(valid_to, day) <= ending_within:
        return ENDING
    return VALID


# --- areas -----------------------------------------------------------------------------------


class Period(NamedTuple):
    """A period as the leases' rules take it (a list filter's from and to): days, inclusive;
    None is open-ended."""

    valid_from: date | None
    valid_to: date | None


def periods_overlap(a, b):
    """Whether two validity periods (leases, or a lease and a Period) share a day (ends
    inclusive, None open-ended)."""
    return (a.valid_from is None or b.valid_to is None or a.valid_from <= b.valid_to) and (
        b.valid_from is None or a.valid_to is None or b.valid_from <= a.valid_to
    )


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


# --- checks of fields taken together ---------------------------------------------------------


def lease_problems(values):
    """Problems with a lease's fields taken together: valid_to not before valid_from, and the
    mining elevation range's bottom below its top."""
    problems = []
    start, end = values.get("valid_from"), values.get("valid_to")
    if start and end and end < start:
        problems.append(
            Problem(
                "valid_to",
                N_("must not be before the start date (%(valid_from)s)."),
                {"valid_from": start.isoformat()},
            )
        )
    top, bottom = values.get("elevation_top_m"), values.get("elevation_bottom_m")
    if top is not None and bottom is not None and not bottom < top:
        problems.append(
            Problem(
                "elevation_bottom_m",
                N_("must be below the top elevation (%(elevation_top_m)s m)."),
                {"elevation_top_m": top},
            )
        )
    return problems


def dispute_problems(values):
    """Problems with a dispute's fields taken together: two different leases; a resolved dispute
    has its resolved_on date, no earlier than opened_on; an unresolved one has none."""
    problems = []
    if values.get("lease_a") and values.get("lease_a") == values.get("lease_b"):
        problems.append(Problem("lease_b", N_("must be another lease than lease A."), {}))
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
                N_("must not be before the opening date (%(opened_on)s)."),
                {"opened_on": opened.isoformat()},
            )
        )
    return problems
