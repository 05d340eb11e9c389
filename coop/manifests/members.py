"""Member enterprises and their mines (docs/design.md "Members")."""

from flask_babel import lazy_gettext as _l

from coop.models import Enterprise, Mine
from coop.models.base import related
from coop.registry import Domain, Kind, NavGroup, NavLink
from coop.schemas.members import (
    MINE_STATUS_LABELS,
    MINING_METHOD_LABELS,
    PROCESSING_METHOD_LABELS,
    EnterpriseFilters,
    EnterpriseSchema,
    MineFilters,
    MineSchema,
)
from coop.services import members
from coop.services.owners import ByEnterprise, OwnEnterprise

ENTERPRISES = Kind(
    name="enterprises",
    page="members.enterprise",
    label=_l("Enterprises"),
    model=Enterprise,
    key="code",
    read_all=True,
    owner=OwnEnterprise(),
    schema=EnterpriseSchema,
    save=members.save_enterprise,
    check=members.check_enterprise,
    filters=EnterpriseFilters,
    filter=members.filter_enterprises,
    order_by=(Enterprise.code,),
    sorts={
        "code": Enterprise.code,
        "name": Enterprise.name,
        "legal_representative": Enterprise.legal_representative,
        "joined_on": Enterprise.joined_on,
        "left_on": Enterprise.left_on,
    },
)

MINES = Kind(
    name="mines",
    page="members.mine",
    label=_l("Mines"),
    model=Mine,
    key="code",
    read_all=True,
    owner=ByEnterprise(),
    schema=MineSchema,
    save=members.save_mine,
    check=members.check_mine,
    filters=MineFilters,
    filter=members.filter_mines,
    order_by=(Mine.code,),
    sorts={
        "code": Mine.code,
        "name": Mine.name,
        "enterprise_code": related(Enterprise.code, Mine.enterprise_id),
        "minerals": Mine.minerals,
        "mining_method": Mine.mining_method,
        "status": Mine.status,
    },
)

DOMAIN = Domain(
    name="members",
    does=_l("Keep the register of member enterprises and their mines."),
    kinds=(ENTERPRISES, MINES),
    blueprints=("coop.views.members:bp",),
    menu=(
        NavGroup(
            _l("Members"),
            ("members.",),
            (
                NavLink(_l("Enterprises"), "members.enterprises"),
                NavLink(_l("Mines"), "members.mines"),
            ),
        ),
    ),
    start="coop.views.members:start_sections",
    labels={
        "mine_status": MINE_STATUS_LABELS,
        "mining_method": MINING_METHOD_LABELS,
        "processing_method": PROCESSING_METHOD_LABELS,
    },
    demo="coop.demo.members:load",
)
