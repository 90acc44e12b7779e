"""Tests for the question bank data and its loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interview.problems.catalog import PHASE_KEYS, Problem, find_problem, load_bank, match_problem

CLASSIC_IDS = (
    "url-shortener",
    "rate-limiter",
    "distributed-cache",
    "chat-system",
    "video-streaming",
    "search-autocomplete",
    "notification-system",
)


def _phase_items(key: str, *texts: str) -> str:
    return "".join(
        f'[[checklist.{key}]]\nitem = "{text}"\nterms = ["{key}"]\nprobe = "What about {text}?"\n' for text in texts
    )


VALID_CHECKLIST = "".join(_phase_items(key, f"first {key} item", f"second {key} item") for key in PHASE_KEYS)
PITFALLS = "".join(
    f'[[pitfall]]\nid = "slip-{n}"\nquestion = "Why {n}?"\nnote = "Slip {n}."\nconcern = "slip number {n} going wrong"\nexample = "slip {n}"\n'
    f'[[pitfall.signal]]\ntogether = ["slip{n}"]\n'
    for n in range(4)
)

CURVEBALLS = "".join(
    f'[[curveball]]\nid = "change-{n}"\nafter = "high_level"\nchange = "Change {n}."\nquestion = "What changes?"\n'
    f'note = "Did not adapt to change {n}."\nadapted = ["adapt{n}"]\n'
    f'examples = ["adapt{n} a", "adapt{n} b", "adapt{n} c"]\nnear_misses = ["ok", "fine", "noted"]\n'
    for n in range(2)
)


def _problem_toml(
    problem_id: str = "demo", difficulty: str = "easy", checklist: str = VALID_CHECKLIST, curveballs: str = CURVEBALLS
) -> str:
    return f"""
id = "{problem_id}"
order = 1
title = "Design a demo"
category = "Web services"
difficulty = "{difficulty}"
prompt = "Design a demo service."
scale_facts = ["1M DAU", "100 QPS", "1 KB per item"]
scale = {{}}

[match]
aliases = ["demo service", "demo app"]
keywords = ["demo", "sample"]

{checklist}
{PITFALLS}
{curveballs}
"""


def _write(tmp_path: Path, text: str, name: str = "") -> Path:
    """A bank folder of its own holding this one problem file, named after its id; returns the folder."""
    problem_id = next((line.split('"')[1] for line in text.splitlines() if line.startswith('id = "')), "broken")
    folder = tmp_path / f"bank-{problem_id}-{name}"
    folder.mkdir()
    (folder / f"{name or problem_id}.toml").write_text(text, encoding="utf-8")
    return folder


def test_real_bank_loads_enough_problems() -> None:
    problems = load_bank()
    assert len(problems) >= 12
    assert all(isinstance(problem, Problem) for problem in problems)


def test_real_bank_has_all_classics() -> None:
    ids = {problem.id for problem in load_bank()}
    assert set(CLASSIC_IDS) <= ids


def test_every_problem_has_every_phase() -> None:
    for problem in load_bank():
        assert tuple(problem.checklist) == PHASE_KEYS, problem.id
        for key in PHASE_KEYS:
            assert len(problem.checklist[key]) >= 2, (problem.id, key)


def test_real_bank_follows_conventions() -> None:
    for problem in load_bank():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", problem.id), problem.id
        assert problem.title.startswith(("Design a ", "Design an ")), problem.id
        assert 4 <= len(problem.scale_facts) <= 6, problem.id
        for key, items in problem.checklist.items():
            assert 3 <= len(items) <= 5, (problem.id, key)
            for item in items:
                assert len(item.split()) <= 14, (problem.id, key, item)


def test_default_bank_is_cached_but_callers_get_fresh_lists() -> None:
    first, second = load_bank(), load_bank()
    assert first == second
    assert first is not second
    assert first[0] is second[0]


def test_find_problem() -> None:
    problem = find_problem("url-shortener")
    assert problem is not None
    assert problem.title == "Design a URL shortener"
    assert find_problem("no-such-problem") is None


def test_match_problem_ignores_case_and_spacing() -> None:
    problem = match_problem("  design A   url\tSHORTENER ")
    assert problem is not None
    assert problem.id == "url-shortener"
    assert match_problem("   ") is None


def test_match_problem_finds_typed_questions_beyond_exact_titles() -> None:
    assert match_problem("Design a URL shortener service").id == "url-shortener"
    assert match_problem("Design a URL shortener like bit.ly").id == "url-shortener"
    assert match_problem("Design a chess engine") is None


def test_problems_are_hashable() -> None:
    assert len(set(load_bank())) == len(load_bank())


def test_valid_crafted_bank_loads(tmp_path: Path) -> None:
    problems = load_bank(_write(tmp_path, _problem_toml()))
    assert [problem.id for problem in problems] == ["demo"]
    assert problems[0].checklist["wrap_up"] == ("first wrap_up item", "second wrap_up item")


def test_a_problem_needs_two_requirement_changes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing.*curveball"):
        load_bank(_write(tmp_path, _problem_toml("none", curveballs="")))
    one = CURVEBALLS.split("[[curveball]]")[1]
    with pytest.raises(ValueError, match=r"at least 2 \[\[curveball\]\]"):
        load_bank(_write(tmp_path, _problem_toml("one", curveballs="[[curveball]]" + one)))


def test_id_must_be_the_file_name(tmp_path: Path) -> None:
    path = _write(tmp_path, _problem_toml("twin"), name="other")
    with pytest.raises(ValueError, match=r"other.toml: field 'id' is 'twin', expected 'other'"):
        load_bank(path)


def test_missing_phase_is_rejected(tmp_path: Path) -> None:
    checklist = "".join(_phase_items(key, "one", "two") for key in PHASE_KEYS if key != "deep_dive")
    path = _write(tmp_path, _problem_toml("gap", checklist=checklist))
    with pytest.raises(ValueError, match=r"'gap'.*missing phase keys: deep_dive"):
        load_bank(path)


def test_unknown_phase_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, _problem_toml("extra", checklist=VALID_CHECKLIST + _phase_items("smalltalk", "a", "b")))
    with pytest.raises(ValueError, match=r"'extra'.*unknown phase keys: smalltalk"):
        load_bank(path)


def test_too_few_phase_items_is_rejected(tmp_path: Path) -> None:
    checklist = "".join(_phase_items(key, *(("only",) if key == "scale" else ("one", "two"))) for key in PHASE_KEYS)
    path = _write(tmp_path, _problem_toml("thin", checklist=checklist))
    with pytest.raises(ValueError, match=r"'thin'.*'checklist.scale'.*at least 2"):
        load_bank(path)


def test_bad_difficulty_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, _problem_toml("tricky", difficulty="impossible"))
    with pytest.raises(ValueError, match=r"'tricky'.*'difficulty'.*'impossible'"):
        load_bank(path)


def test_too_few_scale_facts_and_empty_prompt_are_rejected(tmp_path: Path) -> None:
    text = _problem_toml("sparse").replace('["1M DAU", "100 QPS", "1 KB per item"]', '["1M DAU"]')
    with pytest.raises(ValueError, match=r"'sparse'.*'scale_facts'"):
        load_bank(_write(tmp_path, text))
    text = _problem_toml("mute").replace('"Design a demo service."', '"  "')
    with pytest.raises(ValueError, match=r"'mute'.*'prompt'"):
        load_bank(_write(tmp_path, text))


def test_invalid_toml_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid TOML"):
        load_bank(_write(tmp_path, "[[problem]\nid = ", name="broken"))
