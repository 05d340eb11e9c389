"""A record schema's checks over whole columns (coop/services/columns.py), for the samples a
laboratory imports in large files: each cell refused with the message SampleSchema gives it and
every other read to the value SampleSchema reads, whatever the cells; a repeated sample code
names the line that has it first. Also the cells themselves (coop/services/cells.py) and the
rules of one sample and one month beyond their fields' (coop.domain.assays), against the schema
that checks a form, an API call and an import row alike."""

import math
import random
from datetime import date, datetime
from decimal import Decimal

import marshmallow as ma
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop import create_app
from coop.domain import assays
from coop.domain.assays import SAMPLE_TYPES, production_problems, sample_problems
from coop.schemas.base import plain_errors
from coop.schemas.production import ProductionSchema, SampleSchema
from coop.services.cells import cell_value, column_values, neutralise
from coop.services.columns import check_columns
from tests.conftest import base_config

TODAY = date(2025, 6, 15)
COLUMNS = list(SampleSchema.columns())


@pytest.fixture(scope="module", autouse=True)
def app_context():
    """Messages are lazy strings, made text in an app's context; no database is needed."""
    app = create_app(base_config("sqlite://"))
    with app.app_context():
        yield


def schema_errors(schema, values):
    """{field: [messages]} of schema's load of values ({} when they load)."""
    try:
        schema().load(values)
    except ma.ValidationError as error:
        return plain_errors(error.messages)
    return {}


def loaded(schema, values):
    return schema().load(values)


# --- cells --------------------------------------------------------------------------------------


def test_cell_value():
    assert cell_value(None) is None
    assert cell_value(math.nan) is None
    assert cell_value(pd.NaT) is None
    assert cell_value("  ") is None
    assert cell_value("  3.48\t") == "3.48"
    assert cell_value("'=SUM(A1)") == "=SUM(A1)"  # neutralised on export, taken back on import
    assert cell_value("'-3") == "-3"
    assert cell_value("'abc") == "'abc"
    assert cell_value(3.48) == "3.48"


def test_neutralised_cells_come_back_unchanged():
    for text in ["=SUM(A1)", "+1", "-3", "@x", "'=x", "''=x", "plain", "'plain"]:
        assert cell_value(neutralise(text)) == text


def test_column_values_are_the_cells_values():
    cells = ["S-1", " S-2 ", "", None, math.nan, "'=x", "'plain", 3.5]
    assert column_values(pd.Series(cells, dtype=object)).tolist() == [
        cell_value(cell) for cell in cells
    ]


# --- one sample: SampleSchema's fields, then the rule of its day -------------------------------

SAMPLE = {
    "sample_code": "S-1",
    "mine_code": "NJT-01A",
    "sampled_on": "2005-03-04",
    "sample_type": "feed",
    "zn_pct": 3.48,
    "pb_pct": None,
}


def test_a_good_sample():
    assert schema_errors(SampleSchema, SAMPLE) == {}
    for change in (
        {"sampled_on": TODAY.isoformat(), "pb_pct": 0.0, "zn_pct": 100},
        {"zn_pct": 0, "pb_pct": 100.0},
        {"zn_pct": "3.48"},  # as a form or a cell gives it
        {"pb_pct": ""},  # blank is no value
    ):
        assert schema_errors(SampleSchema, SAMPLE | change) == {}
    values = loaded(SampleSchema, SAMPLE)
    assert sample_problems(values, TODAY) == []
    assert sample_problems(values | {"sampled_on": TODAY}, TODAY) == []
    assert sample_problems(values | {"sampled_on": datetime(2005, 3, 4, 8)}, TODAY) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"zn_pct": 100.01}, {"zn_pct": ["must be from 0 to 100."]}),
        ({"zn_pct": -0.5}, {"zn_pct": ["must be from 0 to 100."]}),
        ({"zn_pct": "nan"}, {"zn_pct": ["must be a finite number."]}),
        ({"zn_pct": "inf"}, {"zn_pct": ["must be a finite number."]}),
        ({"zn_pct": None}, {"zn_pct": ["is required."]}),
        ({"zn_pct": "3,48"}, {"zn_pct": ["must be a number."]}),
        ({"pb_pct": 101}, {"pb_pct": ["must be from 0 to 100."]}),
        ({"pb_pct": -1e-9}, {"pb_pct": ["must be from 0 to 100."]}),
        (
            {"sample_type": "slag"},
            {"sample_type": ["must be one of: feed, concentrate, tailings, waste."]},
        ),
        (
            {"sample_type": "Feed"},
            {"sample_type": ["must be one of: feed, concentrate, tailings, waste."]},
        ),
        ({"sample_type": None}, {"sample_type": ["is required."]}),
        ({"sample_type": ""}, {"sample_type": ["is required."]}),
        ({"sampled_on": None}, {"sampled_on": ["is required."]}),
        ({"sampled_on": "2005-3-4"}, {"sampled_on": ["is not a valid date (use YYYY-MM-DD)."]}),
        ({"sampled_on": "20050304"}, {"sampled_on": ["is not a valid date (use YYYY-MM-DD)."]}),
    ],
)
def test_sample_fields(change, expected):
    assert schema_errors(SampleSchema, SAMPLE | change) == expected


