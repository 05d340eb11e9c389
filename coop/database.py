"""Engine settings that must hold on every connection."""

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
