"""The assay summary (coop.services.assays.summary, by year, the association and every mine) over
1,000,000 samples in SQLite, against the raw limit measured in the same run: one plain SQL
GROUP BY year and sample type with avg(zn_pct), which no index helps. Target: within 2x of it.

Setup: a SQLite file made by the app's migrations, 40 mines (through the services), then the
samples and 25 years of monthly production inserted with plain sqlite3 executemany.

Run: .venv/bin/python -m benchmarks.assay_summary (or -m benchmarks for all)."""

import logging
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

SEED = 20050101
SAMPLES = 1_000_000
MINES = 40
YEARS = (2000, 2024)
RUNS = 5
TARGET_RATIO = 2.0

# type: (share of samples, mean zn %, standard deviation)
KINDS = {
    "feed": (0.40, 3.48, 0.5),
    "concentrate": (0.25, 52.0, 2.5),
    "tailings": (0.25, 0.28, 0.06),
    "waste": (0.10, 0.55, 0.15),
}
STAMP = "2025-01-01 00:00:00.000000"  # created_at, updated_at
RAW_SQL = (
    "SELECT substr(sampled_on, 1, 4) AS year, sample_type, count(*), avg(zn_pct) "
    "FROM samples GROUP BY year, sample_type"
)


def make_database(path):
    """A migrated SQLite file with MINES mines (E01..E08, 5 mines each); returns their ids."""
    from flask_migrate import upgrade

    from coop import create_app
    from coop.audit import acting_as
    from coop.extensions import db
    from coop.services.members import save_enterprise, save_mine

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
    with app.app_context():
        logging.disable(logging.INFO)  # Alembic's "Running upgrade" lines
        upgrade()
        logging.disable(logging.NOTSET)
        with acting_as("benchmark"):
            for e in range(MINES // 5):
                save_enterprise(
                    {
                        "code": f"E{e + 1:02d}",
                        "name": f"E{e + 1:02d}",
                        "joined_on": date(1999, 1, 1),
                    }
                )
                for m in range(5):
                    save_mine(
                        {
                            "code": f"M{e + 1:02d}{m + 1}",
                            "enterprise_code": f"E{e + 1:02d}",
                            "name": f"Mine {e + 1}-{m + 1}",
                            "minerals": "Zn,Pb",
                            "mining_method": "underground",
                            "status": "active",
                        }
                    )
        db.session.commit()
        db.engine.dispose()
    return app


def fill(path, seed=SEED):
    """SAMPLES samples spread over the mines and days of YEARS, and every mine's production of
    every month (ore processed 4,000-6,000 t, concentrate for an 88-93 % recovery)."""
    rng = np.random.default_rng(seed)
    connection = sqlite3.connect(path)
    mine_ids = [row[0] for row in connection.execute("SELECT id FROM mines ORDER BY code")]
    first, last = date(YEARS[0], 1, 1).toordinal(), date(YEARS[1], 12, 31).toordinal()
    days = rng.integers(first, last + 1, SAMPLES)
    names = list(KINDS)
    kinds = rng.choice(len(names), SAMPLES, p=[KINDS[k][0] for k in names])
    means = np.array([KINDS[k][1] for k in names])[kinds]
    spreads = np.array([KINDS[k][2] for k in names])[kinds]
    grades = np.clip(rng.normal(means, spreads), 0.01, 99.0).round(3)
    mines = rng.choice(mine_ids, SAMPLES)
    day_text = {d: date.fromordinal(d).isoformat() for d in range(first, last + 1)}
    rows = (
        (
            f"B{i:07d}",
            int(mines[i]),
            day_text[int(days[i])],
            names[kinds[i]],
            float(grades[i]),
            STAMP,
            STAMP,
        )
        for i in range(SAMPLES)
    )
    with connection:
        connection.executemany(
            "INSERT INTO samples (sample_code, mine_id, sampled_on, sample_type, zn_pct, lab, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'bench', ?, ?)",
            rows,
        )
        production = []
        for mine in mine_ids:
            for year in range(YEARS[0], YEARS[1] + 1):
                for month in range(1, 13):
                    ore = float(rng.uniform(4000, 6000))
                    concentrate = ore * 3.48 * float(rng.uniform(0.88, 0.93)) / 52.0
                    production.append(
                        (mine, f"{year}-{month:02d}", ore, ore, concentrate, STAMP, STAMP)
                    )
        connection.executemany(
            "INSERT INTO production (mine_id, month, ore_mined_t, ore_processed_t, concentrate_t, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            production,
        )
    connection.close()
    return len(production)


def best_of(function, runs=RUNS):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def main():
    from coop.services import assays

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        app = make_database(path)
        started = time.perf_counter()
        months = fill(path)
        print(
            f"setup: {SAMPLES:,} samples, {MINES} mines, {months:,} months of production, "
            f"inserted in {time.perf_counter() - started:.1f} s"
        )

        raw = sqlite3.connect(path)
        raw.execute(RAW_SQL).fetchall()  # warm the page cache
        raw_s, raw_rows = best_of(lambda: raw.execute(RAW_SQL).fetchall())
        with app.app_context():
            assays.summary(period="year")  # warm up (imports, connection)
            service_s, items = best_of(lambda: assays.summary(period="year"))
        # The raw limit again after the service's runs, in case the cache changed: the best.
        raw_s = min(raw_s, best_of(lambda: raw.execute(RAW_SQL).fetchall())[0])
        raw.close()

        # The same figures: the association's pooled counts and means are the plain avg()'s.
        association = {i["period"]: i for i in items if i["mine_code"] is None}
        for year, kind, count, mean in raw_rows:
            assert association[year]["samples"][kind] == count
            assert abs(association[year][f"{kind}_zn_pct"] - mean) < 1e-9
        ratio = service_s / raw_s
        print(f"items: {len(items):,} ({len(association)} years x (association + {MINES} mines))")
        print(f"service summary by year, best of {RUNS}: {service_s * 1000:.0f} ms")
        print(f"plain SQL GROUP BY year, type with avg(), best of {RUNS}: {raw_s * 1000:.0f} ms")
        print(f"ratio service / plain SQL: {ratio:.2f}")
        print(f"target: within {TARGET_RATIO:.0f}x: {'met' if ratio <= TARGET_RATIO else 'MISSED'}")


if __name__ == "__main__":
    main()
