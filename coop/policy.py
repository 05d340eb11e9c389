"""Who may do what (docs/design.md "Who uses it"), decided here and nowhere else: pages, the JSON
API, imports, the navigation and the start page all ask this module, per record, on the server.

What a record kind allows is declared by the kind (coop/registry.py): read_all (every signed-in
role reads every record, else an operator reads only its enterprise's) and operator_writes (an
operator writes its own enterprise's records); its Owner says whose a record is."""

from flask import abort

# The roles that oversee the association: they read the audit log, and the start page shows them
# the association's problems (expired leases, conflicts).
OVERSEERS = {"admin", "president", "bureau"}


def _kind(kind):
    from coop import registry

    return registry.kind(kind)


def is_writer(user):
    """The president and the admin write every record of every member."""
    return user.is_authenticated and user.role in ("admin", "president")


def oversees(user):
    return user.is_authenticated and user.role in OVERSEERS


def can_manage_accounts(user):
    return user.is_authenticated and user.role == "admin"


def can_read_audit(user):
    return oversees(user)


def own_enterprise_id(user):
    """The enterprise an operator's account is bound to (None for every other role)."""
    if user.is_authenticated and user.role == "operator":
        return user.enterprise_id
    return None


def _owned_by(enterprise_id, user):
    """Whether the record's owner (an enterprise id, or a set of them for a record between
    members, such as a dispute) is, or includes, user's enterprise."""
    if isinstance(enterprise_id, (set, frozenset, tuple, list)):
        return user.enterprise_id in enterprise_id
    return enterprise_id == user.enterprise_id


def is_own(user, enterprise_id):
    """Whether a record's owner (as its kind's Owner says) is an operator's own enterprise."""
    return own_enterprise_id(user) is not None and _owned_by(enterprise_id, user)


def can_read(user, kind, enterprise_id=None):
    """May user read a record of kind (a Kind or its name) belonging to enterprise_id (None:
    not yet known; a set: a record between those enterprises)."""
    if not user.is_authenticated:
        return False
    if user.role != "operator" or _kind(kind).read_all:
        return True
    return enterprise_id is None or _owned_by(enterprise_id, user)


def read_scope(user, kind):
    """None when user may read every record of kind; else the one enterprise whose records
    user may read (an operator's own, for kinds not read_all)."""
    if user.role == "operator" and not _kind(kind).read_all:
        return user.enterprise_id
    return None


def write_scope(user, kind):
    """None when user may write the records of every enterprise; else the one enterprise whose
    records of kind user may write (an operator's own; asked once can_write says it may write
    some)."""
    return None if is_writer(user) else user.enterprise_id


def can_write(user, kind, enterprise_id=None):
    """May user create or change a record of kind belonging to enterprise_id.

    enterprise_id None asks whether user may write some record of that kind at all."""
    if is_writer(user):
        return True
    if user.is_authenticated and user.role == "operator" and _kind(kind).operator_writes:
        return enterprise_id is None or _owned_by(enterprise_id, user)
    return False


def can_mark_done(user, action):
    """May user mark an action done: the president and admin any, an operator only those its
    enterprise owns (the only change an operator makes to a meeting's records)."""
    return is_writer(user) or is_own(user, _kind("actions").owner.of(action))


def can_change_notice(user, notice):
    """A notice is changed by whoever posted it, or the president and admin."""
    return is_writer(user) or (user.is_authenticated and notice.author_id == user.id)


def require(allowed):
    """Stop the request with 403 unless allowed (401 for the anonymous is Flask-Login's job)."""
    if not allowed:
        abort(403)