def test_a_sample_is_not_taken_after_today():
    values = loaded(SampleSchema, SAMPLE | {"sampled_on": "2025-06-16"})
    [problem] = sample_problems(values, TODAY)
    assert (problem.field, problem.message % problem.params) == (
        "sampled_on",
        "must not be after today (2025-06-15).",
    )


def test_sample_fields_all_at_once():
    errors = schema_errors(
        SampleSchema, {"sampled_on": "soon", "sample_type": "ore", "zn_pct": 120, "pb_pct": -2}
    )
    # no sample code is no problem: one is generated (SAMPLE_CODES)
    assert list(errors) == ["mine_code", "sampled_on", "sample_type", "zn_pct", "pb_pct"]


# --- one month of production -------------------------------------------------------------------

PRODUCTION = {
    "mine_code": "NJT-01A",
    "month": "2005-03",
    "ore_mined_t": 1200.0,
    "ore_processed_t": 1000.0,
    "concentrate_t": 62.5,
    "revenue_rmb": "125000.00",
}


def test_good_production():
    values = loaded(ProductionSchema, PRODUCTION)
    assert production_problems(values, TODAY) == []
    # more ore processed than mined: from a stockpile
    assert production_problems(values | {"ore_mined_t": 0.0}, TODAY) == []
    # the current month, optional fields empty, concentrate equal to the ore (absurd but possible)
    assert production_problems(loaded(ProductionSchema, {"mine_code": "M", "month": "2025-06"}),
                               TODAY) == []  # fmt: skip
    assert production_problems(values | {"concentrate_t": 1000.0}, TODAY) == []
    assert production_problems(values | {"ore_processed_t": None}, TODAY) == []
    assert loaded(ProductionSchema, PRODUCTION | {"month": "2005-03-01"})["month"] == "2005-03"
    assert loaded(ProductionSchema, PRODUCTION)["revenue_rmb"] == Decimal("125000.00")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ore_mined_t": -1.0}, {"ore_mined_t": ["must be from 0 to 1000000000."]}),
        ({"ore_processed_t": -0.001}, {"ore_processed_t": ["must be from 0 to 1000000000."]}),
        ({"concentrate_t": -5}, {"concentrate_t": ["must be from 0 to 1000000000."]}),
        ({"revenue_rmb": "-0.01"}, {"revenue_rmb": ["must be from 0 to 999999999999.99."]}),
        ({"revenue_rmb": "NaN"}, {"revenue_rmb": ["must be a finite number."]}),
        ({"ore_mined_t": "inf"}, {"ore_mined_t": ["must be a finite number."]}),
        ({"ore_mined_t": "nan"}, {"ore_mined_t": ["must be a finite number."]}),
        ({"ore_mined_t": "twelve"}, {"ore_mined_t": ["must be a number."]}),
        ({"month": "2005-13"}, {"month": ["is not a valid month (use YYYY-MM)."]}),
        ({"month": "2005-3"}, {"month": ["is not a valid month (use YYYY-MM)."]}),
        ({"month": "march"}, {"month": ["is not a valid month (use YYYY-MM)."]}),
        ({"month": None}, {"month": ["is required."]}),
        ({"month": ""}, {"month": ["is required."]}),
    ],
)
def test_production_fields(change, expected):
    assert schema_errors(ProductionSchema, PRODUCTION | change) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"concentrate_t": 1000.5},
            [
                (
                    "concentrate_t",
                    "must not exceed the ore processed (1000 t): the concentrate is made from the "
                    "ore processed, so it cannot weigh more.",
                )
            ],
        ),
        ({"month": "2025-07"}, [("month", "must not be after the current month (2025-06).")]),
    ],
)
def test_production_rules(change, expected):
    values = loaded(ProductionSchema, PRODUCTION | change)
    problems = production_problems(values, TODAY)
    assert [(p.field, p.message % p.params) for p in problems] == expected


