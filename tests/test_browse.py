"""Finding a bank problem: grouping, search, and the problems offered for a typed question outside the bank."""

from __future__ import annotations

import pytest

from interview.core.scorecard import Scorecard
from interview.dialogue import engine
from interview.problems import browse, catalog
from interview.problems.paraphrases import load_paraphrases

BANK = list(catalog.listings())


def ids(problems) -> list[str]:
    return [problem.id for problem in problems]


def test_grouping_keeps_every_problem_once_with_its_category_together():
    groups = browse.by_category(BANK)
    assert [category for category, _ in groups] == list(dict.fromkeys(p.category for p in BANK))
    assert sorted(ids(p for _, problems in groups for p in problems)) == sorted(ids(BANK))
    assert all(p.category == category for category, problems in groups for p in problems)


def test_label_shows_title_then_category_and_difficulty():
    listing = next(entry for entry in BANK if entry.id == "url-shortener")
    assert browse.label(listing) == "URL shortener · Web services, easy"  # the title first: a narrow box cuts the end
    assert browse.short_title("Design an API rate limiter") == "API rate limiter"
    assert browse.short_title("Design a distributed cache like Redis") == "Distributed cache like Redis"
    assert browse.short_title("Build a toaster") == "Build a toaster"
    assert browse.label(catalog.find_problem("url-shortener")) == browse.label(listing)


def test_the_listing_is_the_validated_bank_as_the_picker_shows_it():
    problems = catalog.load_bank()
    assert [(e.id, e.title, e.category, e.difficulty) for e in BANK] == [
        (p.id, p.title, p.category, p.difficulty) for p in problems
    ]
    assert [e.aliases for e in BANK] == [tuple(a.source for a in p.match.aliases) for p in problems]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dropbox", "file-sync"),  # an alias only
        ("DROPBOX", "file-sync"),
        ("shorten", "url-shortener"),  # the start of a title word
        ("google maps", "maps-navigation"),
        ("location", "proximity-service"),  # a category
    ],
)
def test_search_finds_by_title_category_or_alias(query, expected):
    assert expected in ids(browse.search(BANK, query))


def test_search_needs_every_word_and_can_find_nothing():
    assert "collaborative-editor" in ids(browse.search(BANK, "google"))  # Google Docs
    assert "collaborative-editor" not in ids(browse.search(BANK, "google maps"))
    storage = {p.id for p in BANK if p.category == "Storage"}
    assert storage <= set(ids(browse.search(BANK, "storage")))
    assert browse.search(BANK, "zebra crossing") == []
    assert browse.search(BANK, "  ") == BANK
    hard_storage = {p.id for p in BANK if p.category == "Storage" and p.difficulty == "hard"}
    assert hard_storage and set(ids(browse.search(BANK, "storage hard"))) == hard_storage


def test_a_match_by_alias_says_which_name_it_was_found_by():
    listing = {problem.id: problem for problem in BANK}
    payments = listing["payment-system"]
    assert browse.found_as(payments, "google") == "google pay"  # nothing else in its label says Google
    assert browse.label(payments, "google pay") == "Payment system (“google pay”) · Payments, hard"
    assert browse.found_as(listing["maps-navigation"], "google maps") == ""  # its title already says it
    assert browse.found_as(listing["url-shortener"], "") == ""
    assert browse.found_as(listing["food-delivery"], "uber") == "uber eats"
    assert browse.found_as(listing["ride-sharing"], "uber") == ""


def test_a_question_near_the_bank_is_offered_its_close_problems():
    # Google Photos is near both photo sharing and file sync (the issue's own example), and is neither
    assert set(ids(browse.close_problems("Design Google Photos"))) == {"photo-sharing", "file-sync"}
    # seen playing the page: "a photo backup service" had been matched to Instagram outright
    backup = "Design a photo backup service like Google Photos"
    assert catalog.match_problem(backup) is None
    assert set(ids(browse.close_problems(backup))) == {"photo-sharing", "file-sync"}
    assert "video-streaming" in ids(browse.close_problems("Design a music streaming service like Spotify"))
    # "app" is in every other question: it alone does not make a dating app close to Zoom
    assert ids(browse.close_problems("Design a video conferencing app like Zoom")) == ["video-streaming"]
    # a product that names no problem's words, only a neighbour's: the files' [match] related lists
    assert ids(browse.close_problems("Design Spotify")) == ["video-streaming"]
    assert ids(browse.close_problems("Design Pastebin")) == ["url-shortener"]
    assert ids(browse.close_problems("Design Reddit")) == ["news-feed"]
    assert ids(browse.close_problems("Design a logging system like Splunk")) == ["metrics-monitoring"]


def test_no_offer_for_a_bank_question_or_one_unlike_any_problem():
    paraphrases = load_paraphrases()
    for typed in paraphrases.typed.values():
        for question in typed:
            if catalog.match_problem(question) is not None:
                assert browse.close_problems(question) == (), question
    for question in ("Design a smart thermostat", "Design a vending machine", "Design a chess engine"):
        assert browse.close_problems(question) == (), question
    assert all(len(browse.close_problems(q)) <= browse.MAX_CLOSE for q in paraphrases.unmatched)


def test_the_engine_offers_close_problems_until_scored_and_never_after_a_decline():
    typed = engine.start_interview("Design Google Photos", engine.NullStore())
    assert typed.problem_id is None
    assert set(ids(engine.close_problems_to_offer(typed))) == {"photo-sharing", "file-sync"}
    typed.scorecard = Scorecard()
    assert engine.close_problems_to_offer(typed) == ()
    matched = engine.start_interview("Design a URL shortener like bit.ly", engine.NullStore())
    assert engine.close_problems_to_offer(matched) == ()  # matched: the page asks to confirm it instead
    engine.decline_bank_match(matched, engine.NullStore())
    assert engine.close_problems_to_offer(matched) == ()  # declined: the candidate said it is not that problem


def test_the_bank_files_are_read_once_for_the_listing_the_problems_and_the_match_tables():
    from interview.problems import match, schema

    for cached in (schema._problem_files, catalog.listings, catalog.all_problems, match.match_terms):
        cached.cache_clear()  # as in a fresh process
    catalog.listings()
    catalog.all_problems()
    catalog.match_problem("Design a file sync service like Dropbox")  # reads the [match] tables
    assert schema._problem_files.cache_info().misses == 1  # was 2: problem_files() and (PROBLEMS_DIR) differed
