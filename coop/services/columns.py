"""A record schema's checks over whole columns of an import table, for tables too large to check
row by row (a laboratory's file of 100,000 samples, coop/services/bulk.py).

Every cell the schema would refuse is found, with the very message the schema gives for it, and
every other cell is read to the very value the schema reads: a table checked by columns and one
loaded row by row (coop/services/tabular.py) refuse the same cells with the same words and store
the same values. The checks are taken from the schema's fields: blank cells from `required` and
`load_default` (RecordSchema's rule: blank text is no value), and the common fields with numpy
over a whole column: text (coop.schemas.base.Text, with its Length, Regexp, OneOf and
NotReserved validators), dates (Day) and numbers (Float, with Range). Any cell those checks
doubt, and every cell of a field of another kind or with another validator, is handed to the
schema's field itself, which says what is wrong or what the cell is."""

import re

import marshmallow as ma
import numpy as np
import pandas as pd

from coop.schemas.base import Day, NotReserved, Text, not_storable, plain_errors
from coop.services.cells import column_values
from coop.services.errors import ImportFailed

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class Problems:
    """The problems of a table by row position: (position, column, reason), and the positions
    with a problem in each column."""

    def __init__(self, columns):
        self.order = {name: i for i, name in enumerate(columns)}
        self.rows = []
        self.columns = {name: set() for name in columns}

    def add(self, position, column, reason):
        self.rows.append((position, column, str(reason)))
        self.columns[column].add(position)

    def add_error(self, position, column, error):
        """A marshmallow ValidationError of one cell."""
        for reason in plain_errors({column: error.messages})[column]:
            self.add(position, column, reason)

    def __bool__(self):
        return bool(self.rows)

    def failure(self, first_line):
        """ImportFailed with every problem, by line and then by column, the header line 1."""
        rows = sorted(
            enumerate(self.rows), key=lambda item: (item[1][0], self.order[item[1][1]], item[0])
        )
        return ImportFailed(
            [(position + first_line, column, reason) for _, (position, column, reason) in rows]
        )


def check_columns(schema, frame, unique=(), first_line=2):
    """Check the cells of frame (its columns the schema's loaded fields, as read from a file)
    as schema would check each row. Returns (values, problems): values by column, as numpy
    arrays (text: object arrays with None where there is no value; Day: datetime64[us] with
    NaT; Float: float64 with NaN), and Problems. A value in a unique column that an earlier row
    has already is refused, naming that row's line (lines counted from first_line)."""
    _only_the_blank_rule(schema)
    problems = Problems(list(schema.load_fields))
    values = {}
    for name, field in schema.load_fields.items():
        cells = column_values(frame[name])
        filled = np.not_equal(cells, None)
        _blanks(field, name, cells, filled, problems)
        positions = np.flatnonzero(filled)
        # The fast paths are for these fields exactly: a subclass reads cells its own way.
        if type(field) is Day:
            values[name] = _days(field, name, cells, positions, problems)
        elif type(field) is ma.fields.Float:
            values[name] = _numbers(field, name, cells, positions, problems)
        elif type(field) in (ma.fields.String, Text):
            values[name] = _texts(field, name, cells, positions, problems)
        else:
            values[name] = _each(field, name, cells, positions, problems)
    for name in unique:
        _repeated(name, values[name], problems, first_line)
    return values, problems


def _only_the_blank_rule(schema):
    """Refuse a schema with hooks of its own (validates_schema, post_load, ...): they see whole
    rows, which the columns do not; RecordSchema's blank rule is applied here column by
    column."""
    own = {
        kind: [hook for hook in hooks if hook[0] != "no_value_for_blank_text"]
        for kind, hooks in type(schema)._hooks.items()
    }
    if any(own.values()):
        raise ValueError(f"{type(schema).__name__} has hooks that check whole rows: {own}")


def _blanks(field, name, cells, filled, problems):
    """A blank cell is no value: the field's default where it has one, refused where the field
    is required, else None."""
    blank = np.flatnonzero(~filled)
    if not len(blank):
        return
    if field.load_default is not ma.missing:
        if field.load_default is not None:
            cells[blank] = field.load_default
            filled[blank] = True
    elif field.required:
        message = str(field.error_messages["required"])
        for position in blank.tolist():
            problems.add(position, name, message)


def _doubted_by_field(field, name, cells, positions, doubted, problems, values):
    """Hand each doubted cell to the field: its value goes into values, its error to problems."""
    for position in positions[doubted].tolist():
        try:
            values[position] = field.deserialize(cells[position])
        except ma.ValidationError as error:
            problems.add_error(position, name, error)


