"""A lab's batch file of samples imported at once (DOMAIN.md "Import and export", "Production and
assays"): hundreds to 100,000 rows, all or nothing, every bad row named by line, column and reason.

tabular.import_table hands a samples table here (registry.SAMPLES.bulk_import) after checking its
header. The generic path there loads, checks and saves one row at a time; this one checks whole
columns at once and writes with one executemany per statement, tens of times faster, and refuses
exactly the rows the generic path refuses (the rules of SampleSchema and save_sample), mostly with
the same messages:

- the cells, by coop.domain.assays.sample_problems_frame (required cells, dates not after today,
  sample types, grades from 0 to 100, a sample_code repeated within the file); a date or grade
  it cannot read is handed to SampleSchema's own field, which reads a few more spellings
  (20050304, 1_000) and otherwise names the problem as a single row's import does;
- the rest of SampleSchema's rules, checked on whole columns, a cell that breaks one handed to
  the schema's field for the message: sample_code and mine_code as keys (1 to 32 letters, digits
  and - _ . /), lab at most 100 characters, notes 2000; a sample_code that names a page (new,
  import, ...) and text no database can hold (a NUL) are refused as save_sample refuses them;
- the mines named, in one query: an unknown mine_code is refused; an operator may name only
  their own enterprise's mines;
- the samples already stored with the file's sample codes, in chunks: their rows are updated; an
  operator may not change another enterprise's sample.

Then, only if no row has a problem: new samples are inserted and changed ones updated (a row
holding exactly the stored values changes nothing and writes nothing), and one audit entry per
created or updated sample is written, the same entry the audit log's flush listener writes
(coop.audit.log_bulk). All in the caller's transaction: the caller commits."""

import gc
import re

import marshmallow as ma
import numpy as np
from flask_babel import gettext as _

from coop import clock, policy
from coop.audit import driver_marks, executemany, log_bulk, log_created, logged_columns
from coop.domain import assays
from coop.extensions import db
from coop.models import Mine, Sample
from coop.models.base import utcnow
from coop.schemas.base import KEY_PATTERN, plain_errors
from coop.schemas.production import SampleSchema
from coop.services.errors import ImportFailed
from coop.services.records import RESERVED_KEYS
from coop.services.tabular import ImportSummary

KIND = "samples"
COLUMNS = tuple(SampleSchema.columns())
#: What a sample holds besides its code, as stored (mine_code is stored as mine_id).
STORED = ("mine_id", "sampled_on", "sample_type", "zn_pct", "pb_pct", "lab", "notes")


def _longest(name):
    """The longest value SampleSchema's field name takes (its Length validator's max)."""
    field = SampleSchema._declared_fields[name]
    return next(v.max for v in field.validators if isinstance(v, ma.validate.Length))


#: Text columns and their longest value (SampleSchema's text fields).
TEXTS = {name: _longest(name) for name in ("lab", "notes")}
#: Values bound in one query when looking records up (SQLite's limit is 32,766, PostgreSQL's
#: 65,535).
CHUNK = 5000

_KEY = KEY_PATTERN.removeprefix("^").removesuffix("$")  # it cannot match a newline
_KEY_LENGTH = _longest("sample_code")
_RESERVED_LENGTH = max(map(len, RESERVED_KEYS))


class _Problems:
    """Problems by row position: (position, column, reason), in the order they were found."""

    def __init__(self):
        self.rows = []
        self.columns = {name: set() for name in COLUMNS}  # positions with a problem there

    def add(self, position, column, reason):
        self.rows.append((position, column, reason))
        self.columns[column].add(position)

    def add_field_errors(self, position, column, error):
        for reason in plain_errors({column: error.messages})[column]:
            self.add(position, column, reason)

    def __bool__(self):
        return bool(self.rows)

    def failure(self, first_line):
        order = {name: i for i, name in enumerate(COLUMNS)}
        rows = sorted(
            enumerate(self.rows), key=lambda item: (item[1][0], order[item[1][1]], item[0])
        )
        return ImportFailed(
            [(position + first_line, column, reason) for _, (position, column, reason) in rows]
        )


