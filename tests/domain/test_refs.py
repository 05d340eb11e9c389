"""Generated references (coop.domain.refs), against keys worked out by hand."""

from datetime import date

from coop.domain.refs import MAX_LENGTH, UNAMBIGUOUS, RefFormat, next_ref, random_ref, ref_prefix

DISPUTES = RefFormat("D-{opened_on:%Y}-", digits=4)


def test_the_prefix_is_made_of_the_records_values():
    assert ref_prefix(DISPUTES, {"opened_on": date(2026, 3, 9)}) == "D-2026-"
    samples = RefFormat("{mine_code}-{sampled_on:%Y%m%d}-", digits=2)
    prefix = ref_prefix(samples, {"mine_code": "NJT-01A", "sampled_on": date(2026, 12, 1)})
    assert prefix == "NJT-01A-20261201-"
    # A long mine code is cut so that the key stays within 32 characters.
    long = ref_prefix(samples, {"mine_code": "M" * 40, "sampled_on": date(2026, 12, 1)})
    assert len(long) == MAX_LENGTH - 2


def test_the_next_number_follows_the_highest_of_the_prefix():
    assert next_ref(DISPUTES, "D-2026-", []) == "D-2026-0001"
    taken = ["D-2026-0007", "D-2026-0002", "D-2025-0031", "D-2026-0007b", "D1", "D-2026-x"]
    assert next_ref(DISPUTES, "D-2026-", taken) == "D-2026-0008"
    # Past its digits it grows rather than repeat.
    assert next_ref(DISPUTES, "D-2026-", ["D-2026-9999"]) == "D-2026-10000"


def test_unguessable_codes_are_random_unambiguous_characters():
    tracking = RefFormat("G-", digits=8, unguessable=True)
    picks = iter("AB2")
    assert random_ref(tracking, "G-", choice=lambda _alphabet: next(picks, "Z")) == "G-AB2ZZZZZ"
    code = random_ref(tracking, "G-")
    assert len(code) == 10 and set(code[2:]) <= set(UNAMBIGUOUS)
    assert not set("0O1IL") & set(UNAMBIGUOUS)
