"""The record types that pages, the JSON API, imports and exports all handle the same way.

Each later record type registers a Kind here; the import/export machinery
(coop/services/tabular.py), the API (coop/views/api.py) and the CLI then work for it with no code
of their own."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from coop import clock, policy
from coop.extensions import db
from coop.models import (
    Action,
    Attendance,
    Dispute,
    Enterprise,
    Lease,
    Meeting,
    Mine,
    Production,
    Sample,
)
from coop.schemas.leases import DisputeSchema, LeaseSchema
from coop.schemas.meetings import ActionSchema, AttendanceSchema, MeetingSchema
from coop.schemas.members import EnterpriseSchema, MineSchema
from coop.schemas.production import ProductionSchema, SampleSchema
from coop.services import bulk, leases, meetings, members, production
from coop.services.records import not_storable


@dataclass(frozen=True)
class Kind:
    name: str  # DOMAIN.md's KIND: enterprises, mines, ...
    label: Any  # what a person reads
    model: type
    key: str  # the natural key: code, permit_no, sample_code, ref, policy_no
    schema: type
    save: Callable  # save(values, record=None) -> record; raises RecordInvalid
    # The enterprise that owns a record, and the enterprise named by parsed values (None if
    # the values name none); policy.can_write() decides from these.
    owner_of: Callable
    owner_of_values: Callable
    # filters(select, args) -> select, for the list endpoints (mine_code, from, to, q).
    filters: Callable
    # scope(select, enterprise_id) -> select: only that enterprise's records
    scope: Callable
    order_by: tuple = field(default=())
    # The field holding a GeoJSON geometry, for kinds that import and export GeoJSON too.
    geometry_field: str | None = None
    # A natural key of several fields (production: mine_code and month) is written as their
    # values joined by ":" (NJT-01A:2005-03); key then names the record's property giving it,
    # and find(*parts) looks a record up by the parts.
    key_fields: tuple = ()
    find: Callable | None = None
    # bulk_import(frame, user) -> ImportSummary: imports a whole table at once (all or nothing,
    # raising ImportFailed), for kinds imported in large files; tabular.import_table hands the
    # table to it, once its header is checked, instead of saving row by row.
    bulk_import: Callable | None = None
    # A kind addressed by a surrogate id (key "id": actions, which DOMAIN.md gives no natural
    # key) names the fields an import matches existing records by, and match(values) finds one.
    import_key: tuple = ()
    match: Callable | None = None
    # Loader options for lists and exports: the records each row shows (a meeting's amendments,
    # an action's meeting) in a query or two, not one per row.
    options: tuple = ()

    @property
    def columns(self):
        return self.schema.columns()

    def select(self, user, args=None):
        """The records user may read (user None: the command line, all), filtered by args (the
        list endpoints' filters)."""
        # A NUL in a query argument would make PostgreSQL refuse the query: no record has one.
        args = {
            k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in (args or {}).items()
        }
        query = self.filters(db.select(self.model).options(*self.options), args)
        scope = policy.read_scope(user, self.name) if user is not None else None
        if scope is not None:
            query = self.scope(query, scope)
        return query.order_by(*self.order_by)

    def key_of(self, values):
        """The natural key named by parsed values."""
        fields = self.key_fields or self.import_key
        if fields:
            return ":".join(str(values[name]) for name in fields)
        return values[self.key]

    @property
    def key_column(self):
        """The column an import names when a key is a duplicate: the last of a composite key."""
        fields = self.key_fields or self.import_key
        return fields[-1] if fields else self.key

    def existing(self, values):
        """The record an import row would update, or None."""
        return self.match(values) if self.match else self.get(self.key_of(values))

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
        return db.session.execute(
            db.select(self.model).where(getattr(self.model, self.key) == key)
        ).scalar_one_or_none()


def _text_search(query, column_names, model, q):
    if not q:
        return query
    pattern = f"%{q.strip()}%"
    return query.where(db.or_(*(getattr(model, c).ilike(pattern) for c in column_names)))


def _enterprise_filters(query, args):
    query = _text_search(query, ("code", "name", "legal_representative"), Enterprise, args.get("q"))
    if args.get("mine_code"):
        query = query.where(Enterprise.mines.any(Mine.code == args["mine_code"]))
    # from/to: a member at some time in the period
    if args.get("to"):
        query = query.where(Enterprise.joined_on <= args["to"])
    if args.get("from"):
        query = query.where(
            db.or_(Enterprise.left_on.is_(None), Enterprise.left_on >= args["from"])
        )
    if args.get("member") == "current":
        query = query.where(Enterprise.left_on.is_(None))
    elif args.get("member") == "former":
        query = query.where(Enterprise.left_on.is_not(None))
    return query


def _mine_filters(query, args):
    query = _text_search(query, ("code", "name", "minerals"), Mine, args.get("q"))
    if args.get("mine_code"):
        query = query.where(Mine.code == args["mine_code"])
    if args.get("enterprise_code"):
        query = query.where(Mine.enterprise.has(Enterprise.code == args["enterprise_code"]))
    if args.get("status"):
        query = query.where(Mine.status == args["status"])
    if args.get("mining_method"):
        query = query.where(Mine.mining_method == args["mining_method"])
    # from/to: open at some time in the period
    if args.get("to"):
        query = query.where(db.or_(Mine.opened_on.is_(None), Mine.opened_on <= args["to"]))
    if args.get("from"):
        query = query.where(db.or_(Mine.closed_on.is_(None), Mine.closed_on >= args["from"]))
    return query


def _enterprise_named(values):
    code = values.get("enterprise_code")
    found = members.enterprise_by_code(code) if code else None
    return found.id if found else None


KINDS: dict[str, Kind] = {}


def register(kind):
    KINDS[kind.name] = kind
    return kind


ENTERPRISES = register(
    Kind(
        name="enterprises",
        label=_l("Enterprises"),
        model=Enterprise,
        key="code",
        schema=EnterpriseSchema,
        save=members.save_enterprise,
        owner_of=lambda record: record.id,
        owner_of_values=lambda values: (
            e.id if (e := members.enterprise_by_code(values.get("code"))) else None
        ),
        filters=_enterprise_filters,
        scope=lambda query, enterprise_id: query.where(Enterprise.id == enterprise_id),
        order_by=(Enterprise.code,),
    )
)

MINES = register(
    Kind(
        name="mines",
        label=_l("Mines"),
        model=Mine,
        key="code",
        schema=MineSchema,
        save=members.save_mine,
        owner_of=lambda record: record.enterprise_id,
        owner_of_values=_enterprise_named,
        filters=_mine_filters,
        scope=lambda query, enterprise_id: query.where(Mine.enterprise_id == enterprise_id),
        order_by=(Mine.code,),
    )
)


def _lease_filters(query, args):
    query = _text_search(query, ("permit_no",), Lease, args.get("q"))
    if args.get("mine_code"):
        query = query.where(Lease.mine.has(Mine.code == args["mine_code"]))
    if args.get("enterprise_code"):
        query = query.where(
            Lease.mine.has(Mine.enterprise.has(Enterprise.code == args["enterprise_code"]))
        )
    # from/to: valid at some time in the period
    if args.get("to"):
        query = query.where(Lease.valid_from <= args["to"])
    if args.get("from"):
        query = query.where(Lease.valid_to >= args["from"])
    return query


def _dispute_leases(condition):
    """Disputes with a lease on either side that meets condition (on Lease and its Mine)."""
    ids = db.select(Lease.id).join(Lease.mine).where(condition)
    return db.or_(Dispute.first_lease_id.in_(ids), Dispute.second_lease_id.in_(ids))


def _dispute_filters(query, args):
    query = _text_search(query, ("ref", "description", "resolution"), Dispute, args.get("q"))
    if args.get("mine_code"):
        query = query.where(_dispute_leases(Mine.code == args["mine_code"]))
    if args.get("status"):
        query = query.where(Dispute.status == args["status"])
    # from/to: open at some time in the period
    if args.get("to"):
        query = query.where(Dispute.opened_on <= args["to"])
    if args.get("from"):
        query = query.where(
            db.or_(Dispute.resolved_on.is_(None), Dispute.resolved_on >= args["from"])
        )
    return query


def _leases_named_owner(*fields):
    def owner(values):
        found = [leases.lease_by_permit(values[f]) for f in fields if values.get(f)]
        ids = frozenset(lease.enterprise_id for lease in found if lease is not None)
        return ids or None

    return owner


def _mine_named(values):
    code = values.get("mine_code")
    found = members.mine_by_code(code) if code else None
    return found.enterprise_id if found else None


LEASES = register(
    Kind(
        name="leases",
        label=_l("Leases"),
        model=Lease,
        key="permit_no",
        schema=LeaseSchema,
        save=leases.save_lease,
        owner_of=lambda record: record.enterprise_id,
        owner_of_values=_mine_named,
        filters=_lease_filters,
        scope=lambda query, enterprise_id: query.where(
            Lease.mine.has(Mine.enterprise_id == enterprise_id)
        ),
        order_by=(Lease.permit_no,),
        geometry_field="boundary",
    )
)

DISPUTES = register(
    Kind(
        name="disputes",
        label=_l("Disputes"),
        model=Dispute,
        key="ref",
        schema=DisputeSchema,
        save=leases.save_dispute,
        owner_of=lambda record: record.enterprise_ids,
        owner_of_values=_leases_named_owner("lease_a", "lease_b"),
        filters=_dispute_filters,
        scope=lambda query, enterprise_id: query.where(
            _dispute_leases(Mine.enterprise_id == enterprise_id)
        ),
        order_by=(Dispute.opened_on.desc(), Dispute.ref),
    )
)


def _of_mine(model, query, args):
    """The mine_code and enterprise_code filters of a record type that belongs to a mine."""
    if args.get("mine_code"):
        query = query.where(model.mine.has(Mine.code == args["mine_code"]))
    if args.get("enterprise_code"):
        query = query.where(
            model.mine.has(Mine.enterprise.has(Enterprise.code == args["enterprise_code"]))
        )
    return query


def _sample_filters(query, args):
    query = _text_search(query, ("sample_code", "lab"), Sample, args.get("q"))
    query = _of_mine(Sample, query, args)
    if args.get("sample_type"):
        query = query.where(Sample.sample_type == args["sample_type"])
    if args.get("from"):
        query = query.where(Sample.sampled_on >= args["from"])
    if args.get("to"):
        query = query.where(Sample.sampled_on <= args["to"])
    return query


def _production_filters(query, args):
    query = _of_mine(Production, query, args)
    # from/to: the months that overlap the period
    if args.get("from"):
        query = query.where(Production.month >= str(args["from"])[:7])
    if args.get("to"):
        query = query.where(Production.month <= str(args["to"])[:7])
    return query


def _mine_scope(model):
    return lambda query, enterprise_id: query.where(
        model.mine.has(Mine.enterprise_id == enterprise_id)
    )


SAMPLES = register(
    Kind(
        name="samples",
        label=_l("Samples"),
        model=Sample,
        key="sample_code",
        schema=SampleSchema,
        save=production.save_sample,
        owner_of=lambda record: record.enterprise_id,
        owner_of_values=_mine_named,
        filters=_sample_filters,
        scope=_mine_scope(Sample),
        order_by=(Sample.sampled_on.desc(), Sample.sample_code),
        bulk_import=bulk.import_samples,
    )
)

PRODUCTION = register(
    Kind(
        name="production",
        label=_l("Production"),
        model=Production,
        key="key",
        key_fields=("mine_code", "month"),
        find=production.production_of,
        schema=ProductionSchema,
        save=production.save_production,
        owner_of=lambda record: record.enterprise_id,
        owner_of_values=_mine_named,
        filters=_production_filters,
        scope=_mine_scope(Production),
        order_by=(Production.month.desc(), Production.mine_id),
    )
)


def _meeting_filters(model, query, args, columns=()):
    """from/to: meetings held in the period; q: text in columns."""
    meeting = Meeting if model is Meeting else model.meeting
    if model is Meeting:
        query = _text_search(query, columns, Meeting, args.get("q"))
        if args.get("from"):
            query = query.where(Meeting.held_on >= args["from"])
        if args.get("to"):
            query = query.where(Meeting.held_on <= args["to"])
        if args.get("kind"):
            query = query.where(Meeting.kind == args["kind"])
        return query
    if args.get("from"):
        query = query.where(meeting.has(Meeting.held_on >= args["from"]))
    if args.get("to"):
        query = query.where(meeting.has(Meeting.held_on <= args["to"]))
    if args.get("kind"):
        query = query.where(meeting.has(Meeting.kind == args["kind"]))
    return query


def _attendance_filters(query, args):
    query = _meeting_filters(Attendance, query, args)
    if args.get("enterprise_code"):
        query = query.where(Attendance.enterprise.has(Enterprise.code == args["enterprise_code"]))
    if args.get("status"):
        query = query.where(Attendance.status == args["status"])
    return query


def _action_filters(query, args):
    query = _meeting_filters(Action, query, args)
    query = _text_search(query, ("description",), Action, args.get("q"))
    if args.get("enterprise_code"):
        query = query.where(Action.owner_enterprise.has(Enterprise.code == args["enterprise_code"]))
    if args.get("mine_code"):
        query = query.where(
            Action.owner_enterprise.has(Enterprise.mines.any(Mine.code == args["mine_code"]))
        )
    if args.get("state") == "open":
        query = query.where(Action.done_on.is_(None))
    elif args.get("state") == "done":
        query = query.where(Action.done_on.is_not(None))
    elif args.get("state") == "overdue":
        query = query.where(Action.overdue_on(clock.today()))
    return query


def _no_owner(*args):
    return None


def _held_on_of(model):
    """The held_on of a record's meeting, for ordering lists of attendance and actions."""
    return db.select(Meeting.held_on).where(Meeting.id == model.meeting_id).scalar_subquery().desc()


MEETINGS = register(
    Kind(
        name="meetings",
        label=_l("Meetings"),
        model=Meeting,
        key="key",
        key_fields=("held_on", "kind"),
        find=meetings.meeting_of,
        schema=MeetingSchema,
        save=meetings.save_meeting,
        # The association's, not a member's: only the president and admin write them.
        owner_of=_no_owner,
        owner_of_values=_no_owner,
        filters=lambda query, args: _meeting_filters(
            Meeting, query, args, ("location", "chair", "agenda", "minutes")
        ),
        scope=lambda query, enterprise_id: query,
        order_by=(Meeting.held_on.desc(), Meeting.kind),
        options=(selectinload(Meeting.amendments),),
    )
)

ATTENDANCE = register(
    Kind(
        name="attendance",
        label=_l("Attendance"),
        model=Attendance,
        key="key",
        key_fields=("held_on", "kind", "enterprise_code"),
        find=meetings.attendance_of,
        schema=AttendanceSchema,
        save=meetings.save_attendance,
        owner_of=lambda record: record.enterprise_id,
        owner_of_values=_enterprise_named,
        filters=_attendance_filters,
        scope=lambda query, enterprise_id: query,
        order_by=(_held_on_of(Attendance), Attendance.meeting_id, Attendance.enterprise_id),
        options=(joinedload(Attendance.meeting), joinedload(Attendance.enterprise)),
    )
)

ACTIONS = register(
    Kind(
        name="actions",
        label=_l("Actions"),
        model=Action,
        key="id",
        find=meetings.action_by_id,
        import_key=("held_on", "kind", "description"),
        match=meetings.action_of,
        schema=ActionSchema,
        save=meetings.save_action,
        owner_of=lambda record: record.owner_enterprise_id,
        owner_of_values=lambda values: (
            e.id if (e := members.enterprise_by_code(values.get("owner_enterprise_code"))) else None
        ),
        filters=_action_filters,
        scope=lambda query, enterprise_id: query,
        order_by=(_held_on_of(Action), Action.meeting_id, Action.id),
        options=(joinedload(Action.meeting), joinedload(Action.owner_enterprise)),
    )
)
