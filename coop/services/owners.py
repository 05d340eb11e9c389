"""Which member enterprise a record belongs to (docs/design.md "Who uses it": an operator writes the
records of its own enterprise's mines, and reads only those of some kinds). Each Kind names its
Owner; coop/policy.py decides from what the owner says, and a kind's list is scoped to one
enterprise by it.

An owner is an enterprise id, a frozenset of them (a record between members, such as a dispute
between two leases), or None (the association's records, or values that name no enterprise)."""

from flask_babel import gettext as _

from coop.domain.problems import N_
from coop.extensions import db
from coop.models import Dispute, Enterprise, Lease, Mine


class Owner:
    """The association's records: no member owns them (meetings)."""

    #: The field of a row of values that names the owner, for messages about it.
    field = None
    #: Whether records are kept by mine (their lists take mine_code).
    by_mine = False

    def of(self, record):
        """The owner of a record."""
        return None

    def of_values(self, values):
        """The owner that parsed values name (None when they name none, or an unknown one: the
        service refuses an unknown code)."""
        return None

    def scope(self, query, model, enterprise_id):
        """query limited to the records of one enterprise."""
        return query


NO_OWNER = Owner()


class OwnEnterprise(Owner):
    """An enterprise is its own owner."""

    field = "code"

    def of(self, record):
        return record.id

    def of_values(self, values):
        from coop.services.members import enterprise_by_code

        found = enterprise_by_code(values.get(self.field)) if values.get(self.field) else None
        return found.id if found else None

    def scope(self, query, model, enterprise_id):
        return query.where(model.id == enterprise_id)


class ByEnterprise(Owner):
    """Records of an enterprise, named by its code in field and held as its id in attribute
    (mines: enterprise_code, enterprise_id; actions: owner_enterprise_code, ...)."""

    def __init__(self, field="enterprise_code", attribute="enterprise_id"):
        self.field = field
        self.attribute = attribute

    def of(self, record):
        return getattr(record, self.attribute)

    def of_values(self, values):
        from coop.services.members import enterprise_by_code

        code = values.get(self.field)
        found = enterprise_by_code(code) if code else None
        return found.id if found else None

    def scope(self, query, model, enterprise_id):
        return query.where(getattr(model, self.attribute) == enterprise_id)


class ByMine(Owner):
    """Records of a mine (its `mine` relationship; mine_code in values): the mine's enterprise's.
    The record's own enterprise_id property says whose it is."""

    field = "mine_code"
    by_mine = True
    choose = N_("an operator's record names one of the mines of %(yours)s.")

    def of(self, record):
        return record.enterprise_id

    def of_values(self, values):
        from coop.services.members import mine_by_code

        code = values.get(self.field)
        found = mine_by_code(code) if code else None
        return found.enterprise_id if found else None

    def scope(self, query, model, enterprise_id):
        return query.where(model.mine.has(Mine.enterprise_id == enterprise_id))


class ByLeases(Owner):
    """A dispute between two leases belongs to the enterprises of both (lease_a and lease_b in
    values, permit numbers)."""

    field = "lease_a"
    by_mine = True
    fields = ("lease_a", "lease_b")

    def of(self, record):
        return record.enterprise_ids

    def of_values(self, values):
        from coop.services.leases import lease_by_permit

        found = [lease_by_permit(values[f]) for f in self.fields if values.get(f)]
        ids = frozenset(lease.enterprise_id for lease in found if lease is not None)
        return ids or None

    def scope(self, query, model, enterprise_id):
        ids = db.select(Lease.id).join(Lease.mine).where(Mine.enterprise_id == enterprise_id)
        return query.where(
            db.or_(Dispute.first_lease_id.in_(ids), Dispute.second_lease_id.in_(ids))
        )


def unowned(user, kind, values):
    """{field: message} when an operator's values name no owner where the kind's owner is
    optional (a notice about no mine would be the association's, which operators do not
    write); {} otherwise."""
    choose = getattr(kind.owner, "choose", None)
    if choose is None or not getattr(user, "enterprise_code", None):
        return {}
    if kind.owner.of_values(values) is not None or values.get(kind.owner.field):
        return {}
    return {kind.owner.field: [_(choose, yours=user.enterprise_code)]}


def whose(owner):
    """The codes of an owner's enterprises, as a person reads them: "E2", "E1, E2"."""
    ids = owner if isinstance(owner, frozenset) else {owner}
    codes = db.session.scalars(db.select(Enterprise.code).where(Enterprise.id.in_(ids)))
    return ", ".join(sorted(codes))


def refusal(user, value, owner):
    """Why user may not write a record that value (a cell: a mine's code, a record's key) makes
    owner's: whose it is and whose user may write."""
    if owner is not None and getattr(user, "enterprise_code", None):
        if value == whose(owner):  # the cell names the enterprise itself
            return _("you may write only the records of %(yours)s.", yours=user.enterprise_code)
        return _(
            "%(value)s belongs to %(owner)s; you may write only the records of %(yours)s.",
            value=value,
            owner=whose(owner),
            yours=user.enterprise_code,
        )
    return _("you may not write this record.")
