"""The held-out set of issue #25: its files validate, the sentence report's arithmetic, and a run on the fake server."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest

from interview.eval import heldout_data, heldout_sentences
from interview.eval.cli import main
from interview.eval.heldout_checks import names_component, refers_to_turn, shared_word
from interview.eval.heldout_data import HeldOutPitfall, parse_interviews, parse_sentences
from interview.eval.scenarios import load_scripts
from interview.problems.catalog import find_problem
from tests.test_eval_checks import eval_env  # noqa: F401  (the fixture that points the eval at the fake server)

# --- the data files -------------------------------------------------------------------------------------------------


def test_the_held_out_files_load_and_cover_every_pitfall():
    pitfalls = heldout_data.load_sentences()
    assert heldout_data.uncovered_pitfalls(pitfalls) == []
    assert all(len(p.commits) >= 5 and len(p.near_misses) >= 3 for p in pitfalls)
    interviews = heldout_data.load_interviews()
    assert len(interviews) == 18
    outside = {i.id.removesuffix(f"-{i.kind}") for i in interviews if i.problem == heldout_data.OUTSIDE}
    assert len(outside) == 3
    assert all(any(t.mistake for t in i.turns) for i in interviews if i.kind == "flawed")
    assert all(any(t.asks_scale for t in i.turns) for i in interviews)


def test_the_held_out_files_say_they_must_not_be_tuned_on():
    for name in (*heldout_data.SENTENCE_FILES, heldout_data.INTERVIEWS_FILE):
        head = (heldout_data.HELDOUT_DIR / name).read_text(encoding="utf-8")[:600]
        assert "never tune on it" in head and "Written blind" in head


SENTENCES = {
    "pitfall": [
        {
            "problem": "chat-system",
            "id": "client-polling",
            "commits": ["a", "b", "c", "d", "e"],
            "near_misses": ["f", "g", "h"],
        }
    ]
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "no-such-pitfall"}, "not a pitfall id of chat-system"),
        ({"problem": "nope"}, "must be a question-bank id or 'generic'"),
        ({"commits": ["a", "b"]}, "'commits' needs at least 5 entries, got 2"),
        ({"near_misses": ["x", ""]}, "'near_misses' must be a list of non-empty strings"),
        ({"extra": 1}, "unknown fields: extra"),
    ],
)
def test_bad_sentence_files_are_clear_errors(change, message):
    data = {"pitfall": [{**SENTENCES["pitfall"][0], **change}]}
    with pytest.raises(ValueError, match=message):
        parse_sentences(data, "s.toml")


def _script(**changes) -> dict:
    turns = [{"text": "We keep one-to-one chats.", "phase": "requirements"}] * 3
    turns += [{"text": "Phones ask the server every few seconds.", "phase": "high_level", "mistake": "client-polling"}]
    return {"id": "x", "problem": "chat-system", "question": "Chat", "kind": "flawed", "turn": turns, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "strong"}, "a strong script plants no mistakes"),
        ({"problem": "outside"}, "mistake 'client-polling' is not a pitfall id of this problem"),
        ({"turn": [{"text": "Hi", "phase": "lunch"}] * 4}, "'phase' must be one of requirements"),
        ({"turn": [{"text": "How big", "phase": "requirements", "asks_scale": True}] * 4}, "must contain '\\?'"),
        ({"turn": [{"text": "Hi", "phase": "requirements", "asks": "yes"}] * 4}, "'asks' must be true or false"),
        ({"turn": []}, "needs 4-10"),
    ],
)
def test_bad_interview_files_are_clear_errors(changes, message):
    with pytest.raises(ValueError, match=message):
        parse_interviews({"interview": [_script(**changes)]})
    with pytest.raises(ValueError, match="listed twice: x"):
        parse_interviews({"interview": [_script(), _script()]})


def test_a_missing_or_broken_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="held-out file not found"):
        heldout_data.load_interviews(tmp_path / "interviews.toml")
    (tmp_path / "interviews.toml").write_text("[[interview]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="interviews.toml: not valid TOML"):
        heldout_data.load_interviews(tmp_path / "interviews.toml")


# --- the sentence report's arithmetic, on a crafted set with a scripted detector ------------------------------------

CRAFTED = [
    HeldOutPitfall("chat-system", "client-polling", ("c1", "c2"), ("n1", "n2")),
    HeldOutPitfall("chat-system", "client-clock-ordering", ("c3",), ("n3",)),
    HeldOutPitfall("generic", "single-instance", ("g1",), ("g2",)),
]
FIRES = {  # (context, sentence) -> what the scripted detector signals, first first
    ("chat-system", "c1"): ["client-polling"],
    ("chat-system", "c2"): ["single-instance"],
    ("chat-system", "n1"): ["client-polling"],
    ("chat-system", "c3"): ["client-polling", "client-clock-ordering"],
    ("chat-system", "g1"): ["single-instance", "client-polling"],
    (None, "g1"): ["single-instance"],
    (None, "g2"): ["single-instance"],
}


def test_sentence_report_figures_on_a_crafted_set():
    calls = []

    def detect(problem_id, sentence, phase):
        calls.append((problem_id, sentence, phase))
        return FIRES.get((problem_id, sentence), [])

    report = heldout_sentences.sentence_report(
        CRAFTED, detect=detect, estimate=lambda _p, sentence: ["writes per second"] if sentence == "n2" else []
    )
    assert {phase for *_, phase in calls} == {"requirements"}
    assert len(calls) == 6 + 2 + 2  # chat-system's 6 and the 2 generic ones in its context; the generic 2 alone
    rows = {r["id"]: r for r in report["pitfalls"]}
    polling = rows["client-polling"]
    assert (polling["recalled"], polling["commits"], polling["first"]) == (1, 2, 1)
    assert (polling["near_miss_fired"], polling["near_misses"], polling["near_miss_any_pushback"]) == (1, 2, 2)
    assert polling["fired_total"] == 4 and polling["precision"] == 0.25  # c1 of c1, n1, c3, g1
    assert polling["missed"] == ["c2"] and len(polling["false_hits"]) == 3
    clock = rows["client-clock-ordering"]
    assert (clock["recall"], clock["first"], clock["precision"], clock["near_miss_fp_rate"]) == (1.0, 0, 1.0, 0.0)
    single = rows["single-instance"]
    assert (single["recall"], single["near_miss_fp_rate"], single["precision"]) == (1.0, 1.0, 0.5)
    assert single["fired_on_bank_sentences"] == 1  # c2, in chat-system's context
    total = report["totals"]["all"]
    assert (total["recalled"], total["commits"], total["fired_total"]) == (3, 4, 7)
    assert total["precision"] == round(3 / 7, 3) and total["near_miss_any_pushback"] == 3
    assert report["totals"]["generic"]["pitfalls"] == 1 and report["totals"]["bank"]["pitfalls"] == 2
    printed = heldout_sentences.sentence_table(report)
    assert "client-polling" in printed and "3/4 (75%)" in printed


def test_refers_to_the_turn_heuristic():
    assert names_component("What does the session registry hold?", "session registry")
    assert names_component("Which registry holds the session?", "session registry")  # every word of it
    assert not names_component("What about the database?", "session registry")
    assert shared_word("How do you shard the conversations?", "Messages are kept per conversation.") == "conversation"
    assert shared_word("How many users and requests?", "Users send requests.") == ""  # words every design uses
    reply = {"text": "Assume 500M users. Next?", "candidate": "How many users?", "asked_scale": True}
    assert refers_to_turn(reply) == [True, "answered"]
    assert refers_to_turn({**reply, "asked_scale": False}) == [False, "no link to the turn"]


# --- end to end against the fake server ------------------------------------------------------------------------------


def _interviews_file(polling_example: str) -> str:
    flawed = [
        ("requirements", "How many daily users and messages per user should I plan for?", {"asks_scale": True}),
        (
            "high_level",
            "Clients keep a WebSocket open to a connection gateway, and the chat service writes each message.",
            {"component": "connection gateway"},
        ),
        ("high_level", polling_example, {"mistake": "client-polling"}),
        ("deep_dive", "Each conversation gets its sequence number from the chat service.", {}),
    ]
    strong = [
        ("requirements", "How many users should I assume?", {"asks_scale": True}),
        ("requirements", "Events belong to calendars, and people can share a calendar with others.", {}),
        ("high_level", "The event service owns events and exposes a REST API to create and list them.", {}),
        ("deep_dive", "Recurring events are stored as a rule and expanded when a week is shown.", {}),
    ]
    lines = []
    for head, turns in (
        ('id = "chat-flawed"\nproblem = "chat-system"\nquestion = "Design a messaging app"\nkind = "flawed"', flawed),
        ('id = "cal-strong"\nproblem = "outside"\nquestion = "Design a shared calendar"\nkind = "strong"', strong),
    ):
        lines += ["[[interview]]", head]
        for phase, text, extra in turns:
            lines += ["[[interview.turn]]", f"text = {json.dumps(text)}", f'phase = "{phase}"']
            lines += [f"{key} = {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


CARD = json.dumps({"dimensions": [{"key": "requirements", "score": 3, "evidence": [], "comment": "ok"}]})


def test_held_out_interviews_end_to_end(eval_env, tmp_path, capsys):  # noqa: F811
    fake = eval_env
    data = tmp_path / "heldout"
    data.mkdir()
    for name in heldout_data.SENTENCE_FILES:
        shutil.copy(heldout_data.HELDOUT_DIR / name, data / name)
    polling = next(p for p in find_problem("chat-system").pitfalls if p.id == "client-polling")
    (data / "interviews.toml").write_text(_interviews_file(polling.example), encoding="utf-8")
    assert tomllib.loads((data / "interviews.toml").read_text())["interview"][0]["kind"] == "flawed"
    for text in (
        "Let's design a chat system. What would you like to clarify first?",
        "Assume 500M daily users sending 50 messages a day. What else?",  # numbers: answered
        "What does the connection gateway do when a phone drops off?",  # names the component
        "Why that way?",  # the move is the challenge of the planted mistake
        "Banana split?",  # no link to the turn
        CARD,
        "Let's design a calendar. What first?",
        "We expect plenty. What matters most?",  # asked about scale, no numbers
        "Go on?",
        "Go on?",
        "Go on?",
        CARD,
    ):
        fake.enqueue(text)
    out = tmp_path / "heldout.json"
    assert main(["--heldout", "--heldout-dir", str(data), "--quiet", "--out", str(out)]) == 0
    saved = json.loads(out.read_text())
    assert len(fake.chat_requests()) == 12
    summary, found = saved["summary"], saved["heldout_summary"]
    assert summary["replies"] == 10 and summary["errors"] == 0
    assert found["numbers_when_asked"] == {"all": [1, 2], "bank": [1, 1], "outside": [0, 1]}
    assert found["planted_challenged_next_reply"]["all"] == [1, 1]
    assert found["planted_named_in_feedback"]["all"] == [1, 1]
    assert found["false_pushback"]["all"] == [0, 4]
    assert found["refers_to_last_turn"]["all"] == [3, 8] and found["refers_strict"]["all"] == [3, 8]
    assert found["refers_how"] == {"answered": 1, "component": 1, "challenged": 1, "no link to the turn": 5}
    chat, calendar = saved["interviews"]
    assert calendar["problem_id"] is None and calendar["problem"] == "outside/cal"
    assert "500M daily active users" not in fake.chat_requests()[6]["messages"][0]["content"]
    for result in (chat, calendar):
        assert result["final_phase"] == result["replies"][-1]["phase_after"]
        held = sum(r["heldout"]["held_in_requirements"] for r in result["replies"][1:])
        assert result["heldout"]["held_in_requirements"] == held
    assert sum(found["interviews_held_in_requirements"]["all"][:1]) == sum(
        1 for r in saved["interviews"] if r["heldout"]["held_in_requirements"]
    )
    printed = capsys.readouterr().out
    assert "== Held-out interviews" in printed and "aim (issue #25)" in printed
    # rescoring the saved run needs no model and gives the same figures
    rescored = tmp_path / "rescored.json"
    assert main(["--heldout", "--heldout-dir", str(data), "--rescore", str(out), "--out", str(rescored)]) == 0
    assert len(fake.chat_requests()) == 12
    assert json.loads(rescored.read_text())["heldout_summary"] == found


def test_held_out_sentences_cli_and_unknown_ids(tmp_path, capsys):
    out = tmp_path / "sentences.json"
    assert main(["--heldout-sentences", "--out", str(out)]) == 0
    saved = json.loads(out.read_text())
    # the first 14 problems' and the generic pitfalls (80), the 26 problems of #26 (136), loss-left-to-users (1),
    # transaction-assumed-to-serialise and the job scheduler's runs-lost-on-crash (2), chat-system transport-order-assumed (1)
    assert saved["phase"] == "requirements" and len(saved["pitfalls"]) == 80 + 136 + 1 + 2 + 1
    assert saved["not_covered"] == []
    assert "TOTAL all" in capsys.readouterr().out
    assert main(["--heldout-sentences", "--sentence-phase", "lunch"]) == 2
    assert "unknown phase 'lunch'" in capsys.readouterr().err
    assert main(["--heldout", "--heldout-ids", "nope", "--quiet"]) == 2
    assert "unknown held-out interview 'nope'" in capsys.readouterr().err


def test_the_held_out_script_round_loads_whole():
    path = heldout_data.HELDOUT_DIR / "scripts-round18.toml"
    scripts = load_scripts(path)
    assert len(scripts) == 50 and {s.kind for s in scripts} == {"strong", "flawed"}
    assert sum(1 for s in scripts for turn in s.turns if turn.mistake) == 133
    assert sum(len(s.turns) for s in scripts if s.kind == "strong") == 200
    assert "Do not tune on it" in path.read_text(encoding="utf-8")[:800]
