"""Start-up: `flask --app coop --help` (which builds the app to list its commands), each run a new
process, median of RUNS after one warm-up run; and, for comparison, a Python that imports Flask
and SQLAlchemy only. pandas, numpy, shapely, pyproj and matplotlib are not imported at start-up:
the modules that need them import them (the check below says which are).

Run: .venv/bin/python -m benchmarks.startup [FOLDER] (FOLDER: another checkout of coop to time,
such as an earlier commit in a git worktree; default: this one)."""

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7
HEAVY = ("pandas", "numpy", "shapely", "pyproj", "matplotlib", "openpyxl")


def seconds(command, folder):
    started = time.perf_counter()
    subprocess.run(command, cwd=folder, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - started


def median_of(command, folder):
    seconds(command, folder)  # warm the file cache
    return statistics.median(seconds(command, folder) for _ in range(RUNS))


def main(folder=None):
    folder = Path(folder or Path(__file__).resolve().parents[1])
    python = sys.executable
    flask_help = median_of([python, "-m", "flask", "--app", "coop", "--help"], folder)
    bare = median_of([python, "-c", "import flask, sqlalchemy"], folder)
    script = (
        "import sys, coop; coop.create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://', "
        f"'SECRET_KEY': 'x'}}); print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = subprocess.run(  # noqa: S603
        [python, "-c", script],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"flask --app coop --help, median of {RUNS}: {flask_help:.2f} s")
    print(f"python -c 'import flask, sqlalchemy', median of {RUNS}: {bare:.2f} s")
    print(f"heavy libraries imported by create_app(): {loaded or 'none'}")


if __name__ == "__main__":
    main(*sys.argv[1:])