def _texts(field, name, cells, positions, problems):
    filled = cells[positions]
    doubted = np.zeros(len(positions), dtype=bool)
    if isinstance(field, Text):
        doubted |= np.fromiter(map(not_storable, filled), dtype=bool, count=len(filled))
    for validator in field.validators:
        if isinstance(validator, ma.validate.Length):
            lengths = np.fromiter(map(len, filled), dtype=np.int64, count=len(filled))
            if validator.equal is not None:
                doubted |= lengths != validator.equal
            if validator.min is not None:
                doubted |= lengths < validator.min
            if validator.max is not None:
                doubted |= lengths > validator.max
        elif isinstance(validator, ma.validate.Regexp):
            match = validator.regex.match
            doubted |= np.fromiter(
                (match(cell) is None for cell in filled), dtype=bool, count=len(filled)
            )
        elif isinstance(validator, ma.validate.OneOf):
            choices = set(validator.choices)
            doubted |= np.fromiter(
                (cell not in choices for cell in filled), dtype=bool, count=len(filled)
            )
        elif isinstance(validator, NotReserved):
            from coop import registry

            reserved = registry.reserved_words()
            doubted |= np.fromiter(
                (cell.lower() in reserved for cell in filled), dtype=bool, count=len(filled)
            )
        else:
            doubted[:] = True  # a check of its own: the field checks every cell
    values = cells.copy()
    _doubted_by_field(field, name, cells, positions, doubted, problems, values)
    values[sorted(problems.columns[name])] = None
    return values


def _days(field, name, cells, positions, problems):
    days = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[us]")
    filled = cells[positions]
    shaped = np.fromiter(
        (_ISO_DAY.fullmatch(cell) is not None for cell in filled), dtype=bool, count=len(filled)
    )
    doubted = ~shaped
    if shaped.any():
        texts = filled[shaped].astype("U10")
        parsed = np.asarray(pd.to_datetime(texts, format="%Y-%m-%d", errors="coerce"))
        parsed = parsed.astype("datetime64[us]")
        parsed[np.char.startswith(texts, "0000")] = np.datetime64("NaT")  # Python has no year 0
        read = np.zeros(len(filled), dtype=bool)
        read[shaped] = ~np.isnat(parsed)
        days[positions[shaped]] = parsed
        doubted |= ~read
    if field.validators:
        doubted[:] = True
    found = {}
    _doubted_by_field(field, name, cells, positions, doubted, problems, found)
    for position, day in found.items():
        days[position] = np.datetime64(day, "us")
    days[sorted(problems.columns[name])] = np.datetime64("NaT")
    return days


def _numbers(field, name, cells, positions, problems):
    numbers = np.full(len(cells), np.nan)
    filled = cells[positions]
    plain = np.fromiter(
        (_PLAIN_NUMBER.fullmatch(cell) is not None for cell in filled),
        dtype=bool,
        count=len(filled),
    )
    # Read as the field reads them, by Python's float(), for the very same value.
    read = filled[plain].astype(float)
    numbers[positions[plain]] = read
    doubted = ~plain
    inside = np.isfinite(read)
    for validator in field.validators:
        if isinstance(validator, ma.validate.Range):
            with np.errstate(invalid="ignore"):
                if validator.min is not None:
                    low = validator.min
                    inside &= read >= low if validator.min_inclusive else read > low
                if validator.max is not None:
                    high = validator.max
                    inside &= read <= high if validator.max_inclusive else read < high
        else:
            inside[:] = False
    doubted[plain] |= ~inside
    found = {}
    _doubted_by_field(field, name, cells, positions, doubted, problems, found)
    for position, number in found.items():
        numbers[position] = number
    numbers[sorted(problems.columns[name])] = np.nan
    return numbers


def _each(field, name, cells, positions, problems):
    """A field of another kind: each cell read by the field."""
    values = np.full(len(cells), None, dtype=object)
    found = {}
    _doubted_by_field(
        field, name, cells, positions, np.ones(len(positions), dtype=bool), problems, found
    )
    for position, value in found.items():
        values[position] = value
    return values


def _repeated(name, values, problems, first_line):
    """Refuse a value of a unique column that an earlier row has (the row path's message)."""
    from flask_babel import gettext as _

    series = pd.Series(values)
    filled = series.notna().to_numpy()
    first = ~series.duplicated(keep="first").to_numpy()
    repeated = np.flatnonzero(~first & filled)
    if not len(repeated):
        return
    line_of = {}
    for position in np.flatnonzero(first & filled).tolist():
        line_of[values[position]] = position + first_line
    for position in repeated.tolist():
        key = values[position]
        message = _("%(key)s is already on line %(line)s.", key=key, line=line_of[key])
        problems.add(position, name, message)
