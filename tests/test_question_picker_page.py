"""Picking a bank problem on the Interview page (search, grouping, difficulty) and the offer of a close problem,
through AppTest against the fake OpenAI-compatible server."""

from __future__ import annotations

from interview.problems import browse, catalog
from tests.helpers import new_app


def chat(at, text):
    at.chat_input(key="chat_input").set_value(text)
    return at.run()


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def picker(at):
    return at.selectbox(key="bank_choice")


def test_the_first_page_lists_the_bank_without_validating_it(app_env):
    catalog.all_problems.cache_clear()  # as in a fresh server process
    at = new_app()
    assert not at.exception
    assert catalog.all_problems.cache_info().currsize == 0, "the first page must not load and validate every problem"
    assert len(picker(at).options) == len(catalog.listings()) + 1
    at = chat(at, "Design a URL shortener")  # the first question needs the bank: loaded then, once
    assert catalog.all_problems.cache_info().currsize == 1


def test_the_bank_is_listed_by_category_with_each_difficulty(app_env):
    at = new_app()
    bank = catalog.listings()
    box = picker(at)
    assert box.options[0] == "Pick a question…"
    listed = box.options[1:]
    assert sorted(listed) == sorted(browse.label(p) for p in bank)  # the whole bank, whatever its size
    categories = [label.split(" · ")[-1].split(", ")[0] for label in listed]
    assert categories == sorted(categories, key=categories.index)  # each category's problems together
    assert "URL shortener · Web services, easy" in listed


def test_search_narrows_the_list_and_a_pick_starts_it(app_env):
    server, at = app_env, new_app()
    at.text_input(key="bank_search").set_value("dropbox")
    at = at.run()
    box = picker(at)
    problem = catalog.find_problem("file-sync")
    assert browse.label(problem) in box.options
    assert box.options[0].startswith("Pick one of ") and len(box.options) < len(catalog.listings()) + 1
    box.set_value("file-sync")
    at = at.run()
    assert f"{problem.title} · {problem.category} · {problem.difficulty}" in captions(at)  # the title uncut
    server.enqueue("Which devices does a user sync between?")
    assert at.button(key="start_question").proto.type == "primary"
    at.button(key="start_question").click()
    at = at.run()
    assert not at.exception
    assert at.session_state.interview.problem_id == "file-sync"
    assert at.session_state.interview.question == problem.title
    # Once the interview is under way, starting another one is no longer the button that stands out.
    assert at.button(key="start_question").proto.type == "secondary"


def test_a_search_with_one_match_picks_it_once(app_env):
    at = new_app()
    at.text_input(key="bank_search").set_value("hotel")
    at = at.run()
    assert picker(at).value == "hotel-reservation" and at.button(key="start_question")
    picker(at).set_value("")
    at = at.run()  # the same search again: what they chose stays chosen
    assert picker(at).value == ""


def test_a_match_by_another_name_shows_that_name(app_env):
    at = new_app()
    at.text_input(key="bank_search").set_value("google")
    at = at.run()
    listed = picker(at).options[1:]
    assert "Payment system (“google pay”) · Payments, hard" in listed  # else nothing shows why it matched
    assert browse.label(catalog.find_problem("maps-navigation")) in listed  # "Google Maps" is in its title already


def test_a_search_that_finds_nothing_says_so_and_drops_the_pick(app_env):
    at = new_app()
    picker(at).set_value("url-shortener")
    at = at.run()
    assert at.button(key="start_question")
    at.text_input(key="bank_search").set_value("zebra crossing")
    at = at.run()
    assert not at.exception
    assert "No bank problem matches that search" in "\n".join(i.value for i in at.info)
    assert not any(b.key == "start_question" for b in at.button)
    at.text_input(key="bank_search").set_value("")
    at = at.run()
    assert picker(at).value == "" and len(picker(at).options) == len(catalog.listings()) + 1


def test_a_question_close_to_the_bank_is_offered_its_problem(app_env):
    server, at = app_env, new_app()
    server.enqueue("What should it do first?")
    at = chat(at, "Design Google Photos")
    assert at.session_state.interview.problem_id is None
    assert "**Design a photo sharing service like Instagram**" in captions(at)
    assert "Practise one instead?" in captions(at)  # Google Photos is near file sync too: two offered
    typed = at.session_state.interview.id
    server.enqueue("Who uploads, and how often?")
    at.button(key="practise_photo-sharing").click()
    at = at.run()
    assert not at.exception
    interview = at.session_state.interview
    assert interview.id != typed and interview.problem_id == "photo-sharing"
    assert interview.question == "Design a photo sharing service like Instagram"
    assert not any(b.key and b.key.startswith("practise_") for b in at.button)  # a bank problem needs no offer


def test_a_question_close_to_one_problem_offers_it_in_the_singular(app_env):
    server, at = app_env, new_app()
    server.enqueue("What should it store?")
    at = chat(at, "Design Pastebin")
    assert at.session_state.interview.problem_id is None
    assert "Practise it instead?" in captions(at)
    assert [b.key for b in at.button if b.key and b.key.startswith("practise_")] == ["practise_url-shortener"]


def test_a_matched_question_gets_no_offer(app_env):
    server, at = app_env, new_app()
    server.enqueue("What should it do first?")
    at = chat(at, "Design Instagram")
    assert at.session_state.interview.problem_id == "photo-sharing"
    assert not any(b.key and b.key.startswith("practise_") for b in at.button)


def test_a_search_with_one_match_says_so_in_the_singular(app_env):
    at = new_app()
    at.text_input(key="bank_search").set_value("hotel")
    at = at.run()
    options = picker(at).options
    assert options[0] == "Pick the one match…" and len(options) == 2
