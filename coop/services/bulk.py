"""A lab's batch file of samples imported at once (docs/design.md "Import and export", "Production
and assays"): hundreds to 100,000 rows, all or nothing, every bad row named by line, column and
reason.

tabular.import_table hands a samples table here (the samples kind's bulk_import) after checking its
header. The generic path there loads, checks and saves one row at a time; this one checks whole
columns at once and writes with one executemany per statement, tens of times faster, and refuses
exactly the rows the generic path refuses (the rules of SampleSchema and save_sample), with the
same messages at the same columns; where a row has several problems it may name more of them
(the generic path stops at a row's first failed step):

- the cells, by SampleSchema's own rules over whole columns (coop.services.columns: required
  cells, keys, sample types, dates, grades from 0 to 100, text lengths, text no database can
  hold, a sample_code that names a page), and a sample_code repeated within the file;
- the day of a sample, not after today (coop.domain.assays, as save_sample checks it);
- the mines named, in one query: an unknown mine_code is refused; an operator may name only
  their own enterprise's mines;
- the samples already stored with the file's sample codes, in chunks: their rows are updated; an
  operator may not change another enterprise's sample.

Then, only if no row has a problem: new samples are inserted and changed ones updated (a row
holding exactly the stored values changes nothing and writes nothing), and one audit entry per
created or updated sample is written, the same entry the audit log's flush listener writes
(coop.audit.log_bulk). All in the caller's transaction: the caller commits."""

import gc

import numpy as np
from flask_babel import gettext as _

from coop import clock, policy
from coop.audit import log_bulk, log_created, logged_columns
from coop.database import driver_marks, executemany
from coop.domain import assays
from coop.domain.refs import next_ref, ref_prefix
from coop.extensions import db
from coop.models import Mine, Sample
from coop.models.base import utcnow
from coop.schemas.production import SAMPLE_CODES, SampleSchema
from coop.services.columns import check_columns
from coop.services.owners import refusal
from coop.services.tabular import ImportSummary

#: What a sample holds besides its code, as stored (mine_code is stored as mine_id).
STORED = ("mine_id", "sampled_on", "sample_type", "zn_pct", "pb_pct", "lab", "notes")


#: Values bound in one query when looking records up (SQLite's limit is 32,766, PostgreSQL's
#: 65,535).
CHUNK = 5000


def _validate(frame, today, first_line):
    """Every rule a single row's import applies, over whole columns: SampleSchema's (by
    coop.services.columns, from the schema itself), and the rule of a sample's day
    (coop.domain.assays.sampled_after_today). Returns (values, problems): values by column as
    arrays (text or None; sampled_on datetime64; zn_pct and pb_pct floats, NaN where empty)."""
    values, problems = check_columns(
        SampleSchema(), frame, unique=("sample_code",), first_line=first_line
    )
    late = assays.sampled_after_today(values["sampled_on"], today)
    if late.any():
        message = _(assays.IN_THE_FUTURE, today=today.isoformat())
        for position in np.flatnonzero(late).tolist():
            problems.add(position, "sampled_on", message)
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


def _check_mines(kind, problems, values, user):
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
        owner: user is None or policy.can_write(user, kind, owner) for _, owner in mines.values()
    }
    for position, code in named.items():
        mine = mines.get(code)
        if mine is None:
            problems.add(position, "mine_code", _("no mine has code %(code)s.", code=code))
        elif not allowed[mine[1]]:
            problems.add(position, "mine_code", refusal(user, code, mine[1]))
    return mines


def _check_stored(kind, problems, values, user):
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
        if user is not None and not policy.can_write(user, kind, owner):
            problems.add(position, "sample_code", refusal(user, code, owner))
        found[position] = (id_, held)
    return found


def _generate_codes(values):
    """Give each row whose sample code is empty the next free code of its mine and day
    (SAMPLE_CODES, as a form's sample gets: coop.services.refs), numbered in the file's order
    after those stored and those the file gives."""
    codes = values["sample_code"]
    empty = [position for position, code in enumerate(codes.tolist()) if code is None]
    if not empty:
        return
    days = values["sampled_on"][empty].astype("datetime64[D]").astype(object)
    prefixes = [
        ref_prefix(SAMPLE_CODES, {"mine_code": values["mine_code"][position], "sampled_on": day})
        for position, day in zip(empty, days, strict=True)
    ]
    taken = {}
    for prefix in set(prefixes):
        stored = db.session.scalars(
            db.select(Sample.sample_code).where(
                Sample.sample_code.startswith(prefix, autoescape=True)
            )
        )
        given = (code for code in codes.tolist() if code and code.startswith(prefix))
        taken[prefix] = [*stored, *given]
    for position, prefix in zip(empty, prefixes, strict=True):
        code = next_ref(SAMPLE_CODES, prefix, taken[prefix])
        taken[prefix].append(code)
        codes[position] = code


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


def import_samples(kind, frame, user=None):
    """Create or update (by sample_code) one sample (of kind, the samples') per row of a table of
    text cells, columns
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
        mines = _check_mines(kind, problems, values, user)
        stored = _check_stored(kind, problems, values, user)
        if problems:
            raise problems.failure(first_line)
        _generate_codes(values)
        return _write(values, mines, stored)
    finally:
        if collecting:
            gc.enable()
