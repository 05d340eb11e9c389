"""The association's map (docs/design.md "Leases": conflicts "are shown on the map"): every lease in
its enterprise's colour, overlaps in red, drawn by Leaflet from coop/static with no base layer, so
it works offline and asks no tile server for anything."""

import json
import math

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coop import clock
from coop.domain.leases import EXPIRED
from coop.extensions import db
from coop.formatting import day, in_days, number
from coop.models import Enterprise
from coop.services.leases import all_conflicts, all_leases, lease_by_permit, state_of
from coop.services.members import enterprise_by_code, enterprise_options, mine_by_code
from coop.views.leases import area_text

bp = Blueprint("maps", __name__)

# One fill per enterprise, in enterprise-code order: mostly Kelly's colours of maximum contrast,
# less the reds (red is kept for overlaps); any two differ by a CIELAB distance of at least 27.
# Beyond 16 enterprises the colours repeat.
PALETTE = (
    "#0067a5",  # strong blue
    "#f38400",  # orange
    "#008856",  # green
    "#875692",  # purple
    "#f3c300",  # yellow
    "#a1caf1",  # light blue
    "#c2b280",  # buff
    "#848482",  # grey
    "#e68fac",  # pink
    "#2323d0",  # ultramarine
    "#8db600",  # yellow green
    "#654522",  # brown
    "#2b3d26",  # dark olive
    "#f99379",  # salmon
    "#00a0a0",  # teal
    "#d100b4",  # magenta
)

# Leases whose bounds come this close to a focused lease are drawn beside it, fainter: a
# neighbour's overlap, or a gap between two leases, is then visible on a mine's or lease's map.
NEIGHBOUR_DISTANCE_M = 500
_M_PER_DEGREE_LAT = 111_320.0


@bp.before_request
@login_required
def signed_in():
    pass


@bp.app_template_global()
def lease_map_labels():
    """The words of a lease map (templates/_macros/map.html, static/js/map.js), translated, for
    the script to read from the map's data-labels; map.js fills in {permit}, {a} and {b}."""
    return {
        "region": _("Map of leases"),
        "noscript": _("The map needs JavaScript."),
        "lease": _("Lease %(permit)s", permit="{permit}"),
        "mine": _("Mine"),
        "enterprise": _("Enterprise"),
        "validity": _("Validity"),
        "days_to_expiry": _("Days to expiry"),
        "area": _("Area"),
        "open_lease": _("Open the lease page"),
        "overlaps": _("overlaps another lease"),
        "conflict": _("Overlap of %(a)s and %(b)s", a="{a}", b="{b}"),
        "area_in_common": _("Area in common"),
        "legend": _("Legend"),
        "legend_conflict": _("Overlap between leases"),
        "legend_neighbour": _("Neighbouring lease"),
        "legend_expired": _("Expired lease"),
        "empty": _("No leases to show."),
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "failed": _("The map could not be loaded."),
    }


def enterprise_colours():
    """{enterprise code: colour} for every enterprise, in code order, so that a colour does not
    change with the filter or with which enterprises hold leases."""
    codes = db.session.execute(db.select(Enterprise.code).order_by(Enterprise.code)).scalars()
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


def known_or_404(args):
    """The filter's enterprise, mine and lease codes (blank ones dropped); 404 for one that names
    no record."""
    found = {}
    for name, lookup in (
        ("enterprise_code", enterprise_by_code),
        ("mine_code", mine_by_code),
        ("permit_no", lease_by_permit),
    ):
        value = (args.get(name) or "").strip()
        if value:
            if lookup(value) is None:
                abort(404)
            found[name] = value
    return found


@bp.get("/map", endpoint="map")
def association_map():
    args = known_or_404({"enterprise_code": request.args.get("enterprise_code")})
    return render_template(
        "maps/map.html",
        args=args,
        enterprises=enterprise_options(),
        data_url=url_for(".leases_geojson", **args),
    )


def selected(lease, filters):
    return (
        filters.get("enterprise_code") in (None, lease.mine.enterprise.code)
        and filters.get("mine_code") in (None, lease.mine.code)
        and filters.get("permit_no") in (None, lease.permit_no)
    )


