"""The interviewer reads the whiteboard: a compact summary in the conversation and the per-turn tail, cache-safe."""

from interview.core.steering import CAPABLE, SMALL_MODEL
from interview.dialogue import engine, prompting
from interview.providers.config import settings_for
from interview.providers.openai_compat import OpenAICompatibleProvider
from interview.whiteboard import board
from tests.helpers import FakeProvider

SINGLE_DB = "flowchart LR\n  client[Client] --> lb[Load balancer]\n  lb --> api[API service]\n  api --> db[(Links DB)]"
WITH_CACHE = SINGLE_DB + "\n  api --> cache[(Redis cache)]"


def _interview(store=None):
    store = store or engine.NullStore()
    return engine.start_interview("Design a URL shortener", store, problem_id="url-shortener"), store


def _reply(interview, provider, store):
    with engine.reply(interview, provider, store) as turn:
        for _ in turn.chunks():
            pass
    return turn


def test_the_answer_a_diagram_belongs_to_carries_its_summary_once():
    interview, store = _interview()
    _reply(interview, FakeProvider("What would you like to clarify first?"), store)
    engine.update_diagram(interview, SINGLE_DB, store)  # drawn while writing the first answer
    engine.answer(interview, "Here is my first design.", store)
    _reply(interview, FakeProvider("Why a load balancer?"), store)
    engine.answer(interview, "Because we run several API servers.", store)  # no diagram change on this answer
    turns = prompting.conversation(interview)
    answers = [t["content"] for t in turns if t["role"] == "user"][1:]
    assert answers[0].startswith("Here is my first design.\n\nWhiteboard (as of this answer):")
    assert "Links DB (database)" in answers[0] and "API service -> Links DB" in answers[0]
    assert "First version of the diagram." in answers[0]
    assert answers[1] == "Because we run several API servers."
    assert "flowchart" not in "\n".join(answers)  # never the raw source


def test_a_change_is_named_on_the_answer_it_came_with():
    interview, store = _interview()
    engine.update_diagram(interview, SINGLE_DB, store)
    engine.answer(interview, "First design.", store)
    engine.update_diagram(interview, WITH_CACHE, store)
    engine.answer(interview, "I added a cache.", store)
    second = prompting.conversation(interview)[-1]["content"]
    assert "Changed since last turn: added Redis cache; new edges API service -> Redis cache." in second


def test_the_head_and_earlier_turns_stay_byte_identical_when_the_diagram_changes():
    interview, store = _interview()
    _reply(interview, FakeProvider("What would you like to clarify first?"), store)
    engine.update_diagram(interview, SINGLE_DB, store)
    engine.answer(interview, "First design.", store)
    provider = FakeProvider("Why that database?", "What about the cache?")
    _reply(interview, provider, store)
    engine.update_diagram(interview, WITH_CACHE, store)
    engine.answer(interview, "I added a cache.", store)
    _reply(interview, provider, store)
    before, after = provider.requests
    assert after[0] == before[0]  # the head
    history = [m for m in before if m["role"] != "system"]
    assert after[1 : 1 + len(history)] == history  # every earlier turn, the diagram block included
    assert "Redis cache" not in before[0]["content"] and "Redis cache" in after[-1]["content"]


def test_capable_tail_carries_the_current_diagram_and_the_small_model_gets_it_in_the_conversation():
    interview, store = _interview()
    engine.update_diagram(interview, SINGLE_DB, store)
    engine.answer(interview, "First design.", store)
    _head, tail = prompting.prompt_parts(interview, policy=CAPABLE)
    assert "The candidate's whiteboard now:" in tail and "Client; Load balancer; API service" in tail
    assert "First version of the diagram." in tail
    _head, small_tail = prompting.prompt_parts(interview, policy=SMALL_MODEL)
    assert small_tail == ""
    turn = _reply(interview, FakeProvider("Nice.", policy=SMALL_MODEL), store)
    assert any("Links DB (database)" in m["content"] for m in turn.messages if m["role"] == "user")


def test_no_diagram_means_no_whiteboard_text():
    interview, store = _interview()
    engine.answer(interview, "Scope first.", store)
    assert board.tail_text(interview) == "" and board.turn_blocks(interview) == {}
    assert "Whiteboard" not in prompting.system_prompt(interview)


def test_a_large_diagram_is_summarised_within_its_budget():
    nodes = "\n".join(f"  api --> s{i}[Storage shard number {i}]" for i in range(140))
    interview, store = _interview()
    engine.update_diagram(interview, "flowchart LR\n  api[API]\n" + nodes, store)
    engine.answer(interview, "A big design.", store)
    block = board.turn_blocks(interview)[1]
    assert len(block) < board.MAX_BLOCK_CHARS + 2 * board.MAX_CHANGE_CHARS
    assert "more." in block and "Storage shard number 0" in block and "Storage shard number 139" not in block


def test_the_real_client_sends_the_components_and_the_changes(fake_llm):
    settings = settings_for(
        "custom",
        env={"INTERVIEW_TIMEOUT": "5", "INTERVIEW_MODEL": "fake-model", "INTERVIEW_BASE_URL": fake_llm.base_url},
        base_url=fake_llm.base_url,
    )
    provider = OpenAICompatibleProvider(settings)
    interview, store = _interview()
    fake_llm.enqueue("What would you like to clarify first?")
    _reply(interview, provider, store)
    engine.update_diagram(interview, SINGLE_DB, store)
    engine.answer(interview, "Clients go through a load balancer to the API, which stores links.", store)
    fake_llm.enqueue("What happens when that database is down?")
    _reply(interview, provider, store)
    engine.update_diagram(interview, WITH_CACHE, store)
    engine.answer(interview, "I put a cache next to the API.", store)
    fake_llm.enqueue("How do you keep the cache fresh?")
    _reply(interview, provider, store)
    first, second, third = (request["messages"] for request in fake_llm.chat_requests())
    sent = "\n".join(m["content"] for m in third)
    assert "Components: Client; Load balancer; API service; Links DB (database)" in sent
    assert "added Redis cache; new edges API service -> Redis cache" in sent
    assert third[0] == second[0] == first[0]  # the cached head never moved
    assert "flowchart" not in sent