def _texts(series):
    """Cells as the row path reads them (tabular._cell_value): stripped, a formula neutralised on
    export without its quote, None where empty. An object array."""
    cells = np.array(
        [
            cell.strip() if type(cell) is str else assays.cell_text(cell)
            for cell in series.to_numpy(dtype=object)
        ],
        dtype=object,
    )
    if len(cells) and any(cell[:1] == "'" for cell in cells):
        cells = np.array([assays.cell_text(cell) for cell in cells], dtype=object)
    cells[cells == ""] = None
    return cells


def _fullmatch_all(pattern, cells):
    """Whether each text cell fullmatches pattern (which cannot match a newline): tried on all
    the cells joined first (every cell matches in a good file), cell by cell otherwise."""
    if not len(cells):
        return np.zeros(0, dtype=bool)
    joined = "\n".join(cells) + "\n"
    if joined.count("\n") == len(cells) and re.fullmatch(f"(?:{pattern}\n)*", joined):
        return np.ones(len(cells), dtype=bool)
    match = re.compile(pattern).fullmatch
    return np.fromiter((match(cell) is not None for cell in cells), dtype=bool, count=len(cells))


def _storable_all(cells):
    """Whether each text cell can be stored (records.not_storable: no NUL, no lone surrogate)."""
    joined = "\n".join(cells)
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        if "\x00" not in joined:
            return np.ones(len(cells), dtype=bool)
    return np.fromiter(
        (cell.isascii() or _encodes(cell) for cell in cells), dtype=bool, count=len(cells)
    ) & np.fromiter(("\x00" not in cell for cell in cells), dtype=bool, count=len(cells))


