"""The whiteboard pane through Streamlit's AppTest, against the fake OpenAI-compatible server and a real database."""

from __future__ import annotations

import json
import os

from interview.dialogue import engine
from interview.store import SQLiteStore
from interview.whiteboard.diagram import STARTER
from interview.whiteboard.parse import parse
from tests.helpers import download_data, new_app

GOOD = "flowchart LR\n    client[Client] --> api[API service]\n    api --> db[(Orders DB)]"
BETTER = GOOD + "\n    api --> cache[(Redis cache)]"
BROKEN = BETTER + "\n    api -->"


def chat(at, text):
    at.chat_input(key="chat_input").set_value(text)
    return at.run()


def started(server, phase_steps: int = 2):
    """A page with an interview open, moved on `phase_steps` phases (2 reaches high-level design)."""
    server.enqueue("Let us start with requirements. Who are the users?")
    at = chat(new_app(), "Design an online store")
    for _ in range(phase_steps):
        at = at.button(key="next_phase").click().run()
    assert not at.exception
    return at


def board_shown(at) -> bool:
    return any(area.label == "Diagram (Mermaid)" for area in at.text_area)


def drawn(at) -> list[str]:
    """The Mermaid sources the page renders (st.mermaid_chart is a fenced Markdown block)."""
    found = []
    for element in at.markdown:
        text = element.value
        if "mermaid\n" in text:
            fence = text[: len(text) - len(text.lstrip("`"))]
            body = text[len(fence) + len("mermaid\n") :]
            body = body[: body.rindex(f"\n{fence}")]
            # The accessible name travels as a Mermaid comment on the first line.
            assert body.startswith("%% stAlt: The candidate's system design diagram\n")
            found.append(body.split("\n", 1)[1])
    return found


def edit(at, source: str):
    at.text_area(key="diagram_source").set_value(source)
    return at.run()


def stored(interview_id: str):
    with SQLiteStore(os.environ["INTERVIEW_DB"]) as store:
        return store.load(interview_id)


def test_board_opens_at_high_level_design_and_the_toggle_wins(app_env):
    at = started(app_env, phase_steps=0)
    assert not board_shown(at) and at.toggle(key="whiteboard_open").value is False
    at = at.toggle(key="whiteboard_open").set_value(True).run()
    assert board_shown(at)  # the candidate may draw in any phase
    at = at.toggle(key="whiteboard_open").set_value(False).run()
    at = at.button(key="next_phase").click().run().button(key="next_phase").click().run()
    assert at.session_state.interview.phase == "high_level"
    assert not board_shown(at)  # closed by hand: it stays closed

    fresh = started(app_env)
    assert board_shown(fresh) and fresh.toggle(key="whiteboard_open").value is True
    assert "Nothing drawn yet" in "\n".join(c.value for c in fresh.caption)
    fresh = fresh.toggle(key="whiteboard_open").set_value(False).run()
    assert not board_shown(fresh)
    app_env.enqueue("Which database?")
    fresh = chat(fresh, "Orders go to a database.")
    assert not board_shown(fresh) and not fresh.exception


def test_an_edit_is_drawn_and_saved_with_its_turn(app_env):
    at = started(app_env)
    at = edit(at, GOOD)
    assert not at.exception and not at.error
    assert drawn(at) == [GOOD]
    interview = at.session_state.interview
    assert [(v.source, v.turn) for v in stored(interview.id).diagrams] == [(GOOD, 1)]
    app_env.enqueue("Where do reads go?")
    at = chat(at, "The API writes orders to the database.")
    at = edit(at, BETTER)
    assert drawn(at) == [BETTER]
    assert [(v.source, v.turn) for v in stored(interview.id).diagrams] == [(GOOD, 1), (BETTER, 2)]


def test_a_broken_edit_names_the_line_and_keeps_the_last_good_diagram(app_env):
    at = edit(started(app_env), BETTER)
    at = edit(at, BROKEN)
    assert not at.exception
    error = "\n".join(e.value for e in at.error)
    assert "Line 5" in error and "last good diagram" in error
    assert drawn(at) == [BETTER]  # still drawn
    assert at.text_area(key="diagram_source").value == BROKEN  # the candidate's text is not thrown away
    at = at.run()  # a rerun (a chat turn, the timer) neither loses the text nor the message
    assert at.text_area(key="diagram_source").value == BROKEN and at.error
    assert stored(at.session_state.interview.id).diagram_source() == BETTER
    at = edit(at, BETTER + "\n    api --> q[[Orders queue]]")
    assert not at.error and "q[[Orders queue]]" in drawn(at)[0]


