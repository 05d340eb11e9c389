"""Monthly production and assay samples of the mines, and the assay summary with recovery by
both methods (docs/design.md "Production and assays")."""

from flask_babel import lazy_gettext as _l

from coop.models import Production, Sample
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
    label=_l("Samples"),
    model=Sample,
    key="sample_code",
    operator_writes=True,
    owner=ByMine(),
    schema=SampleSchema,
    save=production.save_sample,
    filters=SampleFilters,
    filter=production.filter_samples,
    order_by=(Sample.sampled_on.desc(), Sample.sample_code),
    bulk_import="coop.services.bulk:import_samples",
)

PRODUCTION = Kind(
    name="production",
    label=_l("Production"),
    model=Production,
    key="key",
    key_fields=("mine_code", "month"),
    find=production.production_of,
    operator_writes=True,
    owner=ByMine(),
    schema=ProductionSchema,
    save=production.save_production,
    filters=ProductionFilters,
    filter=production.filter_production,
    order_by=(Production.month.desc(), Production.mine_id),
    title=production.production_title,
    reserved=("totals",),
)

DOMAIN = Domain(
    name="production",
    kinds=(SAMPLES, PRODUCTION),
    blueprints=("coop.views.production:bp", "coop.views.assays:bp"),
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
