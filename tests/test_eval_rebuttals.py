"""`python -m interview.eval --rebuttals`: the case files load, bad ones are named, and each case runs through `plan`."""

from __future__ import annotations

import pytest

from interview.eval import rebuttals_check
from interview.eval.heldout_data import HELDOUT_DIR

FILES = [HELDOUT_DIR / "rebuttals-round1.toml", HELDOUT_DIR.parent / "tuning" / "rebuttals-round1.toml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_the_case_files_load_with_every_kind(path):
    cases = rebuttals_check.load_cases(path)
    assert {case.kind for case in cases} == set(rebuttals_check.KINDS)


def test_the_held_out_file_says_it_must_not_be_tuned_on():
    head = FILES[0].read_text(encoding="utf-8")[:300]
    assert "Written blind, never tune on it" in head


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ('problem = "nope"\npitfall = "x"\nkind = "rebut"', "not a bank problem"),
        ('problem = "url-shortener"\npitfall = "nope"\nkind = "rebut"', "has no pitfall 'nope'"),
        ('problem = "url-shortener"\npitfall = "ignored-collisions"\nkind = "maybe"', "kind must be one of"),
        ('problem = "url-shortener"\npitfall = "ignored-collisions"\nkind = "rebut"', "must both be set"),
    ],
)
def test_a_bad_case_is_named(tmp_path, row, error):
    path = tmp_path / "cases.toml"
    path.write_text(f"[[case]]\n{row}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"case 1: .*{error}"):
        rebuttals_check.load_cases(path)


def test_a_rebuttal_is_withdrawn_and_said_and_a_defence_is_not():
    earlier = "Each short code is seven random base62 characters, generated on the API server."
    rebut = rebuttals_check.Case(
        "url-shortener", "ignored-collisions", "rebut", earlier, "I already covered that: the insert is put-if-absent."
    )
    defend = rebuttals_check.Case(
        "url-shortener", "ignored-collisions", "defend", earlier, "Collisions won't happen, the space is huge."
    )
    scored = rebuttals_check.score_cases([rebut, defend])["figures"]
    assert scored["rebut"] == {"cases": 1, "withdrawn": 1, "said": 1, "fixed": 0}
    assert scored["defend"] == {"cases": 1, "withdrawn": 0, "said": 0, "fixed": 0}


def test_a_concession_that_changes_the_design_is_counted_as_fixed():
    earlier = "Each short code is seven random base62 characters, generated on the API server."
    concede = rebuttals_check.Case(
        "url-shortener", "ignored-collisions", "concede", earlier, "Fair. I'll make the insert fail on a taken code."
    )
    assert rebuttals_check.score_cases([concede])["figures"]["concede"]["fixed"] == 1


@pytest.mark.parametrize(
    ("kind", "reply"),
    [
        ("defend", "No, it's fine: a cache is not something we need, the primary-key read is fast."),
        (
            "defend",
            "I don't think that's a real problem. I never said we need a cache layer; the buffer pool is enough.",
        ),
        ("question", "Would a cache in front of the database be what you have in mind?"),
    ],
)
def test_naming_the_missing_part_to_refuse_it_or_ask_about_it_fixes_nothing(kind, reply):
    earlier = "Reads go straight to the primary database by short code; it is a primary-key lookup."
    case = rebuttals_check.Case("url-shortener", "no-read-cache", kind, earlier, reply)
    row = rebuttals_check.run_case(case)
    assert not row["fixed"] and not row["withdrawn"]


@pytest.mark.parametrize(
    ("reply", "fixed"),
    [
        ("Fair point. I'd do the hold as one conditional UPDATE on the inventory rows, in one transaction.", True),
        ("Then we'd oversell the last room, I suppose.", False),
        ("Would a transaction around both steps be enough?", False),
    ],
)
def test_only_a_granted_change_fixes_the_race(reply, fixed):
    earlier = "The service checks that a room of that type is free for the dates, then inserts the booking."
    case = rebuttals_check.Case("hotel-reservation", "check-then-book-race", "concede", earlier, reply)
    assert rebuttals_check.run_case(case)["fixed"] is fixed