def test_hostile_diagram_text_is_refused_and_never_drawn(app_env):
    at = edit(started(app_env), GOOD)
    for hostile in (
        GOOD + '\n    click api "javascript:alert(1)"',
        "%%{init: {'securityLevel': 'loose'}}%%\n" + GOOD,
        GOOD + "\n    x[<img src=x onerror=alert(1)>]",
    ):
        at = edit(at, hostile)
        assert at.error and drawn(at) == [GOOD]
    assert stored(at.session_state.interview.id).diagram_source() == GOOD


def test_starter_and_palette_insert_components(app_env):
    at = started(app_env)
    assert at.button(key="diagram_starter").disabled is False
    at = at.button(key="diagram_starter").click().run()
    assert at.text_area(key="diagram_source").value == STARTER.rstrip("\n")
    assert drawn(at) == [STARTER.rstrip("\n")]
    assert at.button(key="diagram_starter").disabled is True  # never overwrites a drawing
    for stem in ("cache", "cache", "queue", "storage", "cdn", "replica", "shard"):
        at = at.button(key=f"diagram_add_{stem}").click().run()
    assert not at.exception and not at.error
    graph = parse(drawn(at)[0])
    added = {node.id: node for node in graph.nodes if node.id not in ("client", "lb", "api", "db")}
    assert list(added) == ["cache1", "cache2", "queue1", "storage1", "cdn1", "replica1", "shard1"]
    assert [added[k].kind for k in ("cache1", "queue1", "storage1", "cdn1", "replica1", "shard1")] == [
        "cache",
        "queue",
        "storage",
        "cdn",
        "database",
        "database",
    ]
    assert added["replica1"].replicated and added["shard1"].replicated
    assert stored(at.session_state.interview.id).diagram_source() == drawn(at)[0]


def test_palette_on_an_empty_board_starts_a_flowchart(app_env):
    at = started(app_env).button(key="diagram_add_queue").click().run()
    assert at.text_area(key="diagram_source").value == "flowchart LR\n    queue1[[Queue]]"
    assert drawn(at) == ["flowchart LR\n    queue1[[Queue]]"]


def test_the_next_model_request_carries_the_drawn_components(app_env):
    at = edit(started(app_env), GOOD)
    app_env.enqueue("Why a single database?")
    at = chat(at, "Orders are written by the API service.")
    first = "\n".join(m["content"] for m in app_env.chat_requests()[-1]["messages"])
    assert "Edges: Client -> API service; API service -> Orders DB." in first
    assert "flowchart LR" not in first and "[(Orders DB)]" not in first  # a compact list, never the raw source
    # The single database was challenged by the reaction to the edit; the model sees it as its own turn.
    assert any(
        m["role"] == "assistant" and "one Orders DB" in m["content"] for m in app_env.chat_requests()[-1]["messages"]
    )

    at = edit(at, BETTER)
    app_env.enqueue("What is cached?")
    at = chat(at, "Reads go through a cache.")
    assert not at.exception
    sent = app_env.chat_requests()[-1]["messages"]
    latest = next(m["content"] for m in reversed(sent) if m["role"] == "user")
    assert "Redis cache" in latest and "added Redis cache" in latest  # what changed since the last turn


def test_resume_shows_the_latest_diagram(app_env):
    with SQLiteStore(os.environ["INTERVIEW_DB"]) as store:
        interview = engine.start_interview("Design a ticket booking system", store)
        engine.advance_phase(interview, store)
        engine.advance_phase(interview, store)
        engine.update_diagram(interview, GOOD, store)
        engine.update_diagram(interview, BETTER, store)
    at = new_app({"interview": interview.id})
    assert not at.exception
    assert board_shown(at) and at.text_area(key="diagram_source").value == BETTER
    assert drawn(at) == [BETTER]
    # A new interview in the same session starts with an empty board.
    at = next(b for b in at.button if b.label == "New interview").click().run()
    app_env.enqueue("Who are the users?")
    at = chat(at, "Design a chat app")
    assert not board_shown(at)  # requirements: closed until opened
    at = at.toggle(key="whiteboard_open").set_value(True).run()
    assert at.text_area(key="diagram_source").value == "" and drawn(at) == []


def test_exports_carry_the_diagram(app_env):
    at = edit(started(app_env), BETTER)
    buttons = {b.proto.id: b for b in at.get("download_button")}

    def export_of(key):
        return download_data(next(b for id_, b in buttons.items() if key in id_))

    assert f"```mermaid\n{BETTER}\n```" in export_of("download_md")
    assert json.loads(export_of("download_json"))["interview"]["diagrams"][0]["source"] == BETTER
    page = export_of("download_html")
    assert "<svg" in page and "Redis cache" in page and "<script" not in page


def test_explain_mode_has_no_board(app_env):
    at = started(app_env)
    at.radio(key="mode_choice").set_value("explain")
    at = at.run()
    assert not at.exception and not board_shown(at)
    assert not any(t.key == "whiteboard_open" for t in at.toggle)


