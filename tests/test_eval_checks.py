"""The eval's checks, its scenario file, and a short end-to-end run against the fake OpenAI-compatible server."""

from __future__ import annotations

import json

import pytest

from interview.core.scorecard import Scorecard
from interview.core.steering import CAPABLE, SMALL_MODEL
from interview.dialogue import engine, moves, prompting
from interview.dialogue.prompts import NEXT_PHASE_MARKER
from interview.eval import card_checks, checks, runner
from interview.eval.cli import main
from interview.eval.scenarios import CANDIDATE_KINDS, MAX_TURNS, MIN_TURNS, load_scenarios, parse_scenarios
from interview.problems import catalog
from interview.providers.config import APP_ENV_VARS
from tests.helpers import FakeProvider

GOOD_REPLY = "Sensible scope. Should custom aliases expire too?"

# --- per-reply checks: each fails on a crafted bad reply and passes on a good one ---------------------------------


def test_asks_question():
    assert checks.asks_question(GOOD_REPLY)[0]
    passed, detail = checks.asks_question("Good. Now design the storage layer.")
    assert not passed and "no question" in detail


def test_brief():
    assert checks.is_brief(GOOD_REPLY)[0]
    passed, detail = checks.is_brief("word " * 81)
    assert not passed and "81 words" in detail


@pytest.mark.parametrize(
    "reply",
    [
        "Here is one way:\n```\nclient -> LB\nLB -> app\napp -> cache\ncache -> db\napp -> queue\n```\nThoughts?",
        "You need:\n- a load balancer\n- app servers\n- a cache\n- a database\n- a queue\nAgreed?",
        "1. Add a CDN\n2. Shard the DB\n3. Cache reads\n4. Queue writes\n5. Replicate\nWhat next?",
        "Put a load balancer in front, a Redis cache, a Cassandra database, Kafka for events and a CDN. Why?",
    ],
    ids=["diagram", "bullets", "numbered", "components"],
)
def test_design_dump_fails(reply):
    passed, detail = checks.no_design_dump(reply)
    assert not passed, detail


def test_design_dump_passes_on_components_the_candidate_named():
    candidate = "I'd put a load balancer in front, then app servers, a Redis cache and a Postgres database, plus a CDN."
    reply = "You named a load balancer, cache, database and CDN. Which of them fails first at 10x?"
    assert checks.no_design_dump(reply, candidate)[0]
    assert not checks.no_design_dump(reply, "")[0]  # the same reply, unprompted, is a dump
    assert checks.no_design_dump(GOOD_REPLY)[0]


def test_stock_praise():
    for bad in ("That's a good design. What breaks first?", "Great! What next?", "That's correct. How many writes?"):
        passed, detail = checks.no_stock_praise(bad)
        assert not passed and "opens with praise" in detail
    for good in (
        "What breaks first at ten times the load?",
        "That's a good start, but what about hot keys?",
        "Per-server counters undercount a global limit. How would you share the count?",
        "Is that a good idea?",
    ):
        assert checks.no_stock_praise(good)[0], good


def test_parroting():
    last = "I would shard the mapping table by a hash of the short code to spread the load."
    passed, detail = checks.no_parroting("So you would shard the mapping table by a hash, right?", last)
    assert not passed and "shard the mapping table by a" in detail
    # case and punctuation do not hide a copy
    assert not checks.no_parroting("SHARD, the mapping; table BY A hash?", last)[0]
    assert checks.no_parroting("Sharding by code hash: what happens with a hot code?", last)[0]


def test_numbers_when_asked():
    assert checks.numbers_when_asked("Assume 100M new links a day. How would you store them?", True)[0]
    passed, detail = checks.numbers_when_asked("Assume lots of users. How would you store them?", True)
    assert not passed and "no numbers" in detail
    assert checks.numbers_when_asked("How would you store them?", False) is None  # not applicable


