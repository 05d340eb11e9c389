"""Creating and changing leases and disputes, and the overlap scan over the association's leases.
Flush, never commit: the caller commits."""

from flask import current_app
from flask_babel import gettext as _

from coop import clock, policy
from coop.domain import leases as rules
from coop.extensions import db
from coop.models import Dispute, Enterprise, Lease, Mine
from coop.schemas.leases import DisputeSchema, LeaseSchema
from coop.services.errors import RecordInvalid
from coop.services.members import take_mine
from coop.services.records import apply, check_unique, merged, raise_problems, text_search
from coop.services.refs import save_new


def lease_by_permit(permit_no):
    return db.session.execute(db.select(Lease).filter_by(permit_no=permit_no)).scalar_one_or_none()


def _boundary_values(values, lease):
    """Read the boundary in its CRS: the stored GeoJSON (lon/lat), its CRS and its area."""
    if "boundary" not in values:
        if "crs" in values and lease is not None:
            from coop.domain.crs import stored_crs

            if stored_crs(_checked_crs(values["crs"])) != lease.crs:
                raise RecordInvalid(
                    {"crs": _("give the boundary in the new CRS together with it.")}
                )
            values["crs"] = lease.crs
        return values
    from coop.domain.boundaries import parse_boundary

    crs = values.get("crs") or (lease.crs if lease is not None else rules.DEFAULT_CRS)
    try:
        boundary = parse_boundary(values["boundary"], crs)
    except rules.BoundaryInvalid as error:
        raise_problems(error.problems)
    if lease is None or boundary.geojson != lease.boundary:
        # Kept as entered, for its page; a form saved again with the stored GeoJSON unchanged
        # keeps the permit's table.
        values.update(boundary_as_entered=values["boundary"], crs_as_entered=_checked_crs(crs))
    values.update(boundary=boundary.geojson, crs=boundary.crs, area_m2=boundary.area_m2)
    return values


def _checked_crs(crs):
    from coop.domain.crs import normalise_crs

    try:
        return normalise_crs(crs)
    except rules.BoundaryInvalid as error:
        raise_problems(error.problems)


def check_lease(values, lease=None, boundary=True):
    """The lease rules on values over the lease's (LEASES.check), and the boundary's when
    values give one (boundary False: save_lease reads it itself, once)."""
    problems = rules.lease_problems(merged(lease, values, LeaseSchema.columns()))
    if boundary and values.get("boundary"):
        from coop.domain.boundaries import parse_boundary

        crs = values.get("crs") or (lease.crs if lease is not None else rules.DEFAULT_CRS)
        try:
            parse_boundary(values["boundary"], crs)
        except rules.BoundaryInvalid as error:
            problems = [*problems, *error.problems]
    return problems


def check_dispute(values, dispute=None):
    """The dispute rules on values over the dispute's (DISPUTES.check)."""
    return rules.dispute_problems(merged(dispute, values, DisputeSchema.columns()))


def save_lease(values, lease=None):
    """Create a lease (lease None) or change one; mine_code names its mine. A lease may conflict
    with others (the land is what it is): lease_conflicts() tells which."""
    values = dict(values)
    if "permit_no" in values:
        check_unique(Lease, "permit_no", values["permit_no"], lease)
    take_mine(values)
    raise_problems(check_lease(values, lease, boundary=False))
    values = _boundary_values(values, lease)
    return apply(lease or Lease(), values)


def all_leases():
    return db.session.execute(db.select(Lease).order_by(Lease.permit_no)).scalars().all()


def all_conflicts(leases=None):
    """Every conflicting pair of the association's leases (coop.domain.overlap.Conflict, keyed by
    permit_no), in permit order."""
    from coop.domain.overlap import find_conflicts

    leases = all_leases() if leases is None else leases
    return find_conflicts([lease.extent() for lease in leases])


def lease_conflicts(lease):
    """The conflicts of one lease with every other lease of the association."""
    from coop.domain.overlap import conflicts_with

    others = db.session.execute(db.select(Lease).where(Lease.id != lease.id)).scalars().all()
    return conflicts_with(lease.extent(), [other.extent() for other in others])


def conflict_between(lease, other):
    """The conflict of two leases (coop.domain.overlap.Conflict, a and b in permit order), or
    None when they do not conflict."""
    from coop.domain.overlap import conflicts_with

    first, second = sorted((lease, other), key=lambda record: record.permit_no)
    found = conflicts_with(first.extent(), [second.extent()])
    return found[0] if found else None


def open_dispute(conflict, description):
    """A dispute opened today between the two leases of a conflict, open, its ref generated."""
    return save_dispute(
        {
            "opened_on": clock.today(),
            "lease_a": conflict.a,
            "lease_b": conflict.b,
            "description": description,
            "status": "open",
        }
    )


def conflicts_by_permit(conflicts):
    """{permit_no: [(other permit_no, Conflict), ...]} for every lease in a conflict."""
    found = {}
    for conflict in conflicts:
        found.setdefault(conflict.a, []).append((conflict.b, conflict))
        found.setdefault(conflict.b, []).append((conflict.a, conflict))
    return found