# --- the columns at once, against the schema row by row ---------------------------------------


def row(**cells):
    base = {
        "sample_code": "S-1",
        "mine_code": "NJT-01A",
        "sampled_on": "2005-03-04",
        "sample_type": "feed",
        "zn_pct": "3.48",
        "pb_pct": "",
        "lab": "",
        "notes": "",
    }
    return base | cells


def frame_of(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


def problems_of(found):
    return [(position, column, reason) for position, column, reason in found.rows]


def test_good_rows():
    frame = frame_of([row(sample_code=f"S-{i}", pb_pct="0.1" if i % 2 else "") for i in range(5)])
    values, problems = check_columns(SampleSchema(), frame, unique=("sample_code",))
    assert not problems
    assert values["sampled_on"].dtype.kind == "M"
    assert values["sampled_on"].astype("datetime64[D]").tolist() == [date(2005, 3, 4)] * 5
    assert values["zn_pct"].tolist() == [3.48] * 5
    assert np.isnan(values["pb_pct"]).tolist() == [True, False, True, False, True]
    assert values["sample_code"].tolist() == [f"S-{i}" for i in range(5)]
    assert values["lab"].tolist() == [None] * 5
    assert frame["zn_pct"].tolist() == ["3.48"] * 5  # the frame given is left alone


def test_duplicates_name_the_first_line():
    frame = frame_of(
        [
            row(sample_code="A"),
            row(sample_code="B"),
            row(sample_code=" A "),
            row(sample_code=""),  # empty codes are generated, so none is a duplicate
            row(sample_code=""),
            row(sample_code="A", zn_pct="x"),
            row(sample_code="b"),  # codes differ by case: not the same
        ]
    )
    _, problems = check_columns(SampleSchema(), frame, unique=("sample_code",))
    assert sorted(problems_of(problems)) == [
        (2, "sample_code", "A is already on line 2."),
        (5, "sample_code", "A is already on line 2."),
        (5, "zn_pct", "must be a number."),
    ]
    # lines count from the first line given
    _, problems = check_columns(SampleSchema(), frame, unique=("sample_code",), first_line=7)
    assert ("A is already on line 7.") in [reason for *_, reason in problems.rows]
    assert problems.failure(7).rows[0] == (9, "sample_code", "A is already on line 7.")


def test_no_rows():
    values, problems = check_columns(SampleSchema(), frame_of([]))
    assert not problems and all(len(v) == 0 for v in values.values())


CELLS = {
    "sample_code": [
        "S-1",
        "S-2",
        "S-3",
        " S-1",
        "",
        "  ",
        "'=S-9",
        None,
        "样品-1",
        "new",
        "S" * 33,
    ],
    "mine_code": ["NJT-01A", "NJT-02", "", " NJT-02 ", None, "'@x", "矿-1"],
    "sampled_on": [
        "2005-03-04",
        "2004-02-29",
        "2005-02-29",
        "2005-3-4",
        "2025-06-15",
        "2025-06-16",
        "9999-12-31",
        "0000-01-01",
        "0001-01-01",
        "",
        None,
        " 2005-12-31 ",
        "2005-12-31\n2005-12-30",
        "20050304",
        "2005/03/04",
        "２００５-03-04",
        "2005-13-01",
        "yesterday",
        math.nan,
    ],
    "sample_type": ["feed", "concentrate", "tailings", "waste", " feed ", "Feed", "slag", "", None],
    "zn_pct": [
        "3.48",
        "0",
        "100",
        "100.0000001",
        "-0",
        "-1",
        "1e999",
        "1e-400",
        ".5",
        "5.",
        "+2",
        "3,48",
        "nan",
        "inf",
        "１",
        "'-3",
        "",
        None,
        " 7 ",
        "1_0",
        "0x1",
        "e5",
        math.nan,
    ],
    "pb_pct": ["", "0.5", "101", "x", None, "  ", "99.99", "-0.1", math.nan],
    "lab": ["", "Duyun lab", "x" * 101, "a\x00b", None],
    "notes": ["", "n" * 2001, "fine", "bad \ud800"],
}


def random_rows(rng, n):
    return [{name: rng.choice(CELLS[name]) for name in COLUMNS} for _ in range(n)]


def check_against_rows(frame):
    """check_columns finds for each row what SampleSchema finds loading the row's cells (as the
    row-by-row import gives them), reads the same values, and refuses a sample code that an
    earlier row has (of the rows the schema takes) naming that row's line."""
    values, problems = check_columns(SampleSchema(), frame, unique=("sample_code",))
    found = {}
    for position, column, reason in problems.rows:
        found.setdefault(position, {}).setdefault(column, []).append(reason)
    first_line, seen = {}, {}
    for position, cells in enumerate(frame.to_dict("records")):
        given = {name: cell_value(cells[name]) or "" for name in COLUMNS}
        expected = schema_errors(SampleSchema, given)
        if "sample_code" not in expected and given["sample_code"].strip():  # empty: generated
            code = SampleSchema().fields["sample_code"].deserialize(given["sample_code"])
            if code in first_line:
                message = f"{code} is already on line {first_line[code]}."
                expected.setdefault("sample_code", []).insert(0, message)
            else:
                first_line[code] = position + 2
        got = found.get(position, {})
        assert {k: sorted(v) for k, v in got.items()} == {
            k: sorted(v) for k, v in expected.items()
        }, (position, given)
        if not expected:
            read = loaded(SampleSchema, given)
            seen[position] = read
            for name in COLUMNS:
                value = values[name][position]
                if name == "sampled_on":
                    value = value.astype("datetime64[D]").tolist()
                elif isinstance(value, float) and math.isnan(value):
                    value = None
                assert value == read.get(name), (name, value, read.get(name))
    return problems


def test_columns_agree_with_rows_on_random_frames():
    rng = random.Random(20051231)
    found = set()
    for n in (1, 2, 7, 50, 400):
        for _ in range(5):
            problems = check_against_rows(frame_of(random_rows(rng, n)))
            found.update(reason.split(" is already on line")[0] for *_, reason in problems.rows)
    # the frames were bad in every way there is
    assert {
        "is required.",
        "is not a valid date (use YYYY-MM-DD).",
        "must be one of: feed, concentrate, tailings, waste.",
        "must be a number.",
        "must be a finite number.",
        "must be from 0 to 100.",
        "must be text.",
        "must be 1 to 32 characters long.",
        "new names a page of its own; choose another.",
        "must be between 0 and 100 characters long.",
        "S-1",
    } <= found


def test_columns_agree_with_rows_whatever_the_column_types():
    rng = random.Random(7)
    frame = frame_of(random_rows(rng, 300))
    check_against_rows(frame.astype(object))
    # numbers and dates as cells, as a spreadsheet may give them
    frame = frame_of([row(zn_pct=3.48, pb_pct=math.nan), row(sample_code="S-2", zn_pct=120)])
    problems = check_against_rows(frame)
    assert problems_of(problems) == [(1, "zn_pct", "must be from 0 to 100.")]


cell_strategy = st.one_of(
    st.none(),
    st.just(math.nan),
    st.text(alphabet="0123456789.-+eE '=Qx\t\n", max_size=12),
    st.dates().map(date.isoformat),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from([cell for cells in CELLS.values() for cell in cells]),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({name: cell_strategy for name in COLUMNS}), max_size=12))
