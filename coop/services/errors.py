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


class ImportFailed(Exception):
    """An import found bad rows; nothing was written. rows: [(line, column, reason)]; unit says
    what the numbers count: "line" in a table (the header is line 1), "feature" in GeoJSON."""

    def __init__(self, rows, unit="line"):
        super().__init__(f"{len(rows)} problems")
        self.rows = rows
        self.unit = unit

    def as_list(self):
        return [
            {self.unit: line, "column": column, "reason": reason}
            for line, column, reason in self.rows
        ]