def padded_bounds(geometry, metres):
    """geometry's lon/lat bounding box grown by about metres on every side."""
    import shapely

    west, south, east, north = geometry.bounds
    dlat = metres / _M_PER_DEGREE_LAT
    widest = max(abs(south), abs(north)) + dlat
    dlon = metres / (_M_PER_DEGREE_LAT * max(math.cos(math.radians(min(widest, 89.0))), 1e-6))
    return shapely.box(west - dlon, south - dlat, east + dlon, north + dlat)


def neighbours(focused, others, metres=NEIGHBOUR_DISTANCE_M):
    """The leases of others whose bounding boxes come within about metres of a focused lease's."""
    if not focused or not others:
        return []
    import shapely

    tree = shapely.STRtree([shapely.box(*lease.geometry.bounds) for lease in others])
    near = tree.query([padded_bounds(lease.geometry, metres) for lease in focused], "intersects")
    return [others[i] for i in sorted(set(near[1].tolist()))]


def lease_feature(lease, focus, colours, conflicting, today):
    mine, enterprise = lease.mine, lease.mine.enterprise
    days = lease.days_to_expiry(today)
    state = state_of(lease, today)
    return {
        "type": "Feature",
        "id": f"lease:{lease.permit_no}",
        "geometry": json.loads(lease.boundary),
        "properties": {
            "kind": "lease",
            "permit_no": lease.permit_no,
            "mine_code": mine.code,
            "mine_name": mine.name,
            "enterprise_code": enterprise.code,
            "enterprise_name": enterprise.name,
            "valid_from": lease.valid_from.isoformat(),
            "valid_to": lease.valid_to.isoformat(),
            "days_to_expiry": days,
            "state": state,
            "expired": state == EXPIRED,
            "area_m2": round(lease.area_m2, 1),
            "area_mu": round(lease.area_mu, 2),
            "area_ha": round(lease.area_ha, 4),
            "colour": colours.get(enterprise.code, PALETTE[0]),
            "url": url_for("leases.lease", permit_no=lease.permit_no),
            "conflicting": lease.permit_no in conflicting,
            "focus": focus,
            # What the popup shows, formatted as the lease's page formats it (coop.formatting).
            "text": {
                "validity": f"{day(lease.valid_from)} – {day(lease.valid_to)}",
                "days_to_expiry": number(days),
                "expired": _("expired %(when)s", when=in_days(days)),
                "area": area_text(lease.area_m2),
            },
        },
    }


def conflict_feature(conflict):
    from shapely.geometry import mapping

    return {
        "type": "Feature",
        "id": f"conflict:{conflict.a}:{conflict.b}",
        "geometry": mapping(conflict.intersection),
        "properties": {
            "kind": "conflict",
            "lease_a": conflict.a,
            "lease_b": conflict.b,
            "intersection_m2": round(conflict.area_m2, 1),
            "intersection_mu": round(conflict.area_mu, 2),
            "text": {"area": area_text(conflict.area_m2, ("m2", "mu"))},
        },
    }


@bp.get("/map/leases.geojson")
def leases_geojson():
    """What map.js draws. With no filter: every lease and every conflict. With enterprise_code,
    mine_code or permit_no (together: all must hold): those leases (focus true), the other leases
    within NEIGHBOUR_DISTANCE_M of them (focus false), and the conflicts of the focused leases."""
    filters = known_or_404(request.args)
    leases = all_leases()
    conflicts = all_conflicts(leases)
    conflicting = {permit for c in conflicts for permit in (c.a, c.b)}
    if filters:
        focused = [lease for lease in leases if selected(lease, filters)]
        others = [lease for lease in leases if not selected(lease, filters)]
        shown = {lease.permit_no for lease in focused}
        conflicts = [c for c in conflicts if c.a in shown or c.b in shown]
        drawn = [(lease, True) for lease in focused]
        drawn += [(lease, False) for lease in neighbours(focused, others)]
        drawn.sort(key=lambda pair: pair[0].permit_no)
    else:
        drawn = [(lease, True) for lease in leases]
    colours, today = enterprise_colours(), clock.today()
    features = [lease_feature(lease, focus, colours, conflicting, today) for lease, focus in drawn]
    features += [conflict_feature(conflict) for conflict in conflicts]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return current_app.response_class(body, mimetype="application/geo+json")
