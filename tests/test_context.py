"""Context budget: long interviews are summarised, never silently cut by the server."""

import pytest

from interview.dialogue import engine
from interview.dialogue.context import fit_context, reply_reserve
from tests.helpers import FakeProvider, new_interview


def estimate(text):
    return max(1, (len(text) + 2) // 3)


def test_short_conversation_is_sent_whole():
    turns = [{"role": "user", "content": "Design a cache"}, {"role": "assistant", "content": "Clarify?"}]
    messages, summary, dropped = fit_context("system", turns, 4096, estimate)
    assert messages[1:] == turns and summary == "" and dropped == 0


@pytest.mark.parametrize("context_tokens", [2048, 4096, 8192])
def test_150_turn_interview_fits_the_budget_and_keeps_question_and_latest(context_tokens):
    interview = new_interview("Design a chat system like Slack")
    replies = [[f"Interviewer question {i}: how would you shard channel {i}?"] for i in range(150)]
    provider = FakeProvider(*replies, context_tokens=context_tokens)
    for i in range(150):
        interview.add_user(f"Candidate answer {i}. I would partition messages by channel id and keep {i} replicas.")
        with engine.reply(interview, provider, engine.NullStore()) as turn:
            "".join(turn.chunks())
        sent = provider.requests[-1]
        total = sum(estimate(m["content"]) + 4 for m in sent)
        assert total <= context_tokens - reply_reserve(context_tokens)
        assert sent[1]["content"] == "Design a chat system like Slack"
        assert sent[-2]["content"].startswith(f"Candidate answer {i}.") and sent[-1]["role"] == "system"
    assert turn.summarised > 100
    assert "Summary of earlier turns" in sent[0]["content"]
    assert interview.summary and "Candidate answer" in interview.summary
    assert len(interview.messages) == 301, "nothing is dropped from the stored log"


def test_a_message_too_long_for_the_window_is_refused_before_sending():
    interview = new_interview()
    interview.add_user("word " * 3000)
    provider = FakeProvider(["unused"], context_tokens=1024)
    with engine.reply(interview, provider, engine.NullStore()) as turn:
        assert "".join(turn.chunks()) == ""
    message = turn.message
    assert not provider.requests, "nothing was sent"
    assert not message.complete and "too long for this model's context window" in message.error


def test_the_summary_stays_put_between_summarising_steps():
    interview = new_interview("Design a chat system like Slack")
    provider = FakeProvider(*[[f"Question {i}: and then?"] for i in range(120)], context_tokens=2048)
    heads, steps = [], 0
    for i in range(120):
        interview.add_user(f"Answer {i}. I would partition messages by channel id and keep {i} replicas of each.")
        before = interview.summary_turns
        with engine.reply(interview, provider, engine.NullStore()) as turn:
            "".join(turn.chunks())
        steps += interview.summary_turns != before
        heads.append(provider.requests[-1][0]["content"])
    assert steps >= 3, "the interview is long enough to summarise several times"
    changes = sum(1 for a, b in zip(heads, heads[1:], strict=False) if a != b)
    assert changes == steps, "the head of the prompt changes only at a summarising step"
    assert steps * 4 < 120, "each step frees room for several turns"


def test_the_summary_for_one_cut_is_the_same_whatever_this_turn_s_instructions_cost():
    turns = [{"role": "user", "content": "Design a chat system"}]
    for i in range(60):
        turns += [
            {"role": "assistant", "content": f"Question {i}: and then?"},
            {"role": "user", "content": f"Answer {i}. I would partition messages by channel id, {i} replicas."},
        ]
    count = lambda text: len(text) // 3 + 1  # noqa: E731
    _, summary, cut = fit_context("You are an interviewer.", turns, 2048, count, after=20)
    assert cut
    for after in (60, 140):  # a longer move instruction this turn
        _, again, same_cut = fit_context("You are an interviewer.", turns, 2048, count, after=after, summarised=cut)
        assert same_cut == cut and again == summary
