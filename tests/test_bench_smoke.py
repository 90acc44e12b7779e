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
