"""Tests for matching a typed question to a bank problem, and the paraphrase set that measures it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from interview.problems import catalog, schema
from interview.problems.match import THRESHOLD, match_question, parse_match_terms, rank
from interview.problems.paraphrases import load_paraphrases, measure_matching

TITLES = {problem.id: problem.title for problem in catalog.load_bank()}


def test_paraphrase_set_is_matched_well_and_never_wrongly() -> None:
    report = measure_matching()
    assert report.total >= 3 * len(TITLES)
    assert report.unmatched_total >= 10
    assert report.accuracy >= 0.95, report.misses
    assert report.wrong_problem == ()
    assert report.false_matches == ()
    assert report.summary().startswith(f"{report.matched}/{report.total} phrasings matched")


def test_measure_matching_counts_misses_and_false_matches() -> None:
    url = catalog.find_problem("url-shortener")
    report = measure_matching(matcher=lambda text: url)  # a matcher that always answers "URL shortener"
    assert report.matched == len(load_paraphrases().typed["url-shortener"])
    assert len(report.wrong_problem) == report.total - report.matched
    assert len(report.false_matches) == report.unmatched_total
    assert measure_matching(matcher=lambda text: None).accuracy == 0


@pytest.mark.parametrize("problem", catalog.load_bank(), ids=lambda p: p.id)
def test_every_title_matches_its_problem_without_the_exact_title_rule(problem) -> None:
    found = match_question(problem.title, TITLES)
    assert found is not None and found.problem_id == problem.id


def test_bank_match_problem_keeps_exact_titles_and_adds_typed_questions() -> None:
    assert catalog.match_problem("  design A   url\tSHORTENER ").id == "url-shortener"
    assert catalog.match_problem("Design a URL shortener like bit.ly").id == "url-shortener"
    assert catalog.match_problem("tinyurl").id == "url-shortener"
    assert catalog.match_problem("short links for a marketing team").id == "url-shortener"
    assert catalog.match_problem("Design a chess engine") is None
    assert catalog.match_problem("") is None


def test_one_keyword_is_below_the_threshold() -> None:
    ranked = rank("Design an API gateway", TITLES)
    assert ranked and ranked[0].score < THRESHOLD
    assert match_question("Design an API gateway", TITLES) is None


def test_a_tie_matches_nothing() -> None:
    assert {m.problem_id for m in rank("Design a chat app with push notifications", TITLES)[:2]} == {
        "chat-system",
        "notification-system",
    }
    assert match_question("Design WhatsApp and Twitter", TITLES) is None


def test_match_explains_itself() -> None:
    found = match_question("Design a URL shortener like bit.ly", TITLES)
    assert found.problem_id == "url-shortener"
    assert "bit.ly" in found.evidence and "url shorten*" in found.evidence


def test_match_terms_are_validated() -> None:
    with pytest.raises(ValueError, match=r"x.toml: \[match\]: missing fields: keywords"):
        parse_match_terms({"aliases": ["a", "b"]}, "x.toml")
    with pytest.raises(ValueError, match=r"field 'aliases' needs at least 2 entries"):
        parse_match_terms({"aliases": ["a"], "keywords": ["b", "c"]}, "x.toml")


def _write(tmp_path: Path, data_text: str) -> Path:
    path = tmp_path / "paraphrases.toml"
    path.write_text(data_text, encoding="utf-8")
    return path


def _paraphrase_toml(typed: dict[str, list[str]], unmatched: list[str]) -> str:
    lines = [f"unmatched = {json.dumps(unmatched)}"]  # a JSON array of strings is valid TOML
    for problem_id, texts in typed.items():
        lines += ["[[problem]]", f'id = "{problem_id}"', f"typed = {json.dumps(texts)}"]
    return "\n".join(lines) + "\n"


def test_paraphrase_file_is_validated(tmp_path: Path) -> None:
    real = load_paraphrases()
    typed = {pid: list(texts) for pid, texts in real.typed.items()}
    unmatched = list(real.unmatched)
    assert load_paraphrases(_write(tmp_path, _paraphrase_toml(typed, unmatched))).typed == real.typed

    too_few = copy.deepcopy(typed) | {"url-shortener": ["bit.ly", "tinyurl"]}
    with pytest.raises(ValueError, match=r"problem 'url-shortener': field 'typed' needs at least 3"):
        load_paraphrases(_write(tmp_path, _paraphrase_toml(too_few, unmatched)))
    unknown = copy.deepcopy(typed) | {"chess-engine": ["a", "b", "c"]}
    with pytest.raises(ValueError, match=r"id 'chess-engine' is not a bank problem"):
        load_paraphrases(_write(tmp_path, _paraphrase_toml(unknown, unmatched)))
    missing = {pid: texts for pid, texts in typed.items() if pid != "rate-limiter"}
    with pytest.raises(ValueError, match=r"no phrasings for bank problems: rate-limiter"):
        load_paraphrases(_write(tmp_path, _paraphrase_toml(missing, unmatched)))
    with pytest.raises(ValueError, match=r"field 'unmatched' needs at least 10"):
        load_paraphrases(_write(tmp_path, _paraphrase_toml(typed, unmatched[:3])))


def test_knowledge_files_exist_for_exactly_the_bank() -> None:
    assert sorted(schema.problem_files()) == sorted(TITLES)