def test_reask():
    earlier = [
        "Core features are shortening a long URL and redirecting the short code to the original URL quickly.",
        "Reads outnumber writes a hundred to one, so the redirect path dominates everything we build.",
    ]
    passed, detail = checks.no_reask("What are the core features: shortening URLs and redirecting codes?", earlier)
    assert not passed and "answer 1" in detail
    # asking again about the last answer with nothing new is a re-ask; a follow-up that adds a topic is not
    assert not checks.no_reask("So reads outnumber writes and redirects dominate?", earlier)[0]
    assert checks.no_reask("How would you keep redirects fast when one code goes viral?", earlier)[0]
    assert checks.no_reask("Which database would you choose for the mapping?", earlier)[0]
    assert checks.no_reask("What are the core features?", ["ok", "idk"]) is None  # nothing substantive answered


def test_no_leaked_markers():
    assert checks.no_leaked_markers(GOOD_REPLY)[0]
    for bad in (
        f"Let's move on. {NEXT_PHASE_MARKER}",
        "Moving on [[next phase]]",
        "next_phase now?",
        "ok ]]",
        "Understood. Next phase.",
        "Good. NEXT PHASE: estimates?",
    ):
        assert not checks.no_leaked_markers(bad)[0], bad
    assert checks.no_leaked_markers("Good. Let's move on to the next phase: what load do you expect?")[0]
    # the engine strips the exact marker, but an echoed "end with [[NEXT_PHASE]]" leaves its residue behind
    passed, detail = checks.no_leaked_markers("Understood. Let's move on to capacity estimates and end with .")
    assert not passed and "end with" in detail
    assert checks.no_leaked_markers("How would the redirect end with a cache hit?")[0]


def test_no_prompt_echo():
    instructions = "When this phase is covered, say you are moving on to capacity estimates and end with the marker."
    passed, detail = checks.no_prompt_echo("OK. Moving on to capacity estimates and end with the marker.", instructions)
    assert not passed and "on to capacity estimates and end with" in detail
    assert checks.no_prompt_echo("Good scope. Shall we move on to capacity estimates?", instructions)[0]
    assert checks.no_prompt_echo(GOOD_REPLY, "") is None


def test_no_self_repeat():
    earlier = ["Good. How would you handle the added latency budget?", "What should the API return?"]
    passed, detail = checks.no_self_repeat("Right. How would you handle the added latency budget?", earlier)
    assert not passed and "reply 0" in detail
    assert checks.no_self_repeat("Why a token bucket rather than a sliding window?", earlier)[0]
    assert checks.no_self_repeat(GOOD_REPLY, []) is None


def test_speaks_to_candidate():
    assert checks.speaks_to_candidate("How would you shard it?")[0]
    passed, detail = checks.speaks_to_candidate("How does the candidate plan to shard it?")
    assert not passed and "the candidate" in detail


def test_no_answer_leak():
    key = ["WebSocket gateways hold persistent client connections", "Shard by conversation_id"]
    passed, detail = checks.no_answer_leak(
        "Good. We can use WebSocket gateways to hold persistent client connections.", key
    )
    assert not passed and "persistent" in detail
    # quoting what the candidate already said is not a leak, and neither is naming a single term
    candidate = "Clients connect to WebSocket gateways that hold persistent client connections."
    assert checks.no_answer_leak("Why do WebSocket gateways hold persistent client connections?", key, candidate)[0]
    assert checks.no_answer_leak("Would WebSockets help here?", key)[0]
    assert checks.no_answer_leak(GOOD_REPLY, []) is None


def test_phase_order():
    assert checks.phase_order([0, 0, 1, 1, 2])[0]
    passed, detail = checks.phase_order([0, 2, 1])
    assert not passed and "from 2 to 1" in detail


def test_check_reply_marks_not_applicable_checks():
    found = checks.check_reply(GOOD_REPLY, last_candidate="", earlier_answers=[], candidate_text="", asked_scale=False)
    assert set(found) == set(checks.REPLY_CHECKS)
    assert found["no_parroting"] is None and found["numbers_when_asked"] is None and found["no_reask"] is None
    assert found["no_prompt_echo"] is None  # no instructions given
    assert all(result[0] for result in found.values() if result is not None)


