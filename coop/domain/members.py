"""Rules for member enterprises and mines (docs/design.md "Members")."""

from coop.domain.problems import N_, Problem


def was_member(joined_on, left_on, day):
    """Whether an enterprise that joined on joined_on and left on left_on (None: still a member)
    was a member on day. The day it leaves it is still a member; the day it joins it is one."""
    if joined_on is None or day < joined_on:
        return False
    return left_on is None or day <= left_on


def was_member_during(joined_on, left_on, start, end):
    """Whether an enterprise was a member on some day from start to end (both included; None:
    no bound): it joined by end and had not left before start."""
    if joined_on is None or (end is not None and end < joined_on):
        return False
    return left_on is None or start is None or left_on >= start


def enterprise_problems(values):
    """Problems with an enterprise's fields taken together."""
    joined, left = values.get("joined_on"), values.get("left_on")
    if joined and left and left < joined:
        return [
            Problem(
                "left_on",
                N_("must not be before the joining date (%(joined_on)s)."),
                {"joined_on": joined.isoformat()},
            )
        ]
    return []


def mine_problems(values):
    """Problems with a mine's fields taken together: closed needs closed_on, and only closed
    mines have one, no earlier than opened_on."""
    problems = []
    status, opened, closed = values.get("status"), values.get("opened_on"), values.get("closed_on")
    if status == "closed" and not closed:
        problems.append(Problem("closed_on", N_("is required when the status is closed.")))
    if closed and status != "closed":
        problems.append(Problem("closed_on", N_("must be empty unless the status is closed.")))
    if opened and closed and closed < opened:
        problems.append(
            Problem(
                "closed_on",
                N_("must not be before the opening date (%(opened_on)s)."),
                {"opened_on": opened.isoformat()},
            )
        )
    return problems


def normalise_minerals(text):
    """'zn, pb' -> 'Zn,Pb': element symbols, comma-separated, in the order given, no repeats."""
    seen = []
    for part in (text or "").replace("，", ",").split(","):
        symbol = part.strip().capitalize()
        if symbol and symbol not in seen:
            seen.append(symbol)
    return ",".join(seen)
