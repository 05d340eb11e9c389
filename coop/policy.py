"""Who may do what (DOMAIN.md "Who uses it"), decided here and nowhere else.

Every view and API endpoint asks this module, per record, on the server."""

from flask import abort

# Record types an operator may write for their own enterprise's mines. Later record types
# (samples, production, workforce, accidents, rehabilitation, reinvestments) join this set.
OPERATOR_WRITABLE: set[str] = {"samples", "production", "notices"}

# Record types anyone with an account may read in full; others are limited to the operator's
# own enterprise.
# Leases are read by all: the point of sharing them is that every member can see where the
# others' plans lie ("mine plans don't overlap").
# Meetings, their attendance and actions, and notices are the association's business: every
# member reads them (DOMAIN.md "Meetings"; "other mine owners will be notified quickly").
READ_ALL: set[str] = {
    "enterprises",
    "mines",
    "leases",
    "meetings",
    "attendance",
    "actions",
    "notices",
}

# Who may read the audit log.
AUDIT_READERS = {"admin", "president", "bureau"}


def is_writer(user):
    return user.is_authenticated and user.role in ("admin", "president")


def can_manage_accounts(user):
    return user.is_authenticated and user.role == "admin"


def can_read_audit(user):
    return user.is_authenticated and user.role in AUDIT_READERS


def _owned_by(enterprise_id, user):
    """Whether the record's owner (an enterprise id, or a set of them for a record between
    members, such as a dispute) is, or includes, user's enterprise."""
    if isinstance(enterprise_id, (set, frozenset, tuple, list)):
        return user.enterprise_id in enterprise_id
    return enterprise_id == user.enterprise_id


def can_read(user, kind, enterprise_id=None):
    """May user read a record of kind belonging to enterprise_id (None: not yet known; a set:
    a record between those enterprises)."""
    if not user.is_authenticated:
        return False
    if user.role != "operator" or kind in READ_ALL:
        return True
    return enterprise_id is None or _owned_by(enterprise_id, user)


def read_scope(user, kind):
    """None when user may read every record of kind; else the one enterprise whose records
    user may read (an operator's own, for record types not in READ_ALL)."""
    if user.role == "operator" and kind not in READ_ALL:
        return user.enterprise_id
    return None


def can_write(user, kind, enterprise_id=None):
    """May user create or change a record of kind belonging to enterprise_id.

    enterprise_id None asks whether user may write some record of that kind at all."""
    if is_writer(user):
        return True
    if user.is_authenticated and user.role == "operator" and kind in OPERATOR_WRITABLE:
        return enterprise_id is None or _owned_by(enterprise_id, user)
    return False


def can_mark_done(user, action):
    """May user mark an action done: the president and admin any, an operator only those its
    enterprise owns (the only change an operator makes to a meeting's records)."""
    if is_writer(user):
        return True
    return (
        user.is_authenticated
        and user.role == "operator"
        and action.owner_enterprise_id is not None
        and action.owner_enterprise_id == user.enterprise_id
    )


def can_change_notice(user, notice):
    """A notice is changed by whoever posted it, or the president and admin."""
    return is_writer(user) or (user.is_authenticated and notice.author_id == user.id)


def require(allowed):
    """Stop the request with 403 unless allowed (401 for the anonymous is Flask-Login's job)."""
    if not allowed:
        abort(403)