# --- feedback checks ----------------------------------------------------------------------------------------------


def card(*scores: int, evidence: tuple[str, ...] = ()) -> Scorecard:
    dims = [
        {"key": f"d{i}", "name": f"D{i}", "score": s, "evidence": list(evidence), "comment": ""}
        for i, s in enumerate(scores)
    ]
    return Scorecard.from_dict({"dimensions": dims, "source": "model"})


def test_scorecard_parses():
    assert card_checks.scorecard_parses(card(2, 3))[0]
    prose = Scorecard.from_dict({"prose": "Nice job overall.", "note": "could not be read"})
    passed, detail = card_checks.scorecard_parses(prose)
    assert not passed and "prose fallback" in detail
    assert not card_checks.scorecard_parses(None)[0]
    assert not card_checks.scorecard_parses(Scorecard.from_dict({"dimensions": [{"key": "a", "score": "three"}]}))[0]


def test_evidence_verbatim():
    transcript = "Candidate: I'd use a token bucket per API key.\nInterviewer: Why?"
    assert card_checks.evidence_verbatim(card(3, evidence=("use a Token  Bucket",)), transcript)[0]
    assert card_checks.evidence_verbatim(card(3, evidence=("“I'd use a token bucket … per API key.”",)), transcript)[0]
    passed, detail = card_checks.evidence_verbatim(card(3, evidence=("sliding window log in Redis",)), transcript)
    assert not passed and "1/1" in detail
    assert card_checks.evidence_verbatim(card(1), transcript) is None


def test_lowest_scores():
    assert card_checks.lowest_scores(card(1, 1, 1))[0]
    passed, detail = card_checks.lowest_scores(card(1, 2, 1))
    assert not passed and "d1=2" in detail


def test_assessed_dimensions():
    scored = card(3, 1).to_dict()  # as an older result file stored it: "not assessed" only in the comment
    scored["dimensions"][1]["comment"] = "Not assessed"
    assert card_checks.assessed_dimensions(Scorecard.from_dict(scored)) == 1


def test_strong_above_weak():
    assert card_checks.strong_above_weak(card(3, 3), card(2, 1))[0]
    passed, detail = card_checks.strong_above_weak(card(2, 2), card(2, 2))
    assert not passed and "strong 2.00 vs weak 2.00" in detail


# --- the scenario file ------------------------------------------------------------------------------------------


def test_scenario_file_is_valid():
    scenarios = load_scenarios()
    problems = {s.problem_id for s in scenarios}
    assert len(problems) >= 6
    for problem in problems:
        assert sorted(s.kind for s in scenarios if s.problem_id == problem) == sorted(CANDIDATE_KINDS)
    for scenario in scenarios:
        assert MIN_TURNS <= len(scenario.turns) <= MAX_TURNS, scenario.name
        assert any(turn.asks_scale and "?" in turn.text for turn in scenario.turns), scenario.name


def _mistake(label: str) -> dict:
    return {"text": "One MySQL server holds everything.", "mistake": label, "challenge_terms": ["replica"]}


FLAWED_TURNS = [_mistake("estimate: off by 10x")] + [_mistake("single database")] * 3
FLAWED_TURNS += [{"text": "hello there"}, {"text": "How many users?", "asks_scale": True}]


def _data(**changes) -> dict:
    turns = [{"text": "hello there"}] * 5 + [{"text": "How many users?", "asks_scale": True}]
    problem_ids = ["url-shortener", "rate-limiter", "chat-system", "news-feed", "web-crawler", "ticket-booking"]
    problems = [
        {"id": p, "candidate": [{"kind": k, "turn": FLAWED_TURNS if k == "flawed" else turns} for k in CANDIDATE_KINDS]}
        for p in problem_ids
    ]
    data = {"problem": problems}
    for key, value in changes.items():
        if key == "turns":
            for candidate in problems[0]["candidate"]:
                candidate["turn"] = value
        elif key == "problems":
            data["problem"] = problems[:value]
        elif key == "kinds":
            problems[0]["candidate"] = [{"kind": k, "turn": turns} for k in value]
        elif key == "flawed_turns":
            next(c for c in problems[0]["candidate"] if c["kind"] == "flawed")["turn"] = value
        elif key == "strong_turns":
            next(c for c in problems[0]["candidate"] if c["kind"] == "strong")["turn"] = value
        elif key == "problem_id":
            problems[0]["id"] = value
    return data


