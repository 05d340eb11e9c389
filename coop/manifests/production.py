"""Monthly production and assay samples of the mines, and the assay summary with recovery by
both methods (docs/design.md "Production and assays")."""

from flask_babel import lazy_gettext as _l

from coop.models import Mine, Production, Sample
from coop.models.base import related
from coop.registry import Domain, Kind, NavGroup, NavLink
from coop.schemas.production import (
    SAMPLE_TYPE_LABELS,
    ProductionFilters,
    ProductionSchema,
    SampleFilters,
    SampleSchema,
)
from coop.services import production
from coop.services.owners import ByMine

SAMPLES = Kind(
    name="samples",
    list_page="production.samples",
    page="production.sample",
    label=_l("Samples"),
    model=Sample,
    key="sample_code",
    operator_writes=True,
    owner=ByMine(),
    schema=SampleSchema,
    save=production.save_sample,
    check=production.check_sample,
    filters=SampleFilters,
    filter=production.filter_samples,
    order_by=(Sample.sampled_on.desc(), Sample.sample_code),
    sorts={
        "sample_code": Sample.sample_code,
        "mine_code": related(Mine.code, Sample.mine_id),
        "sampled_on": Sample.sampled_on,
        "sample_type": Sample.sample_type,
        "zn_pct": Sample.zn_pct,
        "pb_pct": Sample.pb_pct,
        "lab": Sample.lab,
    },
    bulk_import="coop.services.bulk:import_samples",
)

PRODUCTION = Kind(
    name="production",
    list_page="production.production",
    label=_l("Production"),
    model=Production,
    key="key",
    key_fields=("mine_code", "month"),
    find=production.production_of,
    operator_writes=True,
    owner=ByMine(),
    schema=ProductionSchema,
    save=production.save_production,
    check=production.check_production,
    filters=ProductionFilters,
    filter=production.filter_production,
    order_by=(Production.month.desc(), Production.mine_id),
    sorts={
        "mine_code": related(Mine.code, Production.mine_id),
        "month": Production.month,
        "ore_mined_t": Production.ore_mined_t,
        "ore_processed_t": Production.ore_processed_t,
        "concentrate_t": Production.concentrate_t,
        "revenue_rmb": Production.revenue_rmb,
    },
    title=production.production_title,
    reserved=("totals",),
)

DOMAIN = Domain(
    name="production",
    does=_l(
        "Enter ore and tailings assays and monthly production, and report recovery rates "
        "by mine and for the association."
    ),
    kinds=(SAMPLES, PRODUCTION),
    blueprints=("coop.views.production:bp", "coop.views.assays:bp"),
    start="coop.views.production:start_sections",
    api=("coop.views.assays:api_blueprint",),
    menu=(
        NavGroup(
            _l("Production"),
            ("production.", "assays."),
            (
                NavLink(_l("Samples"), "production.samples"),
                NavLink(_l("Production"), "production.production"),
                NavLink(_l("Production totals"), "production.totals"),
                NavLink(_l("Assay summary"), "assays.summary"),
            ),
        ),
    ),
    labels={"sample_type": SAMPLE_TYPE_LABELS},
    demo="coop.demo.production:load",
)
