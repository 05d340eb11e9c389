"""Engine settings that must hold on every connection, and writing many rows at once at the
driver (executemany), for bulk imports and their audit entries."""

from sqlalchemy import event

from coop.extensions import db


def configure_engine(app):
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    timeout = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def sqlite_pragmas(dbapi_connection, _record):
        # WAL lets readers work during a write; foreign keys are off by default in SQLite.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={timeout}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "savepoint")
    def begin_before_savepoint(connection, _name):
        # Python's sqlite3 opens a transaction only before an INSERT, UPDATE or DELETE. A
        # SAVEPOINT outside one starts a transaction of its own, which its RELEASE commits: the
        # rows of a savepoint released before the first plain write would be committed even if
        # the request then rolled back (an attendance sheet half saved). So a savepoint always
        # opens inside a transaction, as on PostgreSQL.
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN")


def driver_marks(dialect, count):
    """The marks for count bound values in the text of a statement for dialect's driver (? for
    SQLite), and how a row of values (a tuple) goes to the driver with them: as it is, or as a
    dict for a driver that takes values by name."""
    style = dialect.paramstyle
    if style in ("qmark", "format", "numeric"):
        marks = {"qmark": "?", "format": "%s"}.get(style)
        return [marks] * count if marks else [f":{i}" for i in range(1, count + 1)], None
    names = [f"p{i}" for i in range(count)]
    marks = [f":{n}" for n in names] if style == "named" else [f"%({n})s" for n in names]
    return marks, lambda row: dict(zip(names, row, strict=True))


def _driver_values(column, values, dialect):
    """values of column as the driver takes them, converted as SQLAlchemy's bind processing
    converts them (SQLite: dates and times as text); one value repeated (the time of a change)
    is converted once."""
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None or not values:
        return values
    if values.count(values[0]) == len(values):
        return [processor(values[0])] * len(values)
    return list(map(processor, values))


def executemany(connection, table, columns, where=None, ready=()):
    """Write many rows of table with one executemany at the driver, in connection's transaction:
    an INSERT, or with where (a column name) an UPDATE of the row whose where column has the
    given value. columns: {column name: a list of values, one a row}, as SQLAlchemy takes them
    (dates, datetimes, dicts for JSON) except the columns named in ready, whose values are as
    the database takes them (a date as ISO text, JSON as its text). No audit entry is written:
    see log_bulk and log_created."""
    if not columns or not len(next(iter(columns.values()))):
        return
    dialect = connection.dialect
    names = list(columns)
    values = [
        cells if name in ready else _driver_values(table.c[name], cells, dialect)
        for name, cells in columns.items()
    ]
    if where is not None:  # its values go last, as the UPDATE statement takes them
        position = names.index(where)
        values.append(values.pop(position))
        names.append(names.pop(position))
    marks, by_name = driver_marks(dialect, len(names))
    # Only names from the table's metadata, quoted, go into the text; every value is bound.
    quote = dialect.identifier_preparer.quote
    target = quote(table.name)
    if where is None:
        listed = ", ".join(quote(n) for n in names)
        sql = f"INSERT INTO {target} ({listed}) VALUES ({', '.join(marks)})"  # noqa: S608
    else:
        sets = ", ".join(f"{quote(n)} = {m}" for n, m in zip(names[:-1], marks[:-1], strict=True))
        sql = f"UPDATE {target} SET {sets} WHERE {quote(where)} = {marks[-1]}"  # noqa: S608
    rows = list(zip(*values, strict=True))
    connection.exec_driver_sql(sql, rows if by_name is None else list(map(by_name, rows)))
