"""The demonstration association's leases and disputes (coop/demo.py): every mine has a lease,
the overlap scan finds exactly the one overlap designed into it, one permit is about to expire,
and the boundaries read back to the numbers of the permits' corner tables."""

import math
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest
import shapely

from coop import clock, demo
from coop.audit import acting_as
from coop.domain import leases as rules
from coop.extensions import db
from coop.services.leases import (
    all_conflicts,
    all_leases,
    dispute_by_ref,
    expired_leases,
    lease_by_permit,
    leases_ending,
)
from coop.services.members import mine_by_code

OVERLAP = ("C5227012021127130124461", "C5227012022107130131877")  # NJT-09A, NJT-10A
OVERLAP_M2 = (4000, 4800)  # designed: a 350 m by 25 m wedge, 4,375 m2
EDGE_PAIRS = [("NJT-01B", "NJT-02A"), ("NJT-06A", "NJT-07A"), ("NJT-01A", "NJT-01B")]
AREA_M2 = (300_000, 2_000_000)  # a few tenths of a km2 to 2 km2, as small-mine permits are
GAUSS_KRUGER = [mine for mine, (crs, _) in demo.BOUNDARIES.items() if crs != "EPSG:4490"]


@pytest.fixture
def config():
    return {"TODAY": date(2026, 12, 1)}


@pytest.fixture
def loaded(app):
    with acting_as("test"):
        counts = demo.load()
        db.session.commit()
    return counts


def leases_of(mine_code):
    """A mine's leases, oldest first."""
    return sorted(mine_by_code(mine_code).leases, key=lambda lease: lease.valid_from)


def current_lease(mine_code):
    today = clock.today()
    (lease,) = [x for x in leases_of(mine_code) if rules.is_valid_on(x, today)]
    return lease


def test_load_counts_the_leases_and_disputes(loaded):
    assert loaded["leases"] == len(demo.LEASES) == len(all_leases())
    assert loaded["disputes"] == len(demo.DISPUTES) == 2


