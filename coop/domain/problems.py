"""How pure rules report a broken rule without depending on Flask: a field, an English message
marked for translation with N_ (pybabel extracts it; the service layer translates it), and the
values to put into it."""

from typing import NamedTuple


def N_(message):
    """Mark a message for extraction; it is translated where it is shown."""
    return message


class Problem(NamedTuple):
    field: str
    message: str
    params: dict = {}
    # {field: value} that would likely fix it (a boundary's corners that seem to be in another
    # CRS: {"crs": "EPSG:4524"}); a form offers it.
    suggested: dict = {}