# --- the interviewer reacts to an edit ------------------------------------------------------------------------------

ONE_DB = "flowchart LR\n  C[Client] --> A[API] --> D[(Links DB)]"
REACTION = "I see an arrow from API straight to one Links DB"


def reactions_shown(at) -> list[str]:
    return [element.value for element in at.markdown if element.value.startswith(REACTION)]


def test_an_edit_with_a_single_database_draws_one_reaction_shown_at_once(app_env):
    at = edit(started(app_env), ONE_DB)
    assert not at.exception and not at.error
    assert len(reactions_shown(at)) == 1  # on the rerun that saved the board, without an answer
    interview = stored(at.session_state.interview.id)
    assert interview.messages[-1].role == "assistant" and interview.messages[-1].content.startswith(REACTION)
    assert interview.notes.raised("diagram:single-instance:D").asked
    requests = len(app_env.chat_requests())

    at = edit(at, ONE_DB + "\n  A --> S[Stats service]")  # the same pitfall: no second reaction
    assert len(reactions_shown(at)) == 1 and len(stored(interview.id).messages) == len(interview.messages)
    assert len(app_env.chat_requests()) == requests  # a reaction is written in code: no model call

    app_env.enqueue("How do the API servers scale?")
    at = chat(at, "The API servers are stateless behind a load balancer.")
    assert not at.exception and len(reactions_shown(at)) == 1
    sent = app_env.chat_requests()[-1]["messages"]
    assert {"role": "assistant", "content": reactions_shown(at)[0]} in sent  # the model knows what was asked
    last = stored(interview.id).notes.moves[-1]
    assert last.turn == 1 and last.kind != "reaction" and last.key != "diagram:single-instance:D"
    assert "requests that need it" not in sent[-1]["content"]  # not told to ask it again


def test_an_edit_in_requirements_or_after_the_feedback_draws_none(app_env):
    at = started(app_env, phase_steps=0)
    at = at.toggle(key="whiteboard_open").set_value(True).run()
    count = len(at.session_state.interview.messages)
    at = edit(at, ONE_DB)
    assert not at.exception and reactions_shown(at) == []
    assert len(stored(at.session_state.interview.id).messages) == count

    ended = started(app_env)
    ended = ended.button(key="end_interview").click().run()
    assert not ended.exception and ended.session_state.interview.scorecard is not None
    count = len(ended.session_state.interview.messages)
    ended = edit(ended, ONE_DB)
    assert not ended.exception and reactions_shown(ended) == []
    assert len(stored(ended.session_state.interview.id).messages) == count


def test_an_edit_sent_with_an_answer_draws_no_reaction_and_the_reply_challenges_it(app_env):
    at = started(app_env)
    at.text_area(key="diagram_source").set_value(ONE_DB)
    app_env.enqueue("What if that database goes down?")
    at = chat(at, "Here is my design: clients call the API, which keeps the orders.")
    assert not at.exception and reactions_shown(at) == []
    interview = stored(at.session_state.interview.id)
    assert interview.diagram_source() == ONE_DB
    assert [m.role for m in interview.messages[-2:]] == ["user", "assistant"]
    assert (
        interview.notes.moves[-1].kind == "challenge" and interview.notes.moves[-1].key == "diagram:single-instance:D"
    )


def test_the_starter_draws_one_reaction_and_boxes_added_from_the_palette_none(app_env):
    at = started(app_env).button(key="diagram_starter").click().run()
    said = [m.content for m in at.session_state.interview.messages if m.role == "assistant"]
    assert said[-1].startswith("I see an arrow from API service straight to one Database")
    for stem in ("cache", "queue", "cdn"):  # boxes with no arrows yet: too early to react
        at = at.button(key=f"diagram_add_{stem}").click().run()
    assert not at.exception
    assert [m.content for m in stored(at.session_state.interview.id).messages if m.role == "assistant"] == said


def _columns_around_the_table(node, columns: int = 0) -> list[int]:
    """For each table on the page, how many columns it sits inside."""
    here = columns + (type(node).__name__ == "Column")
    found = [here] if type(node).__name__ == "Dataframe" else []
    for child in getattr(node, "children", {}).values():
        found += _columns_around_the_table(child, here)
    return found


def test_the_feedback_uses_the_full_width_when_the_board_is_open(app_env):
    at = started(app_env)
    assert board_shown(at)
    app_env.enqueue("How would you shard the orders table?")
    at = chat(at, "An API service in front of an orders database, with a Redis cache for product pages.")
    at = at.button(key="end_interview").click().run()
    assert not at.exception and at.session_state.interview.scorecard
    # only the feedback's own table-and-chart columns, not the narrow chat column beside the board
    assert _columns_around_the_table(at._tree) == [1]
