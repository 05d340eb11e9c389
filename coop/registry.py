"""The domains of coop and their record kinds, each declared once by its domain's manifest
(coop/manifests/<domain>.py) and registered in one place: the list DOMAINS in coop/__init__.py.

A Domain names what the rest of the app needs to know of it: its record kinds, the tables it
keeps that are no record kind, its blueprints, its entries in the navigation, what it puts on
the start page, its vocabularies (the labels of coded values) and its demo loader. A Kind is one
record type of docs/design.md: its model, natural key, owner and policy flags (read by
coop/policy.py), its label, its page and, for the kinds exchanged as JSON and table rows, its
schema, save function and list filters. From the kinds alone, the JSON API (coop/views/api.py),
the import and export pages (coop/views/data.py), the command line (coop/cli.py) and the audit
log (its labels, fields and links) work for every kind with no code of their own.

Blueprints, start-page sections, API routes, bulk importers and demo loaders are named by import
path ("coop.views.leases:bp"), resolved when the app is built: a manifest imports models,
schemas and services only, so that views may import their domain's kinds from it, and heavy
libraries (pandas for the demo and the importer) load only when used."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import import_module
from typing import Any

from coop.extensions import db
from coop.schemas.base import ListArgs, not_storable, sort_filter
from coop.services.owners import NO_OWNER, Owner

# Words that name pages beside the records of any kind (/mines/new, /data/mines/import): no
# natural key may be one of them, nor one of the words a kind adds (Kind.reserved).
RESERVED = ("new", "edit", "import", "export")


def resolve(path):
    """The object an import path names: "coop.views.leases:bp"."""
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class Kind:
    """One record type of docs/design.md."""

    name: str  # docs/design.md's KIND: enterprises, mines, ... (also the table's name)
    label: Any  # what a person reads (a lazy string)
    model: type
    key: str = "id"  # the natural key: code, permit_no, sample_code, ref, ...

    # --- who may read and write it (coop/policy.py decides from these) ---
    # Every signed-in role reads every record; else an operator reads only its enterprise's.
    read_all: bool = False
    # An operator creates and changes the records its enterprise owns.
    operator_writes: bool = False
    # Which enterprise a record, or a row of values, belongs to (coop/services/owners.py).
    owner: Owner = NO_OWNER

    # --- the exchange: JSON API, import and export (kinds with a schema and a save) ---
    schema: type | None = None
    save: Callable | None = None  # save(values, record=None) -> record; raises RecordInvalid
    # The list endpoints' and pages' filters: a schema of query arguments (ListArgs or a
    # subclass), and filter(select, args) -> select, applying the loaded arguments.
    filters: type | None = None
    filter: Callable | None = None
    order_by: tuple = ()
    # The columns a list may be sorted by ({name: SQL expression}, the names those of the
    # schema's fields): ?sort=name ascending, ?sort=-name descending, on the list page, in the
    # API and in an export alike (list_args and select; the kind's order_by breaks ties).
    sorts: dict = field(default_factory=dict, compare=False)
    # Loader options for lists and exports: the records each row shows, in a query or two.
    options: tuple = ()
    # A natural key of several fields (production: mine_code and month) is written as their
    # values joined by ":" (NJT-01A:2005-03); key then names the record's property giving it,
    # and find(*parts) looks a record up by the parts.
    key_fields: tuple = ()
    find: Callable | None = None
    # A kind addressed by a surrogate id (actions) names the fields an import matches existing
    # records by, and match(values) finds one.
    import_key: tuple = ()
    match: Callable | None = None
    # The field holding a GeoJSON geometry, for kinds that import and export GeoJSON too.
    geometry_field: str | None = None
    # "module:function": bulk_import(kind, frame, user) -> ImportSummary, for kinds imported in
    # large files; the importer hands it the whole table, its header checked (coop/tabular).
    bulk_import: str | None = None
    # "module:function": routes(blueprint) adds routes beyond list, get, create and update to
    # the kind's API blueprint (/api/v1/leases/conflicts).
    api_routes: str | None = None
    # Words that name pages or API routes beside the kind's records (/leases/conflicts).
    reserved: tuple = ()
    # How a person names a record, in their language: title(record) -> str (a meeting: "Monthly
    # meeting of Nov 13, 2026"); its natural key when None.
    title: Callable | None = None
    # check(values, record) -> [Problem]: the kind's rules across fields (coop.domain) on values
    # over the record's. save raises them; a form or an import row the schema refuses shows them
    # beside the schema's errors, so that every problem is said at once (records.every_problem).
    check: Callable | None = None
    # The endpoint of a record's own page, whose one URL argument takes the natural key
    # ("leases.lease": /leases/<permit_no>); None when the kind has no page of its own.
    page: str | None = None
    # The endpoint of the kind's list, which takes the kind's filters as its query
    # ("leases.leases"); a mine's page links to the lists of the kinds kept by mine.
    list_page: str | None = None

    @property
    def exchanged(self):
        """Whether the kind has the JSON API, import and export."""
        return self.schema is not None and self.save is not None

    @property
    def table(self):
        return self.model.__tablename__

    @property
    def columns(self):
        return self.schema.columns()

    @cached_property
    def list_args(self):
        """The schema of the list's query arguments: the kind's filters (ListArgs when it has
        none), and sort when it has sorts."""
        filters = self.filters or ListArgs
        if not self.sorts:
            return filters
        name = f"{self.model.__name__}ListArgs"
        return type(name, (filters,), {"sort": sort_filter(self.sorts)})

    def ordering(self, sort=None):
        """The ORDER BY of a list: by sort (a name of self.sorts, "-name" descending; empty
        values last either way), then by the kind's order_by."""
        if not sort:
            return self.order_by
        column = self.sorts[sort.removeprefix("-")]
        first = column.desc() if sort.startswith("-") else column.asc()
        return (first.nulls_last(), *self.order_by)

    def select(self, user, args=None):
        """The records user may read (user None: the command line, all), filtered and sorted
        by args (the list's arguments, loaded by self.list_args)."""
        from coop import policy

        args = args or {}
        query = db.select(self.model).options(*self.options)
        if self.filter is not None:
            query = self.filter(query, args)
        scope = policy.read_scope(user, self) if user is not None else None
        if scope is not None:
            query = self.owner.scope(query, self.model, scope)
        return query.order_by(*self.ordering(args.get("sort")))

    def key_of(self, values):
        """The natural key named by parsed values (None: left empty, to be generated)."""
        fields = self.key_fields or self.import_key
        if fields:
            return ":".join(str(values[name]) for name in fields)
        return values.get(self.key)

    @property
    def key_column(self):
        """The column an import names when a key is a duplicate: the last of a composite key."""
        fields = self.key_fields or self.import_key
        return fields[-1] if fields else self.key

    def existing(self, values):
        """The record an import row would update, or None."""
        return self.match(values) if self.match else self.get(self.key_of(values))

    def title_of(self, record):
        """What a page, a message or the audit log calls record."""
        return str(self.title(record)) if self.title else str(getattr(record, self.key))

    def title_of_key(self, key):
        """What the audit log calls the record of a natural key: its title while it exists, else
        the key."""
        record = self.get(key) if self.title else None
        return self.title_of(record) if record is not None else str(key)

    def url_of_key(self, key):
        """The address of the page of the record of a natural key, while that record exists;
        else None (and for a kind with no page)."""
        if self.page is None or self.get(key) is None:
            return None
        from flask import current_app, url_for

        (rule,) = current_app.url_map.iter_rules(self.page)
        (argument,) = rule.arguments
        return url_for(self.page, **{argument: key})

    def get(self, key):
        if isinstance(key, int) and not isinstance(key, bool):
            key = str(key)  # a surrogate id (actions)
        if not isinstance(key, str) or not_storable(key):
            return None  # no record has such a key (and PostgreSQL would refuse the query)
        if self.key_fields:
            parts = key.split(":")
            return self.find(*parts) if len(parts) == len(self.key_fields) else None
        if self.find is not None:
            return self.find(key)
        column = getattr(self.model, self.key)
        if column.type.python_type is int:  # a surrogate id (notices): digits within range
            if not key.isascii() or not key.isdigit() or int(key) >= 2**63:
                return None
            key = int(key)
        return db.session.execute(db.select(self.model).where(column == key)).scalar_one_or_none()


