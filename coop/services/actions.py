"""Actions decided at meetings (docs/design.md "Meetings"): saving one, marking it done, the open
and the overdue ones. Flush, never commit: the caller commits."""

from sqlalchemy.orm import joinedload

from coop import clock
from coop.domain import meetings as rules
from coop.extensions import db
from coop.models import Action, Enterprise, Meeting
from coop.services.meetings import meeting_of, of_meeting, take_meeting
from coop.services.members import take_enterprise
from coop.services.records import apply, owns_mine, raise_problems, text_search


def action_by_id(key):
    try:
        number = int(key)
    except (TypeError, ValueError):
        return None
    return db.session.get(Action, number) if 0 < number < 2**63 else None


def action_of(values):
    """The action an import row names: the same description at the same meeting."""
    meeting = meeting_of(values.get("held_on"), values.get("kind"))
    if meeting is None:
        return None
    return db.session.execute(
        db.select(Action)
        .filter_by(meeting_id=meeting.id, description=values.get("description"))
        .limit(1)
    ).scalar_one_or_none()


def save_action(values, action=None):
    """Create an action decided at a meeting (action None) or change one."""
    values = dict(values)
    if "held_on" in values or "kind" in values or action is None:
        values.setdefault("held_on", action.held_on if action else None)
        values.setdefault("kind", action.kind if action else None)
        meeting = take_meeting(values)
    else:
        meeting = action.meeting
    take_enterprise(values, "owner_enterprise_code", "owner_enterprise_id")
    current = {
        "due_on": action.due_on if action else None,
        "done_on": action.done_on if action else None,
    } | values
    raise_problems(rules.action_problems(current, meeting.held_on, clock.today()))
    return apply(action or Action(), values)


def mark_done(action, done_on=None):
    """Mark an action done on done_on, default today. An action done already keeps its day
    unless done_on is given (a second click changes nothing). Returns whether it changed."""
    if action.done_on is not None and done_on is None:
        return False
    done_on = done_on or clock.today()
    raise_problems(rules.action_problems({"done_on": done_on}, action.held_on, clock.today()))
    apply(action, {"done_on": done_on})
    return True


def open_actions(enterprise_id=None):
    """Actions not done, the earliest due first (those with no due date last); only one
    enterprise's when enterprise_id is given."""
    query = (
        db.select(Action)
        .join(Action.meeting)
        .where(Action.done_on.is_(None))
        .order_by(Action.due_on.is_(None), Action.due_on, Meeting.held_on, Action.id)
    )
    if enterprise_id is not None:
        query = query.where(Action.owner_enterprise_id == enterprise_id)
    query = query.options(joinedload(Action.meeting), joinedload(Action.owner_enterprise))
    return db.session.execute(query).scalars().all()


def overdue_actions(today, limit=None):
    """Open actions whose due date has passed, the earliest due first."""
    query = (
        db.select(Action)
        .where(Action.overdue_on(today))
        .options(joinedload(Action.meeting), joinedload(Action.owner_enterprise))
        .order_by(Action.due_on, Action.id)
    )
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).scalars().all()


def count_overdue(today):
    return db.session.scalar(db.select(db.func.count(Action.id)).where(Action.overdue_on(today)))


def filter_actions(query, args):
    query = of_meeting(query, Action, args)
    query = text_search(query, Action, ("description",), args.get("q"))
    if args.get("enterprise_code"):
        query = query.where(Action.owner_enterprise.has(Enterprise.code == args["enterprise_code"]))
    if args.get("mine_code"):
        query = query.where(Action.owner_enterprise.has(owns_mine(args["mine_code"])))
    if args.get("state") == "open":
        query = query.where(Action.done_on.is_(None))
    elif args.get("state") == "done":
        query = query.where(Action.done_on.is_not(None))
    elif args.get("state") == "overdue":
        query = query.where(Action.overdue_on(clock.today()))
    return query