def test_scenario_validation_rejects_bad_files():
    assert len(parse_scenarios(_data())) == 30
    bad = {
        "problems": 5,
        "kinds": ("strong", "weak", "silent"),
        "turns": [{"text": "hi"}] * 6,  # no scale question
        "problem_id": "no-such-problem",
    }
    for key, value in bad.items():
        with pytest.raises(ValueError):
            parse_scenarios(_data(**{key: value}))
    with pytest.raises(ValueError, match="6-10 turns"):
        parse_scenarios(_data(turns=[{"text": "How many users?", "asks_scale": True}] * 11))


def test_flawed_candidates_plant_four_mistakes_one_an_estimate():
    for scenario in load_scenarios():
        planted = [turn for turn in scenario.turns if turn.mistake]
        if scenario.kind != "flawed":
            assert not planted, scenario.name
            continue
        assert len(planted) >= 4, scenario.name
        assert any(turn.mistake.startswith("estimate") for turn in planted), scenario.name
        assert all(turn.challenge_terms for turn in planted), scenario.name


def test_scenario_validation_rejects_bad_mistakes():
    no_estimate = [_mistake("single database")] * 4 + FLAWED_TURNS[4:]
    too_few = FLAWED_TURNS[:3] + [{"text": "hello there"}] * 2 + FLAWED_TURNS[5:]
    no_terms = [{"text": "x", "mistake": "estimate: wrong"}] + FLAWED_TURNS[1:]
    with pytest.raises(ValueError, match="wrong estimate"):
        parse_scenarios(_data(flawed_turns=no_estimate))
    with pytest.raises(ValueError, match="at least 4 planted"):
        parse_scenarios(_data(flawed_turns=too_few))
    with pytest.raises(ValueError, match="needs both"):
        parse_scenarios(_data(flawed_turns=no_terms))
    with pytest.raises(ValueError, match="only the flawed candidate"):
        parse_scenarios(_data(strong_turns=FLAWED_TURNS))


# --- end to end against the fake server ---------------------------------------------------------------------------


@pytest.fixture
def eval_env(fake_llm, tmp_path, monkeypatch):
    """The eval pointed at the fake server through the app's own "custom" provider settings."""
    for name in APP_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTERVIEW_PROVIDER", "custom")
    monkeypatch.setenv("INTERVIEW_BASE_URL", fake_llm.base_url)
    monkeypatch.setenv("INTERVIEW_MODEL", "fake-model")
    monkeypatch.setenv("INTERVIEW_TIMEOUT", "5")
    return fake_llm