@dataclass(frozen=True)
class NavLink:
    """A link of the navigation bar; visible(user) -> bool decides who sees it (a coop/policy.py
    function; None: everyone signed in)."""

    label: Any
    endpoint: str
    visible: Callable | None = None
    prefixes: tuple = ()  # endpoints that mark the link active: its own, and those given

    def shown_to(self, user):
        return self.visible is None or self.visible(user)

    def active(self, endpoint):
        return endpoint == self.endpoint or endpoint.startswith(self.prefixes or ("\0",))


@dataclass(frozen=True)
class NavGroup:
    """A menu of the navigation bar: a title and its links."""

    label: Any
    prefixes: tuple  # endpoints that mark the menu active ("leases.", "maps.")
    links: tuple

    def shown_to(self, user):
        return any(link.shown_to(user) for link in self.links)

    def active(self, endpoint):
        return endpoint.startswith(self.prefixes)

    def for_user(self, user):
        return NavGroup(self.label, self.prefixes, tuple(x for x in self.links if x.shown_to(user)))


@dataclass(frozen=True)
class StartSection:
    """A part of a signed-in user's start page: a template and what it shows; sections are
    ordered by order (what needs doing first)."""

    order: int
    template: str
    data: Any = None


@dataclass(frozen=True)
class Domain:
    name: str
    kinds: tuple = ()
    # Models of tables the domain keeps that are no record kind (notice_reads, audit_log).
    tables: tuple = ()
    blueprints: tuple = ()  # "module:bp" of each page blueprint
    # "module:function" of functions returning blueprints of the JSON API beyond its kinds'
    # (GET /api/v1/assays/summary).
    api: tuple = ()
    menu: tuple = ()  # NavGroup or NavLink entries, after the previous domains'
    tools: tuple = ()  # NavLink entries after "Import and export" (the audit log, accounts)
    # "module:function": sections(user) -> [StartSection] of the start page.
    start: str | None = None
    # Vocabularies: {name: {coded value: label}}; templates get name_label(value).
    labels: dict = field(default_factory=dict)
    # "module:function": load(context) adds the domain's part of the demonstration association.
    demo: str | None = None
    # What the domain lets the association do, one line for the welcome page (which says only
    # what the registered domains do).
    does: str | None = None


