"""Importing a lab's batch file of 100,000 samples from CSV through the app (coop.services.tabular
read_table and import_table, which hand samples to coop.services.bulk: reading, every check, the
inserts, one audit entry a sample and the commit), into a fresh SQLite database made by the
migrations and holding the demo's enterprises and mines; against the raw limit, in the same run:
plain sqlite3 executemany of the same rows into the same table (its unique and two other indexes,
foreign keys on, WAL, as the app's connections), and a commit. Best of RUNS, a fresh database
each. Target: at least 50,000 rows/s. The import writes twice the rows the raw insert writes
(the samples and their audit entries), so it cannot come near the raw rate.

Run: .venv/bin/python -m benchmarks.sample_import (or -m benchmarks for all)."""

import csv
import io
import logging
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from flask_migrate import upgrade

from coop import create_app
from coop.audit import acting_as
from coop.demo import members as demo_members
from coop.extensions import db
from coop.manifests.production import SAMPLES
from coop.models import AuditEntry, Mine, Sample
from coop.services import tabular
from coop.services.members import save_enterprise, save_mine

SEED = 20050101
COUNT = 100_000
TODAY = date(2025, 6, 30)
RUNS = 3
TARGET = 50_000  # rows/s
LABS = ["都匀市矿产品检测中心", "Duyun assay lab", "黔南州地质实验室", ""]
# Zinc and lead grades (mean, spread) by sample type, around the DAOA's 2005 figures.
GRADES = {
    "feed": ((3.48, 0.6), (0.9, 0.3)),
    "concentrate": ((48.0, 3.0), (1.5, 0.5)),
    "tailings": ((0.28, 0.06), (0.1, 0.04)),
    "waste": ((0.55, 0.2), (0.2, 0.1)),
}


def sample_rows(count=COUNT, seed=SEED):
    """A lab's file, deterministic: the demo's open mines, days over the four years before
    TODAY, the four sample types (feed and tailings most often), grades to 2 decimals by type,
    lead in two rows of three, a note now and then."""
    rng = np.random.default_rng(seed)
    mines = [row[0] for row in demo_members.MINES if row[5] != "closed"]
    types = list(GRADES)
    picked = rng.choice(len(types), size=count, p=[0.4, 0.2, 0.3, 0.1])
    rows = []
    for i in range(count):
        mine = mines[int(rng.integers(len(mines)))]
        kind = types[int(picked[i])]
        (zn, zn_sd), (pb, pb_sd) = GRADES[kind]
        day = TODAY - timedelta(days=int(rng.integers(1, 4 * 365)))
        lead = f"{max(0.0, rng.normal(pb, pb_sd)):.2f}" if rng.random() < 2 / 3 else ""
        rows.append(
            [
                f"{mine}-{day:%y%m}-{i:06d}",
                mine,
                day.isoformat(),
                kind,
                f"{min(100.0, max(0.0, rng.normal(zn, zn_sd))):.2f}",
                lead,
                LABS[int(rng.integers(len(LABS)))],
                "复检" if rng.random() < 0.05 else "",
            ]
        )
    return rows


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SAMPLES.columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def fresh_app(folder):
    """An app on a new SQLite database in folder, migrated, holding the demo's members."""
    url = f"sqlite:///{folder / 'coop.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    app.config["TODAY"] = TODAY.isoformat()
    with app.app_context(), acting_as("bench"):
        upgrade()
        for code, name, _representative, joined_on, _phone in demo_members.ENTERPRISES:
            save_enterprise({"code": code, "name": name, "joined_on": joined_on})
        for code, owner, name, minerals, method, status, opened_on, closed_on in demo_members.MINES:
            save_mine(
                {
                    "code": code,
                    "enterprise_code": owner,
                    "name": name,
                    "minerals": minerals,
                    "mining_method": method,
                    "status": status,
                    "opened_on": opened_on,
                    "closed_on": closed_on,
                }
            )
        db.session.commit()
        db.engine.dispose()
    return app


def import_through_app(content):
    """Seconds to read, check, write and commit the file through the app, on a fresh database."""
    with tempfile.TemporaryDirectory() as folder:
        app = fresh_app(Path(folder))
        with app.app_context(), acting_as("bench"):
            started = time.perf_counter()
            frame = tabular.read_table(io.BytesIO(content), "samples.csv", SAMPLES)
            summary = tabular.import_table(SAMPLES, frame)
            db.session.commit()
            seconds = time.perf_counter() - started
            samples = db.session.scalar(db.select(db.func.count()).select_from(Sample))
            logged = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
            assert summary.created == samples == COUNT, (summary, samples)
            assert logged >= COUNT
            db.engine.dispose()
    return seconds


def raw_insert(rows):
    """Seconds for plain sqlite3 to insert the same rows (mine ids looked up, dates and times as
    SQLAlchemy stores them) into the same table of a fresh database, and commit."""
    with tempfile.TemporaryDirectory() as folder:
        app = fresh_app(Path(folder))
        with app.app_context():
            mine_ids = {c: i for c, i in db.session.execute(db.select(Mine.code, Mine.id))}
            db.engine.dispose()
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        values = [
            (
                code,
                mine_ids[mine],
                day,
                kind,
                float(zn),
                float(pb) if pb else None,
                lab or None,
                notes or None,
                now,
                now,
            )
            for code, mine, day, kind, zn, pb, lab, notes in rows
        ]
        connection = sqlite3.connect(Path(folder) / "coop.sqlite3")
        connection.execute("PRAGMA foreign_keys=ON")  # as the app's connections
        connection.execute("PRAGMA journal_mode=WAL")
        started = time.perf_counter()
        connection.executemany(
            "INSERT INTO samples (sample_code, mine_id, sampled_on, sample_type, zn_pct, pb_pct,"
            " lab, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
        connection.commit()
        seconds = time.perf_counter() - started
        connection.close()
    return seconds


def main():
    logging.getLogger("alembic").setLevel(logging.WARNING)
    rows = sample_rows()
    content = csv_bytes(rows)
    app_s = min(import_through_app(content) for _ in range(RUNS))
    raw_s = min(raw_insert(rows) for _ in range(RUNS))
    # The import writes in sample_code order (its indexes then grow at one end): the raw
    # insert of the rows in that order, for comparison.
    sorted_s = min(raw_insert(sorted(rows)) for _ in range(RUNS))
    app_rate = COUNT / app_s
    print(f"samples: {COUNT:,} rows, {len(content) / 1e6:.1f} MB of CSV")
    print(
        f"import through the app (read, check, write, audit log, commit), best of {RUNS}: "
        f"{app_s:.2f} s, {app_rate:,.0f} rows/s"
    )
    print(f"raw limit, sqlite3 executemany + commit, best of {RUNS}: ", end="")
    print(f"{raw_s:.2f} s, {COUNT / raw_s:,.0f} rows/s")
    print(f"  the same rows in sample_code order: {sorted_s:.2f} s, {COUNT / sorted_s:,.0f} rows/s")
    print(f"ratio import / raw: {app_s / raw_s:.2f} (to the sorted rows: {app_s / sorted_s:.2f})")
    print(f"target: at least {TARGET:,} rows/s: {'met' if app_rate >= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