def test_end_to_end_counts_scripted_replies(eval_env, tmp_path, capsys):
    fake = eval_env
    # url-shortener/strong, 4 turns: opening, then replies to turns 1-4 (turn 2 asks about scale).
    fake.enqueue("You need to design a URL shortener. What would you like to clarify first?")
    fake.enqueue("Here is the design:\n- load balancer\n- app servers\n- cache\n- database\n- queue\nAgreed?")
    fake.enqueue(f"Assume 100M new links a day and 100:1 reads. Shall we estimate? {NEXT_PHASE_MARKER}")
    fake.enqueue("100M new links a day is about 1,160 writes per second, you say. Moving on [[next phase]]")
    fake.enqueue("Good numbers. How much storage over five years?")
    # url-shortener/silent, 4 turns: the scale question ("QPS?") gets no numbers
    fake.enqueue("Let's design a URL shortener. What do you want to clarify?")
    fake.enqueue("Could you say more?")
    fake.enqueue("Lots of traffic. What would you build first?")
    fake.enqueue("Shall we estimate the load?")
    fake.enqueue("What would you store?")
    out = tmp_path / "results.json"
    code = main(["--quick", "--candidates", "strong,silent", "--no-feedback", "--quiet", "--out", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    summary = data["summary"]
    assert summary["replies"] == 10 and summary["errors"] == 0
    assert summary["design_dumps"] == 1
    assert summary["parroting"] == 1  # turn 3 echoes the candidate's own estimate
    assert summary["marker_leaks"] == 1  # [[next phase]] is not the exact marker, so the filter lets it through
    assert summary["numbers_when_asked"] == "1/2"
    assert summary["asks_question_pct"] == 100.0  # the engine adds a phase question to the reply that asked none
    assert summary["interviewer_phase_moves"] == 1
    assert summary["phase_order_violations"] == 0
    strong = data["scenarios"][0]
    assert [r["phase"] for r in strong["replies"]] == ["requirements"] * 3 + ["estimates"] * 2
    assert strong["replies"][2]["advanced_phase"] and "NEXT_PHASE" not in strong["replies"][2]["text"]
    silent = data["scenarios"][1]
    assert [r["phase"] for r in silent["replies"]] == ["requirements"] * 3 + ["estimates"] * 2
    assert [r["pressed_next"] for r in silent["replies"]] == [0, 0, 0, 1, 0]  # the script pressed "Next phase"
    # the page's engine sent the real system prompt, with the bank's scale facts
    first = fake.chat_requests()[0]["messages"][0]
    assert first["role"] == "system" and "100M new short URLs created per day" in first["content"]
    printed = capsys.readouterr().out
    assert "== url-shortener / strong" in printed and "== Summary" in printed
    # rescoring the saved file without any model gives the same figures
    rescored = tmp_path / "rescored.json"
    requests = len(fake.chat_requests())
    assert main(["--rescore", str(out), "--out", str(rescored)]) == 0
    assert len(fake.chat_requests()) == requests
    again = json.loads(rescored.read_text())["summary"]
    assert {k: again[k] for k in summary if k != "by_candidate"} == {
        k: summary[k] for k in summary if k != "by_candidate"
    }


def test_end_to_end_feedback_checks(eval_env, tmp_path):
    fake = eval_env
    strong_card = {
        "dimensions": [
            {"key": "requirements", "score": 4, "evidence": ["Core features: create a short link"], "comment": "ok"}
        ],
        "hire_signal": "Hire",
    }
    weak_card = {
        "dimensions": [{"key": "requirements", "score": 3, "evidence": ["It just needs to work"], "comment": "meh"}],
        "hire_signal": "No hire",
    }
    for card_json in (strong_card, weak_card):
        for _ in range(3):  # opening and two turns
            fake.enqueue("Noted. What else matters?")
        fake.enqueue(json.dumps(card_json))
    out = tmp_path / "results.json"
    code = main(["--quick", "--candidates", "strong,weak", "--max-turns", "2", "--quiet", "--out", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    feedback = data["summary"]["feedback"]
    assert feedback["parses"] == "2/2"
    assert data["strong_above_weak"]["url-shortener"][0] is True
    assert feedback["strong_above_weak"] == "1/1"


def test_optional_judge(eval_env, tmp_path):
    fake = eval_env
    fake.enqueue("Let's design a URL shortener. What do you want to clarify?")
    fake.enqueue("Could you say more about the features?")
    for answer in ("No, it did not.", "Yes. It ignored the answer.", "no"):  # leaked, ignored, pushback
        fake.enqueue(answer)
    out = tmp_path / "results.json"
    argv = ["--quick", "--candidates", "silent", "--max-turns", "1", "--no-feedback", "--quiet", "--out", str(out)]
    assert main([*argv, "--judge-provider", "custom"]) == 0
    data = json.loads(out.read_text())
    verdicts = data["scenarios"][0]["judge"]
    assert [verdicts[k]["answer"] for k in ("leaked_solution", "ignored_answer", "useful_pushback")] == [
        "no",
        "yes",
        "no",
    ]
    assert "feedback_grounded" not in verdicts  # no scorecard to judge
    assert data["summary"]["judge"] == {"leaked_solution": "1/1", "ignored_answer": "0/1", "useful_pushback": "0/1"}
    judge_prompt = fake.chat_requests()[2]["messages"][1]["content"]
    assert "Candidate: ok" in judge_prompt and "Interviewer: Could you say more" in judge_prompt


def test_unknown_problem_is_a_readable_error(eval_env, capsys):
    assert main(["--problems", "nope", "--quiet"]) == 2
    assert "unknown problem 'nope'" in capsys.readouterr().err


def test_asking_the_suggested_phase_question_is_not_an_instruction_echo():
    interview = engine.start_interview("Design a URL shortener", engine.NullStore())
    interview.add(engine.Message("assistant", "What would you like to clarify first?", "requirements"))
    interview.add_user("Scope first: the features for the first version are create and redirect.")
    decided = moves.plan(interview, now=interview.created_at)
    moves.apply(interview, decided, now=interview.created_at)
    move = decided.move
    system = prompting.system_prompt(interview, policy=CAPABLE, move=move)
    problem = catalog.find_problem("url-shortener")
    instructions = runner.instructions_only(system, problem, said_by_move=(move.question, move.lead, move.quote))
    assert checks.no_prompt_echo(f"Good. {move.question}", instructions)[0]
    echo = f"{move.instruction().split(':')[0]}: what now?"
    assert not checks.no_prompt_echo(echo, instructions)[0]


def test_the_scale_facts_given_on_request_are_not_an_answer_leak():
    key = ["1B x 100 KB is 100 TB/month, ~6 PB over 5 years"]
    reply = "Assume crawl 1B pages per month; average HTML page is about 100 KB; store crawled pages for 5 years. Next?"
    facts = "Crawl 1B pages per month. Average HTML page is about 100 KB. Store crawled pages for 5 years."
    assert not checks.check_reply(reply, **REPLY_CONTEXT, answer_key=key)["no_answer_leak"][0]
    assert checks.check_reply(reply, **REPLY_CONTEXT, answer_key=key, given=facts)["no_answer_leak"][0]


REPLY_CONTEXT = {"last_candidate": "", "earlier_answers": [], "candidate_text": "", "asked_scale": False}


def test_a_scripted_diagram_is_validated_and_drawn_before_its_turn():
    broken = [{"text": "Here is my drawing.", "diagram": "flowchart LR\nA -->"}] + FLAWED_TURNS[1:]
    with pytest.raises(ValueError, match="turn 1: the diagram cannot be read: Line 2"):
        parse_scenarios(_data(flawed_turns=broken))
    flawed = next(s for s in load_scenarios() if s.name == "url-shortener/flawed")
    drawn = next(turn for turn in flawed.turns if turn.diagram)
    assert drawn.mistake.startswith("diagram") and "Links DB" in drawn.diagram
    assert "database" not in drawn.text.lower() and "db" not in drawn.text.lower()  # only the drawing shows it
    scenario = type(flawed)(flawed.problem_id, flawed.kind, flawed.turns[: flawed.turns.index(drawn) + 1])
    result = runner.run_scenario(scenario, FakeProvider("Noted.", policy=SMALL_MODEL), feedback=False)
    reply = result["replies"][-1]
    assert reply["drew"].startswith("Components: Clients; Load balancer; API servers") and "Links DB" in reply["drew"]
    assert reply["move"]["key"] == "diagram:single-instance:db"
    assert result["pushback"]["planted"][-1]["challenged"][0]


def test_the_scripts_written_blind_are_marked_so_no_test_asserts_on_them() -> None:
    blind = {s.problem_id for s in load_scenarios() if s.blind}
    assert blind == {
        "file-sync",
        "proximity-service",
        "photo-sharing",
        "metrics-monitoring",
        "unique-id-generator",
        "hotel-reservation",
    }
    assert "url-shortener" not in blind