def mine_lists(user, mine):
    """(label, endpoint) of the lists of the records kept by mine (its leases, samples,
    production, disputes) that user may read, in registration order: each takes mine_code."""
    from coop import policy

    return [
        (kind.label, kind.list_page)
        for kind in kinds().values()
        if kind.list_page and kind.owner.by_mine and policy.can_read(user, kind, mine.enterprise_id)
    ]


def abilities():
    """What the software does today: each registered domain's line (Domain.does), in order."""
    return [domain.does for domain in domains() if domain.does]


@cache
def domains():
    """The registered domains, in the order of coop.DOMAINS."""
    from coop import DOMAINS

    found = tuple(import_module(f"coop.manifests.{name}").DOMAIN for name in DOMAINS)
    names = [kind.name for domain in found for kind in domain.kinds]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise RuntimeError(f"kinds declared twice: {', '.join(sorted(duplicates))}")
    return found


@cache
def _kinds():
    return {kind.name: kind for domain in domains() for kind in domain.kinds}


def kinds():
    """{name: Kind} of every registered kind."""
    return _kinds()


def kind(name_or_kind):
    """The registered Kind of that name, or of the given Kind's name; KeyError for an unknown
    name."""
    name = name_or_kind.name if isinstance(name_or_kind, Kind) else name_or_kind
    return kinds()[name]


@cache
def _by_model():
    return {kind.model: kind for kind in kinds().values()}


def kind_of(record):
    """The Kind of a record (a model instance)."""
    return _by_model()[type(record)]


def title(record):
    """What a person calls record, in their language (Kind.title_of)."""
    return kind_of(record).title_of(record)


def exchanged():
    """{name: Kind} of the kinds with the JSON API, import and export, in registration order."""
    return {name: kind for name, kind in kinds().items() if kind.exchanged}


def tables():
    """The name of every table the domains keep: their kinds' and their other tables."""
    names = {kind.table for kind in kinds().values()}
    return names | {model.__tablename__ for domain in domains() for model in domain.tables}


def reserved_words():
    """Every word that names a page or a route beside some kind's records, lower case."""
    words = set(RESERVED) | {word for kind in kinds().values() for word in kind.reserved}
    return frozenset(word.lower() for word in words)


def record_type_labels():
    """{table name: label} of every kind, for the audit log."""
    return {kind.table: kind.label for kind in kinds().values()}


def vocabularies():
    """{name: {value: label}} of every domain's vocabularies."""
    found = {}
    for domain in domains():
        for name, labels in domain.labels.items():
            if name in found:
                raise RuntimeError(f"vocabulary {name} declared twice")
            found[name] = labels
    return found


def menu(user, data_link):
    """The navigation entries user sees: the domains' menus, data_link, the domains' tools."""
    entries = []
    for domain in domains():
        for entry in domain.menu:
            if entry.shown_to(user):
                entries.append(entry.for_user(user) if isinstance(entry, NavGroup) else entry)
    entries.append(data_link)
    entries += [link for domain in domains() for link in domain.tools if link.shown_to(user)]
    return entries


def start_sections(user):
    """The start page's sections for user, from every domain, in order."""
    sections = []
    for domain in domains():
        if domain.start:
            sections += resolve(domain.start)(user)
    return sorted(sections, key=lambda section: section.order)


def blueprints():
    return [resolve(path) for domain in domains() for path in domain.blueprints]


def api_blueprints():
    return [resolve(path)() for domain in domains() for path in domain.api]
