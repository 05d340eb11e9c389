"""Mining leases with their boundaries, their overlaps, and boundary disputes between them
(docs/design.md "Leases")."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from coop.models import Dispute, Lease, Mine
from coop.models.base import related
from coop.registry import Domain, Kind, NavGroup, NavLink
from coop.schemas.leases import (
    DISPUTE_STATUS_LABELS,
    LEASE_STATE_LABELS,
    DisputeFilters,
    DisputeSchema,
    LeaseFilters,
    LeaseSchema,
)
from coop.services import leases
from coop.services.owners import ByLeases, ByMine

LEASES = Kind(
    name="leases",
    list_page="leases.leases",
    page="leases.lease",
    label=_l("Leases"),
    model=Lease,
    key="permit_no",
    # Every member sees where the others' plans lie: "mine plans don't overlap".
    read_all=True,
    owner=ByMine(),
    schema=LeaseSchema,
    save=leases.save_lease,
    check=leases.check_lease,
    filters=LeaseFilters,
    filter=leases.filter_leases,
    order_by=(Lease.permit_no,),
    sorts={
        "permit_no": Lease.permit_no,
        "mine_code": related(Mine.code, Lease.mine_id),
        "valid_from": Lease.valid_from,
        "valid_to": Lease.valid_to,
        "area_m2": Lease.area_m2,
    },
    # A lease's state needs its mine's other leases.
    options=(
        selectinload(Lease.mine).selectinload(Mine.leases),
        selectinload(Lease.mine).joinedload(Mine.enterprise),
    ),
    geometry_field="boundary",
    api_routes="coop.views.leases:api_routes",
    reserved=("conflicts", "attention"),
)

DISPUTES = Kind(
    name="disputes",
    list_page="leases.disputes",
    page="leases.dispute",
    label=_l("Disputes"),
    model=Dispute,
    key="ref",
    owner=ByLeases(),
    schema=DisputeSchema,
    save=leases.save_dispute,
    check=leases.check_dispute,
    filters=DisputeFilters,
    filter=leases.filter_disputes,
    order_by=(Dispute.opened_on.desc(), Dispute.ref),
    sorts={
        "ref": Dispute.ref,
        "opened_on": Dispute.opened_on,
        "status": Dispute.status,
        "resolved_on": Dispute.resolved_on,
    },
    options=(joinedload(Dispute.first_lease), joinedload(Dispute.second_lease)),
)

DOMAIN = Domain(
    name="leases",
    does=_l(
        "Record mining leases with their boundaries on a map, find overlapping leases "
        "and follow boundary disputes."
    ),
    kinds=(LEASES, DISPUTES),
    blueprints=("coop.views.leases:bp", "coop.views.maps:bp"),
    menu=(
        NavGroup(
            _l("Land"),
            ("leases.", "maps."),
            (
                NavLink(_l("Leases"), "leases.leases"),
                NavLink(_l("Conflicts"), "leases.conflicts"),
                NavLink(_l("Ending and expired"), "leases.attention"),
                NavLink(_l("Disputes"), "leases.disputes"),
                NavLink(_l("Map"), "maps.map"),
            ),
        ),
    ),
    start="coop.views.leases:start_sections",
    labels={"dispute_status": DISPUTE_STATUS_LABELS, "lease_state": LEASE_STATE_LABELS},
    demo="coop.demo.leases:load",
)