def ending_within():
    """How many days before its last day a lease in force is ending (the setting
    LEASE_EXPIRY_WARNING_DAYS; docs/design.md's compliance rule lease_valid, amber)."""
    return current_app.config["LEASE_EXPIRY_WARNING_DAYS"]


def state_of(lease, day=None):
    """A lease's state on day (default: the association's today), as every page, the map and
    the API show it: coop.domain.leases.lease_state."""
    return lease.state(day or clock.today(), ending_within())


def leases_ending(today):
    """Leases ending on today (in force, their last day within ending_within() days, and no
    later lease of the mine recorded), soonest first."""
    state = Lease.state_on(today, ending_within())
    return (
        db.session.execute(
            db.select(Lease).where(state == rules.ENDING).order_by(Lease.valid_to, Lease.permit_no)
        )
        .scalars()
        .all()
    )


def expired_leases(today):
    """Leases of mines not closed that have expired and that no later lease of the same mine
    follows (a mine working on an expired permit), latest first."""
    return (
        db.session.execute(
            db.select(Lease)
            .join(Lease.mine)
            .where(
                Lease.state_on(today, ending_within()) == rules.EXPIRED,
                ~Lease.renewed_sql(),
                Mine.status != "closed",
            )
            .order_by(Lease.valid_to.desc(), Lease.permit_no)
        )
        .scalars()
        .all()
    )


def save_dispute(values, dispute=None):
    """Create a dispute (dispute None) or change one; lease_a and lease_b are permit numbers."""
    values = dict(values)
    if "ref" in values:
        check_unique(Dispute, "ref", values["ref"], dispute)
    raise_problems(check_dispute(values, dispute))
    for field, column in (("lease_a", "first_lease_id"), ("lease_b", "second_lease_id")):
        if field in values:
            permit = values.pop(field)
            lease = lease_by_permit(permit)
            if lease is None:
                raise RecordInvalid(
                    {field: _("no lease has permit number %(permit)s.", permit=permit)}
                )
            values[column] = lease.id
    if dispute is None:
        return save_new(DisputeSchema, Dispute, values)
    return apply(dispute, values)


def readable_disputes(user, leases):
    """The disputes of leases that user may read: an operator sees only those involving their
    own enterprise, even on the pages of other enterprises' leases."""
    from coop import registry

    kind = registry.kind("disputes")
    return [
        dispute
        for dispute in disputes_of(leases)
        if policy.can_read(user, kind, kind.owner.of(dispute))
    ]


def disputes_of(leases):
    """The disputes in which any of leases is one side, newest first."""
    ids = [lease.id for lease in leases]
    if not ids:
        return []
    return (
        db.session.execute(
            db.select(Dispute)
            .where(db.or_(Dispute.first_lease_id.in_(ids), Dispute.second_lease_id.in_(ids)))
            .order_by(Dispute.opened_on.desc(), Dispute.ref)
        )
        .scalars()
        .all()
    )


# --- list filters (LeaseFilters, DisputeFilters) -------------------------------------------


def filter_leases(query, args):
    query = text_search(query, Lease, ("permit_no",), args.get("q"))
    if args.get("mine_code"):
        query = query.where(Lease.mine.has(Mine.code == args["mine_code"]))
    if args.get("enterprise_code"):
        query = query.where(
            Lease.mine.has(Mine.enterprise.has(Enterprise.code == args["enterprise_code"]))
        )
    # from/to: valid at some time in the period
    query = query.where(Lease.valid_during(args.get("from_"), args.get("to")))
    if args.get("state"):
        state = Lease.state_on(clock.today(), ending_within())
        wanted = rules.IN_FORCE if args["state"] == "current" else (args["state"],)
        query = query.where(state.in_(wanted))
    return query


def _dispute_leases(condition):
    """Disputes with a lease on either side that meets condition (on Lease and its Mine)."""
    ids = db.select(Lease.id).join(Lease.mine).where(condition)
    return db.or_(Dispute.first_lease_id.in_(ids), Dispute.second_lease_id.in_(ids))


def filter_disputes(query, args):
    query = text_search(query, Dispute, ("ref", "description", "resolution"), args.get("q"))
    if args.get("mine_code"):
        query = query.where(_dispute_leases(Mine.code == args["mine_code"]))
    if args.get("status"):
        query = query.where(Dispute.status == args["status"])
    # from/to: open at some time in the period
    if args.get("to"):
        query = query.where(Dispute.opened_on <= args["to"])
    if args.get("from_"):
        query = query.where(
            db.or_(Dispute.resolved_on.is_(None), Dispute.resolved_on >= args["from_"])
        )
    return query


def lease_options():
    """(permit_no, "permit_no (mine code)") of every lease, by permit number."""
    rows = db.session.execute(
        db.select(Lease.permit_no, Mine.code).join(Lease.mine).order_by(Lease.permit_no)
    ).all()
    return [(permit, f"{permit} ({mine})") for permit, mine in rows]
