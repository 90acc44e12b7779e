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

VALID_CHECKLIST = "\n".join(f'{key} = ["first {key} item", "second {key} item"]' for key in PHASE_KEYS)


def _problem_toml(problem_id: str = "demo", difficulty: str = "easy", checklist: str = VALID_CHECKLIST) -> str:
    return f"""
[[problem]]
id = "{problem_id}"
title = "Design a demo"
category = "Web services"
difficulty = "{difficulty}"
prompt = "Design a demo service."
scale_facts = ["1M DAU", "100 QPS", "1 KB per item"]
[problem.checklist]
{checklist}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.toml"
    path.write_text(text, encoding="utf-8")
    return path


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


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, _problem_toml("twin") + _problem_toml("twin"))
    with pytest.raises(ValueError, match=r"'twin'.*'id'.*duplicated"):
        load_bank(path)


def test_missing_phase_is_rejected(tmp_path: Path) -> None:
    checklist = "\n".join(line for line in VALID_CHECKLIST.splitlines() if not line.startswith("deep_dive"))
    path = _write(tmp_path, _problem_toml("gap", checklist=checklist))
    with pytest.raises(ValueError, match=r"'gap'.*missing phase keys: deep_dive"):
        load_bank(path)


def test_unknown_phase_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, _problem_toml("extra", checklist=VALID_CHECKLIST + '\nsmalltalk = ["a", "b"]'))
    with pytest.raises(ValueError, match=r"'extra'.*unknown phase keys: smalltalk"):
        load_bank(path)


def test_too_few_phase_items_is_rejected(tmp_path: Path) -> None:
    checklist = VALID_CHECKLIST.replace('scale = ["first scale item", "second scale item"]', 'scale = ["only", " "]')
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
        load_bank(_write(tmp_path, "[[problem]\nid = "))