def test_seed_demo_reports_the_leases(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert f"{len(demo.LEASES)} leases, 2 disputes" in result.stdout


def test_every_mine_has_a_lease_and_every_open_mine_one_in_force(loaded):
    today = clock.today()
    for code, *_, status, _opened_on, closed_on in demo.MINES:
        leases = leases_of(code)
        assert leases, code
        in_force = [lease for lease in leases if rules.is_valid_on(lease, today)]
        if status == "closed":
            # the closed mine's permit ended with it
            assert in_force == [], code
            assert abs((leases[-1].valid_to - closed_on).days) <= 31
        else:
            assert len(in_force) == 1, code
    assert expired_leases(today) == []


def test_renewals_keep_the_boundary_and_follow_their_predecessor(loaded):
    by_mine = defaultdict(list)
    for lease in all_leases():
        by_mine[lease.mine_code].append(lease)
    renewed = {code: leases for code, leases in by_mine.items() if len(leases) > 1}
    assert len(renewed) >= 3
    for leases in renewed.values():
        leases.sort(key=lambda lease: lease.valid_from)
        for old, new in pairwise(leases):
            assert new.valid_from == old.valid_to + timedelta(days=1)
            assert new.boundary == old.boundary and new.permit_no != old.permit_no
            assert not rules.periods_overlap(old, new)


def test_the_one_conflict_is_the_designed_overlap(loaded):
    (conflict,) = all_conflicts()
    assert (conflict.a, conflict.b) == OVERLAP
    assert OVERLAP_M2[0] < conflict.area_m2 < OVERLAP_M2[1]
    first, second = (lease_by_permit(permit) for permit in OVERLAP)
    assert first.enterprise_id != second.enterprise_id
    assert first.mine_code == "NJT-09A" and second.mine_code == "NJT-10A"
    assert rules.elevations_overlap(first, second)
    # both are the permits in force
    assert first == current_lease("NJT-09A") and second == current_lease("NJT-10A")


@pytest.mark.parametrize(("mine_a", "mine_b"), EDGE_PAIRS)
def test_leases_that_share_an_edge_do_not_conflict(loaded, mine_a, mine_b):
    a, b = current_lease(mine_a), current_lease(mine_b)
    # they share an edge of a few hundred metres ...
    shared = shapely.intersection(a.geometry, b.geometry)
    assert shared.length > 0.005  # degrees, over 500 m
    assert rules.geodesic_area_m2(shared) < rules.MIN_CONFLICT_AREA_M2
    # ... in the same period and at overlapping elevations, yet do not conflict
    assert rules.periods_overlap(a, b) and rules.elevations_overlap(a, b)
    assert rules.find_conflicts([a.extent(), b.extent()]) == []


@pytest.mark.parametrize("config", [{"TODAY": date(2026, 12, 1)}, {"TODAY": date(2030, 6, 1)}])
def test_exactly_one_lease_in_force_ends_within_90_days(loaded, config):
    today = clock.today()
    assert today == config["TODAY"]
    (ending,) = leases_ending(today, today + timedelta(days=90))
    assert ending.mine_code == "NJT-02B"
    assert ending.mine.status == "active"
    assert ending.valid_to == today + timedelta(days=demo.EXPIRING_IN_DAYS)
    assert ending.days_to_expiry(today) == demo.EXPIRING_IN_DAYS


@pytest.mark.parametrize("config", [{}])  # no TODAY setting: the association's date today
def test_the_expiring_lease_follows_the_real_clock(loaded):
    ending = current_lease("NJT-02B")
    assert ending.valid_to == clock.today() + timedelta(days=demo.EXPIRING_IN_DAYS)


def test_the_disputes_concern_the_right_leases(loaded):
    mediating = dispute_by_ref("NJT-JF-2024-01")
    assert mediating.status == "mediating" and mediating.resolved_on is None
    assert (mediating.lease_a, mediating.lease_b) == OVERLAP
    assert "重叠" in mediating.description
    # opened a while ago, while both permits were in force
    assert all(rules.is_valid_on(lease, mediating.opened_on) for lease in mediating.leases)
    assert mediating.opened_on < clock.today()

    resolved = dispute_by_ref("NJT-JF-2015-02")
    assert resolved.status == "resolved"
    assert resolved.opened_on < resolved.resolved_on < mediating.opened_on
    assert resolved.resolution and "调解" in resolved.resolution
    assert [lease.mine_code for lease in resolved.leases] == ["NJT-06A", "NJT-07A"]
    # the permits in force when it was opened, since renewed
    assert all(rules.is_valid_on(lease, resolved.opened_on) for lease in resolved.leases)
    assert not any(rules.is_valid_on(lease, clock.today()) for lease in resolved.leases)


def test_lease_areas_and_places(loaded):
    for lease in all_leases():
        assert AREA_M2[0] <= lease.area_m2 <= AREA_M2[1], lease.permit_no
        assert lease.area_m2 == pytest.approx(rules.geodesic_area_m2(lease.geometry))
        west, south, east, north = lease.geometry.bounds
        assert 107.3 < west < east < 107.5 and 26.1 < south < north < 26.3, lease.permit_no
        assert lease.crs == "EPSG:4490"


def test_permit_numbers_in_the_chinese_styles(loaded):
    for lease in all_leases():
        if lease.valid_from.year >= 2009:
            assert len(lease.permit_no) == 23 and lease.permit_no.startswith("C522701")
            # issued in the month its validity starts, or (a renewal) up to 3 months before
            issued = date(int(lease.permit_no[7:11]), int(lease.permit_no[11:13]), 1)
            assert 0 <= (lease.valid_from - issued).days < 92, lease.permit_no
        else:
            assert len(lease.permit_no) == 13 and lease.permit_no.isdigit()


def test_the_crs_mix_is_that_of_a_clerk(loaded):
    crs = [crs for crs, _ in demo.BOUNDARIES.values()]
    assert crs.count("EPSG:4524") > len(crs) / 2
    assert crs.count("EPSG:4545") >= 2 and crs.count("EPSG:4490") >= 2
    corners = [len(table) for _, table in demo.BOUNDARIES.values()]
    assert min(corners) >= 4 and max(corners) <= 8 and max(corners) > 4


@pytest.mark.parametrize("mine", GAUSS_KRUGER)
def test_gauss_kruger_corners_read_back_to_the_permit(loaded, mine):
    crs, corners = demo.BOUNDARIES[mine]
    lease = leases_of(mine)[-1]
    stored = [
        rules.lonlat_to_gk(lon, lat, crs) for lon, lat in shapely.get_coordinates(lease.geometry)
    ]
    for k, (x, y) in enumerate(corners, 1):
        nearest = min(math.hypot(sx - x, sy - y) for sx, sy in stored)
        assert nearest < 0.01, f"{mine} corner {k} is {nearest:.3f} m off"
    # and the first corner directly
    x, y = corners[0]
    lon, lat = rules.gk_to_lonlat(x, y, crs)
    back_x, back_y = rules.lonlat_to_gk(lon, lat, crs)
    assert abs(back_x - x) < 0.01 and abs(back_y - y) < 0.01