def test_columns_agree_with_rows_on_any_cells(rows):
    check_against_rows(frame_of(rows))


def test_100000_rows_and_the_one_duplicate():
    """Its speed is measured in benchmarks/, not here."""
    rng = np.random.default_rng(2005)
    n = 100_000
    months, days = rng.integers(1, 13, n), rng.integers(1, 29, n)
    frame = pd.DataFrame(
        {
            "sample_code": [f"DAOA-{i:06d}" for i in range(n)],
            "mine_code": rng.choice(["NJT-01A", "NJT-02", "MZ-03"], n),
            "sampled_on": [f"2005-{m:02d}-{d:02d}" for m, d in zip(months, days, strict=True)],
            "sample_type": rng.choice(list(SAMPLE_TYPES), n),
            "zn_pct": [f"{x:.2f}" for x in rng.uniform(0, 60, n)],
            "pb_pct": [f"{x:.2f}" if x < 3 else "" for x in rng.uniform(0, 6, n)],
            "lab": "",
            "notes": "",
        },
        dtype=str,
    )
    frame.loc[n - 1, "sample_code"] = "DAOA-000000"
    values, problems = check_columns(SampleSchema(), frame, unique=("sample_code",))
    assert problems_of(problems) == [(n - 1, "sample_code", "DAOA-000000 is already on line 2.")]
    assert not np.isnan(values["zn_pct"]).any()


def test_the_rule_of_a_samples_day_over_a_column():
    days = np.array(["2025-06-15", "2025-06-16", "NaT"], dtype="datetime64[us]")
    assert assays.sampled_after_today(days, TODAY).tolist() == [False, True, False]
