"""The websocket-bytes benchmark measures something real: structural facts only, never timings."""

from bench.common import markdown_reply, token_chunks
from bench.ws_bytes import measure_standalone


def test_reply_is_multi_paragraph_markdown_of_the_asked_size():
    reply = markdown_reply(300)
    assert len(token_chunks(reply)) == 300
    assert reply.count("\n\n") >= 3


def test_block_streamer_sends_fewer_bytes_than_naive_write_stream():
    reply = markdown_reply(300)
    naive = measure_standalone(reply, interval=0.0, ours=False)
    ours = measure_standalone(reply, interval=0.0, ours=True)
    for result in (naive, ours):
        assert result.bytes_reply > 0
        assert result.bytes_all >= result.bytes_reply
        assert result.updates > 0
    assert naive.updates >= len(token_chunks(reply))  # the naive pattern re-sends the element on every chunk
    assert ours.bytes_reply < naive.bytes_reply


def test_prompt_cache_report_states_the_issue_ratios_from_its_rows():
    from bench import prompt_cache

    rows = [
        {"answer": n, "move": "probe", "prompt": 300 + 80 * n, "evaluated": 80, "new": 80, "tail": 0}
        | {"model_first_s": 0.5, "first_shown_s": 0.6, "page_first_word_s": 0.4 + n / 10, "raw_s": 0.45}
        for n in range(1, 17)
    ]
    rows[3] |= {"evaluated": 90}  # one reply evaluated more than its new turn
    switch = {"evaluated": 9, "prompt": 1400, "first_s": 0.2, "state_bytes": 40_000_000, "held_tokens": 1400}
    results = {
        "rows": rows,
        "cold": 8.0,
        "final_tokens": 1580,
        "switch": {"saved": switch, "not saved": switch | {"evaluated": 1000, "state_bytes": 0}},
        "browser": {"seconds": 90.0, "replies": 17},
    }
    assert prompt_cache.evaluated_ratio(rows) == 90 / 80
    assert prompt_cache.tail_p90(rows, "page_first_word_s") > prompt_cache.tail_p90(rows)
    text = prompt_cache.report(results)
    assert "Tokens evaluated ÷ (new turn + per-turn tail), worst reply: 1.12" in text
    assert "x the cold cost (target ≤ 0.25x)" in text and "took 90 s" in text
    assert "| 9 of 1400 |" in text and "40.0 MB for 1400 tokens" in text
    assert text.count("\n| 1") >= 7  # one table row per reply, answers 1 and 10–16


def test_bank_load_runs_in_a_fresh_process_and_loads_the_whole_bank():
    from bench import bank_load
    from interview.problems import catalog

    (result,) = bank_load.measure(1)
    assert result.problems == len(catalog.listings()) >= 40
    assert result.megabytes > 0.1 and result.load_cpu_ms > 0
    text = "\n".join(" | ".join(row) for row in bank_load.rows([result]))
    assert f"{result.problems}, {result.megabytes:.2f} MB" in text and "Processes | 1" in text
