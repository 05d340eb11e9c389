"""Errors the services raise when input breaks a rule; the views turn them into 4xx answers."""

from flask_babel import gettext as _


class RecordInvalid(Exception):
    """A record breaks docs/design.md's rules. errors maps a field name to a list of messages;
    suggested, a field name to the value that would likely fix them (a form offers it)."""

    status = 400

    def __init__(self, errors, status=None, suggested=None):
        super().__init__(errors)
        self.errors = {k: (v if isinstance(v, list) else [v]) for k, v in errors.items()}
        self.suggested = dict(suggested or {})
        if status:
            self.status = status

    @property
    def code(self):
        return self.status

    @property
    def description(self):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items())

    @property
    def name(self):
        return _("Invalid record")


class Conflict(RecordInvalid):
    """The record would duplicate a natural key (409)."""

    status = 409


#: How much of a cell a problem shows: a boundary's GeoJSON is cut, with "…".
SHOWN = 60


def shown(value):
    text = str(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


class ImportFailed(Exception):
    """An import found bad rows; nothing was written. rows: [(line, column, reason)]; unit says
    what the numbers count: "line" in a table (the header is line 1), "feature" in GeoJSON.
    values: the cell of each row's line and column as the file gives it (None for none), once
    take_values has read them from the table."""

    def __init__(self, rows, unit="line"):
        super().__init__(f"{len(rows)} problems")
        self.rows = rows
        self.unit = unit
        self.values = [None] * len(rows)

    def take_values(self, frame):
        """Read each problem's cell from frame (a table of text cells; its attrs' first_line is
        the line of its first row)."""
        first_line = frame.attrs.get("first_line", 2)
        for index, (line, column, _reason) in enumerate(self.rows):
            if isinstance(line, int) and column in frame.columns:
                position = line - first_line
                if 0 <= position < len(frame):
                    value = frame[column].iloc[position]
                    self.values[index] = None if value is None or value == "" else shown(value)
        return self

    def entries(self):
        """(line, column, value, reason) of each problem."""
        return [
            (line, column, value, reason)
            for (line, column, reason), value in zip(self.rows, self.values, strict=True)
        ]

    def as_list(self):
        return [
            {self.unit: line, "column": column, "value": value, "reason": reason}
            for line, column, value, reason in self.entries()
        ]