def _encodes(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_keys(problems, field, column, values):
    """The key rules (SampleSchema's key_field) on a column of stripped text (None: empty, which
    the domain check has refused): the message of each bad cell is the field's own."""
    positions = np.flatnonzero(values != None)  # noqa: E711 (element-wise)
    cells = values[positions]
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    good = (lengths <= _KEY_LENGTH) & _fullmatch_all(_KEY, cells)
    for position in positions[~good].tolist():
        try:
            field.deserialize(values[position])
        except ma.ValidationError as error:
            problems.add_field_errors(position, column, error)


def _validate(frame, today, first_line):
    """Every rule a single row's import applies, over whole columns. Returns (values, problems):
    values by column as arrays (sample_code, mine_code, sample_type, lab and notes text or None;
    sampled_on datetime64; zn_pct and pb_pct floats, NaN where empty)."""
    fields = SampleSchema().fields
    problems = _Problems()
    parsed, found = assays.sample_problems_frame(frame, today, first_line)
    values = {
        "sample_code": parsed["sample_code"].to_numpy(dtype=object),
        "mine_code": parsed["mine_code"].to_numpy(dtype=object),
        "sampled_on": parsed["sampled_on"].to_numpy(dtype="datetime64[us]").copy(),
        "sample_type": parsed["sample_type"].to_numpy(dtype=object),
        "zn_pct": parsed["zn_pct"].to_numpy(dtype=float).copy(),
        "pb_pct": parsed["pb_pct"].to_numpy(dtype=float).copy(),
    }
    # The numbers the domain read, read again as the schema's Float reads them, by Python's
    # float() (pandas agrees, but the stored value must be the very one a single row's import
    # stores). numpy turns text into a float with float(), which allows spaces around.
    for column in ("zn_pct", "pb_pct"):
        readable = np.isfinite(values[column])
        if readable.any():
            try:
                numbers = frame[column].to_numpy(dtype=object)[readable].astype(float)
            except ValueError:  # a formula's quote, as an export neutralises one
                numbers = _texts(frame[column])[readable].astype(float)
            values[column][readable] = numbers
    # A date or a number the domain cannot read (or an infinite number) goes to the schema's
    # field, which reads what a single row's import reads and names the problem as it does.
    unread = {"sampled_on": [], "zn_pct": [], "pb_pct": []}
    translated = {}
    for position, column, problem in found:
        if problem.message in (assays.NOT_A_DATE, assays.NOT_A_NUMBER) or (
            problem.message == assays.IN_RANGE and not np.isfinite(values[column][position])
        ):
            unread[column].append(position)
            continue
        key = id(problem)
        if key not in translated:
            translated[key] = _(problem.message, **problem.params)
        problems.add(position, column, translated[key])
    for column, positions in unread.items():
        for position in positions:
            text = assays.cell_text(frame[column].iat[position])
            try:
                value = fields[column].deserialize(text)
            except ma.ValidationError as error:
                problems.add_field_errors(position, column, error)
                continue
            if column == "sampled_on":
                values[column][position] = np.datetime64(value, "us")
                if value > today:
                    message = _(assays.IN_THE_FUTURE, today=today.isoformat())
                    problems.add(position, column, message)
            else:
                values[column][position] = value

    _check_keys(problems, fields["sample_code"], "sample_code", values["sample_code"])
    _check_keys(problems, fields["mine_code"], "mine_code", values["mine_code"])
    codes = values["sample_code"]
    bad_codes = problems.columns["sample_code"]
    for position in np.flatnonzero(codes != None).tolist():  # noqa: E711
        code = codes[position]
        if position in bad_codes:
            continue  # the row path checks a key's pattern first
        if len(code) <= _RESERVED_LENGTH and code.lower() in RESERVED_KEYS:
            message = _("%(value)s names a page of its own; choose another.", value=code)
            problems.add(position, "sample_code", message)

    for column, longest in TEXTS.items():
        cells = _texts(frame[column])
        values[column] = cells
        positions = np.flatnonzero(cells != None)  # noqa: E711
        filled = cells[positions]
        lengths = np.fromiter(map(len, filled), dtype=np.int64, count=len(filled))
        for position in positions[lengths > longest].tolist():
            try:
                fields[column].deserialize(cells[position])
            except ma.ValidationError as error:
                problems.add_field_errors(position, column, error)
        for position in positions[~_storable_all(filled)].tolist():
            problems.add(position, column, _("must be text."))
    return values, problems


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _mines(codes):
    """{code: (id, enterprise id)} of the mines with these codes."""
    found = {}
    for chunk in _chunks(sorted(codes)):
        query = db.select(Mine.code, Mine.id, Mine.enterprise_id).where(Mine.code.in_(chunk))
        found.update((code, (id_, owner)) for code, id_, owner in db.session.execute(query))
    return found


def _iso(day):
    """A stored date as ISO text (SQLite's driver gives the text SQLAlchemy stored)."""
    return day if isinstance(day, str) or day is None else day.isoformat()


def _stored(codes):
    """{sample_code: (id, enterprise id, {STORED column: value})} of the samples with these
    codes, sampled_on as ISO text. Asked of the driver, CHUNK codes a query: SQLAlchemy's binding
    of a long IN list takes several times as long as the lookup itself."""
    connection = db.session.connection()
    query = db.select(Sample.sample_code, Sample.id, Mine.enterprise_id)
    query = query.add_columns(*(getattr(Sample, name) for name in STORED))
    query = query.join(Mine, Sample.mine_id == Mine.id)
    head = str(query.compile(dialect=connection.dialect))
    column = f"{Sample.__table__.name}.{Sample.sample_code.key}"
    found = {}
    for chunk in _chunks(sorted(codes)):
        marks, by_name = driver_marks(connection.dialect, len(chunk))
        sql = f"{head} WHERE {column} IN ({', '.join(marks)})"
        rows = connection.exec_driver_sql(sql, tuple(chunk) if by_name is None else by_name(chunk))
        for code, id_, owner, *held in rows:
            held = dict(zip(STORED, held, strict=True))
            held["sampled_on"] = _iso(held["sampled_on"])
            found[code] = (id_, owner, held)
    return found


def _check_mines(problems, values, user):
    """Refuse unknown mines and, for an operator, other enterprises' mines. Returns the mines
    found, {code: (id, enterprise id)}."""
    codes = values["mine_code"]
    bad = problems.columns["mine_code"]
    named = {
        position: code
        for position, code in enumerate(codes.tolist())
        if code is not None and position not in bad
    }
    mines = _mines(set(named.values()))
    allowed = {
        owner: user is None or policy.can_write(user, KIND, owner) for _, owner in mines.values()
    }
    for position, code in named.items():
        mine = mines.get(code)
        if mine is None:
            problems.add(position, "mine_code", _("no mine has code %(code)s.", code=code))
        elif not allowed[mine[1]]:
            problems.add(position, "mine_code", _("you may not write this record."))
    return mines


def _check_stored(problems, values, user):
    """The samples already stored under the file's codes; for an operator, refuse changing
    another enterprise's. Returns {position: (id, stored values)}."""
    codes = values["sample_code"]
    bad = problems.columns["sample_code"]
    named = {
        position: code
        for position, code in enumerate(codes.tolist())
        if code is not None and position not in bad
    }
    stored = _stored(set(named.values()))
    found = {}
    for position, code in named.items():
        record = stored.get(code)
        if record is None:
            continue
        id_, owner, held = record
        if user is not None and not policy.can_write(user, KIND, owner):
            problems.add(position, "sample_code", _("you may not write this record."))
        found[position] = (id_, held)
    return found


def _rows(values, mines):
    """The rows to store, by column: object arrays of Python values (None where empty), as the
    database takes them but for sampled_on, ISO text."""
    rows = {
        "sample_code": values["sample_code"],
        "mine_id": np.array(
            [mines[code][0] for code in values["mine_code"].tolist()], dtype=object
        ),
        "sampled_on": np.datetime_as_string(values["sampled_on"], unit="D").astype(object),
        "sample_type": values["sample_type"],
    }
    for name in ("zn_pct", "pb_pct"):
        numbers = values[name]
        rows[name] = np.where(np.isnan(numbers), None, numbers.astype(object))
    rows |= {"lab": values["lab"], "notes": values["notes"]}
    return rows


def _write(values, mines, stored):
    """Insert the new samples, update the changed ones, log both. Returns the summary."""
    rows = _rows(values, mines)
    codes = rows["sample_code"]
    now = utcnow()
    connection = db.session.connection()
    logged = logged_columns(Sample)  # sample_code, mine_id, sampled_on, ... notes
    changes = []
    # In sample_code order: the unique index, and the audit log's, then grow at one end.
    order = sorted(range(len(codes)), key=codes.tolist().__getitem__)
    new = np.array([p for p in order if p not in stored], dtype=np.int64)
    if len(new):
        columns = {name: rows[name][new].tolist() for name in ("sample_code", *STORED)}
        columns |= {"created_at": [now] * len(new), "updated_at": [now] * len(new)}
        floor = db.session.scalar(db.select(db.func.max(Sample.id))) or 0
        executemany(connection, Sample.__table__, columns, ready=("sampled_on",))
        # The ids the database gave them: each above the greatest before (others' too, on
        # PostgreSQL, where another import may be writing: only these codes are taken).
        query = db.select(Sample.sample_code, Sample.id).where(Sample.id > floor)
        ids = dict(db.session.execute(query).all())
        codes_new = columns["sample_code"]
        ids_new = list(map(ids.__getitem__, codes_new))
        log_created(connection, Sample, ids_new, codes_new, {k: columns[k] for k in logged})

    changed = []
    for position in sorted(stored, key=codes.__getitem__):
        id_, held = stored[position]
        before = {name: held[name] for name in STORED if rows[name][position] != held[name]}
        if before:
            changed.append(position)
            after = {name: rows[name][position] for name in before}
            changes.append(("update", id_, codes[position], before, after))
    if changed:
        columns = {"id": [stored[p][0] for p in changed]}
        columns |= {name: rows[name][changed].tolist() for name in STORED}
        columns["updated_at"] = [now] * len(changed)
        executemany(connection, Sample.__table__, columns, where="id", ready=("sampled_on",))
        for record in list(db.session.identity_map.values()):
            if isinstance(record, Sample):
                db.session.expire(record)  # loaded before: read afresh
    log_bulk(connection, Sample, changes)  # the updates
    return ImportSummary(
        created=len(new), updated=len(changed), unchanged=len(stored) - len(changed)
    )


def import_samples(frame, user=None):
    """Create or update (by sample_code) one sample per row of a table of text cells, columns
    SampleSchema's (tabular.read_table's frame; the header checked); all or nothing: raises
    ImportFailed with every problem, (line, column, reason), the header being line 1. user None
    is the command line, which may write every sample; otherwise policy.can_write decides, by
    the enterprise of the mine named and of a stored sample's mine."""
    first_line = frame.attrs.get("first_line", 2)
    frame = frame.reset_index(drop=True)
    if not len(frame):
        return ImportSummary()
    # Hundreds of thousands of small containers live until the end and make no cycles: the
    # cyclic garbage collector, which would go through them again and again, can wait.
    collecting = gc.isenabled()
    gc.disable()
    try:
        values, problems = _validate(frame, clock.today(), first_line)
        mines = _check_mines(problems, values, user)
        stored = _check_stored(problems, values, user)
        if problems:
            raise problems.failure(first_line)
        return _write(values, mines, stored)
    finally:
        if collecting:
            gc.enable()
