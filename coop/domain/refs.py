"""Generated references (DOMAIN.md "Record types": "A `ref` left empty on a form or in an import
row is generated (short, readable, unique)"). A kind whose key may be left empty says how its
generated keys read with a RefFormat, given to its key field (coop.schemas.base.key_field's
generated): a prefix made of the record's own values, then the next free number (D-2026-0007,
NJT-01A-20261201-03), or, for a code nobody may guess (a grievance's tracking code), random
characters that cannot be misread. Pure: the service (coop.services.refs) looks up the keys
taken and retries when another writer took the same one first."""

import re
import secrets
from dataclasses import dataclass

#: Natural keys are at most this long (coop.schemas.base.KEY_LENGTH).
MAX_LENGTH = 32
#: Characters of unguessable codes: digits and capitals without 0/O, 1/I/L, that a person
#: reads out and types back without mistaking one for another.
UNAMBIGUOUS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class RefFormat:
    """How generated keys of a kind read: prefix, a str.format template of the record's values
    ("D-{opened_on:%Y}-"), then digits characters: the next number, zero-padded (it grows past
    digits rather than repeat); or, unguessable, that many random UNAMBIGUOUS characters."""

    prefix: str
    digits: int = 4
    unguessable: bool = False


def ref_prefix(fmt, values):
    """The prefix of a record's generated key, cut so that the key stays within MAX_LENGTH."""
    return fmt.prefix.format_map(values)[: MAX_LENGTH - fmt.digits]


def next_ref(fmt, prefix, taken):
    """The key after the highest of taken that is prefix and a number: D-2026-0008 after
    D-2026-0007; prefix and 1 (zero-padded) when none is."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)")
    numbers = [int(m.group(1)) for key in taken if (m := pattern.fullmatch(key))]
    return f"{prefix}{max(numbers, default=0) + 1:0{fmt.digits}d}"


def random_ref(fmt, prefix, choice=secrets.choice):
    """prefix and fmt.digits random UNAMBIGUOUS characters (from the secrets module)."""
    return prefix + "".join(choice(UNAMBIGUOUS) for _ in range(fmt.digits))
