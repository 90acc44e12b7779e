"""JSON import validation, export→import round trips, and the standalone HTML export."""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest

from interview.core.notes import CoveredItem, EstimateCheck, InterviewerNotes, Move, RaisedMistake, estimate_line
from interview.core.scorecard import Scorecard
from interview.core.state import MAX_DIAGRAM_VERSIONS as MAX_DIAGRAMS
from interview.core.state import DiagramVersion, Interview, Message
from interview.dialogue import engine
from interview.store import open_store
from interview.transcripts import export
from interview.transcripts.importer import MAX_IMPORT_BYTES, MAX_MESSAGES, ImportFailed, parse_import
from interview.whiteboard.diagram import MAX_SOURCE_CHARS

T0 = 1_700_000_000.5
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
# Labels may not hold HTML, but may hold every character that needs escaping.
DRAWN = 'flowchart LR\n    web["Web & mobile <3 \'apps\'"] --> api[API]\n    api -->|"a > b"| db[(Pastes DB)]'


def sample(**overrides) -> Interview:
    """An interview with every field set, and hostile-looking text in the places users can type."""
    interview = Interview(
        question=f"Design a pastebin {SCRIPT}",
        constraints=f"Keep it cheap & simple {IMG}",
        mode="interview",
        level="junior",
        provider="openrouter",
        model="openai/gpt-4o-mini",
        length_minutes=30,
        style="coach",
        problem_id="pastebin",
        created_at=T0,
        updated_at=T0 + 99,
        phase="deep_dive",
        phase_started_at=T0 + 60,
        phase_history=[
            {"phase": "requirements", "started_at": T0, "reason": "start"},
            {"phase": "deep_dive", "started_at": T0 + 60, "reason": "candidate"},
        ],
        hints=[{"phase": "deep_dive", "tier": "direction", "text": "Consider expiry.", "at": T0 + 70}],
        scorecard=Scorecard.from_dict(
            {
                "dimensions": [
                    {
                        "name": "Data model",
                        "score": 3,
                        "evidence": [f"quoted {SCRIPT}"],
                        "comment": "Good <b>keys</b>.",
                    },
                    {"name": "Scale", "score": 1.5, "evidence": [], "comment": ""},
                ],
                "strengths": ["Clear API", f"Said {IMG}"],
                "gaps": ["No expiry job"],
                "hire_signal": "no hire",
            }
        ),
        ended_at=T0 + 1800,
        summary="They chose S3 for blobs. 日本語 ✓",
        summary_turns=2,
        notes=InterviewerNotes(
            covered=[CoveredItem("requirements", "Paste size limits", f"Up to 10 MB {SCRIPT}")],
            mistakes=[RaisedMistake("no-expiry", "deep_dive", "keep forever", f"Why {IMG}?", "No expiry.", False, "")],
            estimates=[EstimateCheck("writes per second", 12.0, 115.7, "12 writes a second", False)],
            moves=[Move("challenge", "no-expiry", f"Why {IMG}?"), Move("probe")],
        ),
    )
    interview.messages = [
        Message("user", interview.question, "requirements", kind="question", created_at=T0),
        Message("assistant", "What size are pastes?", "requirements", created_at=T0 + 1),
        Message("user", f"Up to 10 MB {SCRIPT}\n  indented line", "requirements", created_at=T0 + 2),
        Message("assistant", "Consider expiry.", "deep_dive", kind="hint", created_at=T0 + 70),
        Message("assistant", "Cut off mid", "deep_dive", complete=False, error=f"Dropped {IMG}", created_at=T0 + 80),
    ]
    interview.diagrams = [
        DiagramVersion("flowchart LR\n    web --> api", turn=1, created_at=T0 + 65),
        DiagramVersion(DRAWN, turn=2, created_at=T0 + 75),
    ]
    for name, value in overrides.items():
        setattr(interview, name, value)
    return interview


def without_message_ids(interview: Interview) -> Interview:
    copied = copy.deepcopy(interview)
    for row in copied.messages + copied.diagrams:
        row.id = None
    return copied


def document(interview: Interview | None = None) -> dict:
    return json.loads(export.to_json(interview or sample()))


@pytest.fixture
def store(db_location: str):
    """The store on SQLite and on PostgreSQL (see conftest.db_location)."""
    with open_store(db_location) as opened:
        yield opened


# -- round trips ---------------------------------------------------------------------------------------------


def test_export_then_import_gives_the_same_interview():
    original = sample()
    assert parse_import(export.to_json(original)) == original  # message ids are None on both sides here
    assert parse_import(export.to_json(original).encode("utf-8")) == original
    assert parse_import(b"\xef\xbb\xbf" + export.to_json(original).encode("utf-8")) == original  # with a BOM


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "scorecard": Scorecard.from_dict(
                {"prose": "Reasonable design.", "note": "The model could not fill the rubric."}
            )
        },
        {"scorecard": None, "ended_at": None, "problem_id": None, "summary": "", "constraints": ""},
        {"mode": "explain", "level": "staff", "hints": []},
        {
            "scorecard": Scorecard.from_dict(
                {"dimensions": [{"name": "x", "score": None}], "extra_from_newer_release": [1, "two"]}
            )
        },
    ],
)
def test_round_trip_variants(overrides):
    original = sample(**overrides)
    if not export.has_ended(original):
        original.notes = InterviewerNotes()  # a running interview is exported without its notes
    assert parse_import(export.to_json(original)) == original


def test_import_into_the_store_round_trips_every_field(store):
    original = sample()
    imported = engine.import_interview(export.to_json(original), store)
    assert imported.id == original.id  # no collision: the id is kept
    assert all(isinstance(m.id, int) for m in imported.messages)
    assert [v.id for v in imported.diagrams] == [v.id for v in store.load(original.id).diagrams]
    assert all(isinstance(v.id, int) for v in imported.diagrams)
    assert without_message_ids(store.load(original.id)) == original


def test_import_never_overwrites(store):
    original = sample()
    store.save_interview(original)
    for message in original.messages:
        store.save_message(original, message)
    for version in original.diagrams:
        store.save_diagram(original, version)
    before = store.load(original.id)
    text = export.to_json(before)
    first, second = engine.import_interview(text, store), engine.import_interview(text.encode("utf-8"), store)
    assert len({original.id, first.id, second.id}) == 3
    assert store.load(original.id) == before
    for copy_ in (first, second):
        loaded = store.load(copy_.id)
        assert loaded.id != original.id
        assert not {m.id for m in loaded.messages} & {m.id for m in before.messages}
        assert not {v.id for v in loaded.diagrams} & {v.id for v in before.diagrams}
        loaded.id = original.id
        assert without_message_ids(loaded) == without_message_ids(before)  # equal apart from the ids
    assert len(store.list_interviews()) == 3


def test_malformed_or_missing_id_gets_a_fresh_one():
    data = document()
    data["interview"]["id"] = "../../etc/passwd"
    imported = parse_import(json.dumps(data))
    assert len(imported.id) == 32 and imported.id != "../../etc/passwd"
    del data["interview"]["id"]
    assert len(parse_import(json.dumps(data)).id) == 32


def test_html_in_text_stays_literal_text(store):
    imported = engine.import_interview(export.to_json(sample()), store)
    loaded = store.load(imported.id)
    assert SCRIPT in loaded.question and IMG in loaded.constraints
    assert loaded.messages[2].content == f"Up to 10 MB {SCRIPT}\n  indented line"
    assert loaded.scorecard.strengths[1] == f"Said {IMG}"


# -- hostile imports -------------------------------------------------------------------------------------------


def mutated(change) -> str:
    data = document()
    change(data)
    return json.dumps(data)


def set_in(path: str, value):
    """A change that sets one field, addressed like 'interview.messages.1.role'."""

    def change(data):
        *parents, last = path.split(".")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def drop(path: str):
    def change(data):
        *parents, last = path.split(".")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


HOSTILE = [
    # (why, the file text, words the message must contain)
    ("malformed JSON", '{"schema": "interview-coach/transcript", ', "not valid JSON"),
    ("a list, not an object", "[1, 2, 3]", "JSON object"),
    ("a bare string", '"hello"', "JSON object"),
    ("empty file", "   ", "empty"),
    ("wrong schema", mutated(set_in("schema", "someone-else/export")), "not an interview transcript export"),
    ("no schema", mutated(drop("schema")), "no 'schema' field"),
    ("newer version", mutated(set_in("version", 2)), "newer release"),
    ("version as text", mutated(set_in("version", "1")), "version"),
    ("version as boolean", mutated(set_in("version", True)), "version"),
    ("no interview", mutated(drop("interview")), "no 'interview' field"),
    ("interview is a list", mutated(set_in("interview", [])), "should be an object"),
    ("question is a number", mutated(set_in("interview.question", 42)), "'question' should be text"),
    ("question is blank", mutated(set_in("interview.question", "   ")), "'question' is empty"),
    ("no question", mutated(drop("interview.question")), "missing the field 'question'"),
    ("messages is an object", mutated(set_in("interview.messages", {})), "'messages' should be a list"),
    ("message is text", mutated(set_in("interview.messages.0", "hi")), "message 1 should be an object"),
    ("unknown role", mutated(set_in("interview.messages.1.role", "system")), "'system'; expected one of user"),
    ("role with markup", mutated(set_in("interview.messages.1.role", SCRIPT)), "an unexpected value"),
    ("role is a number", mutated(set_in("interview.messages.1.role", 1)), "expected one of user, assistant"),
    ("unknown mode", mutated(set_in("interview.mode", "torture")), "expected one of interview, explain"),
    ("unknown level", mutated(set_in("interview.level", "wizard")), "expected one of junior"),
    ("unknown phase", mutated(set_in("interview.phase", "lunch")), "'phase' is 'lunch'"),
    ("unknown message phase", mutated(set_in("interview.messages.2.phase", "nap")), "message 3"),
    ("unknown kind", mutated(set_in("interview.messages.2.kind", "system_prompt")), "'kind'"),
    ("unknown hint tier", mutated(set_in("interview.hints.0.tier", "answer")), "hint 1"),
    ("complete as text", mutated(set_in("interview.messages.4.complete", "no")), "true or false"),
    ("content is a list", mutated(set_in("interview.messages.1.content", ["a"])), "'content' should be text"),
    ("time as text", mutated(set_in("interview.created_at", "yesterday")), "'created_at' should be a number"),
    ("time as boolean", mutated(set_in("interview.messages.0.created_at", True)), "should be a number"),
    ("time far future", mutated(set_in("interview.updated_at", 1e300)), "expected a time in seconds"),
    ("negative time", mutated(set_in("interview.ended_at", -5)), "expected a time in seconds"),
    ("NaN", export.to_json(sample()).replace('"length_minutes": 30', '"length_minutes": NaN'), "NaN"),
    ("infinity", export.to_json(sample()).replace('"length_minutes": 30', '"length_minutes": 1e999'), "length"),
    ("length not whole", mutated(set_in("interview.length_minutes", 30.5)), "whole number"),
    ("length zero", mutated(set_in("interview.length_minutes", 0)), "from 1 to 600"),
    ("unknown style", mutated(set_in("interview.style", "friendly")), "coach, standard, bar_raiser"),
    ("curveballs as text", mutated(set_in("interview.curveballs", "yes")), "true or false"),
    ("scorecard is a list", mutated(set_in("interview.scorecard", ["great"])), "the scorecard should be an object"),
    ("score as text", mutated(set_in("interview.scorecard.dimensions.0.score", "3")), "'score' should be a number"),
    ("evidence not text", mutated(set_in("interview.scorecard.dimensions.0.evidence", [1])), "should be text"),
    ("hints is text", mutated(set_in("interview.hints", "many")), "'hints' should be a list"),
    ("hint without text", mutated(drop("interview.hints.0.text")), "hint 1 is missing the field 'text'"),
    ("history not objects", mutated(set_in("interview.phase_history", [1])), "phase history entry 1"),
    ("content too long", mutated(set_in("interview.messages.1.content", "x" * 100_001)), "the limit is 100,000"),
    ("model name too long", mutated(set_in("interview.model", "m" * 301)), "the limit is 300"),
    ("too many messages", mutated(set_in("interview.messages", [{}] * (MAX_MESSAGES + 1))), "the limit is 2,000"),
    ("lone surrogate", export.to_json(sample()).replace("What size", "\\ud800 size", 1), "not valid text"),
    ("deep nesting", '{"schema": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    (
        "huge integer",
        mutated(set_in("interview.created_at", 0)).replace('"created_at": 0', '"created_at": ' + "9" * 5000),
        "number too long",
    ),
    ("api key in a hint", mutated(set_in("interview.hints.0.api_key", "sk-live-1")), "credential"),
    ("api key in the scorecard", mutated(set_in("interview.scorecard.OPENAI_API_KEY", "sk-1")), "credential"),
    ("notes not an object", mutated(set_in("interview.notes", [1])), "the interviewer notes should be an object"),
    (
        "estimate as text",
        mutated(set_in("interview.notes.estimates.0.stated", "lots")),
        "'stated' should be a number",
    ),
    ("mistake phase", mutated(set_in("interview.notes.mistakes.0.phase", "nap")), "noted mistake 1"),
    ("fixed as text", mutated(set_in("interview.notes.mistakes.0.fixed", "yes")), "true or false"),
    ("diagrams is text", mutated(set_in("interview.diagrams", "flowchart LR")), "'diagrams' should be a list"),
    ("diagram is text", mutated(set_in("interview.diagrams.1", DRAWN)), "whiteboard version 2 should be an object"),
    ("diagram has no source", mutated(drop("interview.diagrams.0.source")), "whiteboard version 1 is missing"),
    ("diagram turn as text", mutated(set_in("interview.diagrams.1.turn", "2")), "'turn' should be a whole number"),
    ("diagram time", mutated(set_in("interview.diagrams.0.created_at", -1)), "expected a time in seconds"),
    (
        "diagram with a script",
        mutated(set_in("interview.diagrams.1.source", f"flowchart LR\n  a --> b\n  click a call {SCRIPT}")),
        "whiteboard version 2 is not a flowchart this app can read (line 3)",
    ),
    (
        "diagram with HTML",
        mutated(set_in("interview.diagrams.0.source", f"flowchart LR\n  a[{IMG}]")),
        "whiteboard version 1 is not a flowchart this app can read (line 2)",
    ),
    ("diagram not mermaid", mutated(set_in("interview.diagrams.0.source", SCRIPT)), "whiteboard version 1 is not a"),
    (
        "diagram too long",
        mutated(set_in("interview.diagrams.0.source", "flowchart LR\n" + "a\n" * MAX_SOURCE_CHARS)),
        f"the limit is {MAX_SOURCE_CHARS:,}",
    ),
    (
        "too many diagrams",
        mutated(set_in("interview.diagrams", [{}] * (MAX_DIAGRAMS + 1))),
        f"'diagrams' has {MAX_DIAGRAMS + 1} entries",
    ),
]


@pytest.mark.parametrize(("why", "text", "words"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_imports_are_refused_with_a_clear_message(store, why, text, words):
    before = store.list_interviews()
    with pytest.raises(ImportFailed) as caught:
        engine.import_interview(text, store)
    message = str(caught.value)
    assert words in message, message
    assert message.endswith("Nothing was imported.") and message.count("Nothing was imported.") == 1
    assert "<script" not in message and "\n" not in message  # hostile text is never echoed back
    assert store.list_interviews() == before  # nothing was written


def test_huge_files_are_refused_before_parsing(store):
    padding = " " * (MAX_IMPORT_BYTES + 1)
    for payload in (padding, padding.encode(), export.to_json(sample()) + padding):
        with pytest.raises(ImportFailed, match=r"the limit for an import is 2,000,000 bytes"):
            engine.import_interview(payload, store)
    with pytest.raises(ImportFailed, match="bytes"):  # characters outside ASCII count as their UTF-8 size
        parse_import("é" * (MAX_IMPORT_BYTES // 2 + 1))
    assert store.list_interviews() == []


def test_non_utf8_bytes_are_refused():
    with pytest.raises(ImportFailed, match="not UTF-8"):
        parse_import(b"\xff\xfe\x00garbage")


def test_unknown_fields_are_dropped():
    original = sample()
    data = document(original)
    data["interview"]["colour"] = "blue"
    data["interview"]["messages"][0]["mood"] = "happy"
    assert parse_import(json.dumps(data)) == original


def test_minimal_export_uses_defaults():
    data = {
        "schema": export.EXPORT_SCHEMA,
        "version": export.EXPORT_VERSION,
        "interview": {
            "question": "Design a cache",
            "mode": "interview",
            "level": "mid",
            "phase": "requirements",
            "created_at": T0,
            "messages": [{"role": "user", "content": "Design a cache", "phase": "requirements", "created_at": T0}],
        },
    }
    imported = parse_import(json.dumps(data))
    assert imported.length_minutes == 45 and imported.updated_at == T0 and imported.scorecard is None
    assert imported.messages[0].kind == "chat" and imported.messages[0].complete is True
    assert imported.diagrams == []  # an export from before the whiteboard existed


def test_the_import_keeps_as_many_versions_as_the_engine_does():
    assert MAX_DIAGRAMS == engine.MAX_DIAGRAM_VERSIONS


# -- HTML export -----------------------------------------------------------------------------------------------


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "dl", "dt", "dd", "article",
    "header", "span", "time", "div", "p", "section", "table", "thead", "tbody", "tr", "th", "td", "ul", "li",
    "strong", "footer", "figure", "pre", "svg", "rect", "path", "polygon", "line", "text", "tspan",
}  # fmt: skip


def parsed(page: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(page)
    collector.close()
    return collector


def test_html_export_escapes_everything_and_loads_nothing():
    page = export.to_html(sample())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    collector = parsed(page)
    assert {tag for tag, _ in collector.tags} <= ALLOWED_TAGS
    for _, attrs in collector.tags:
        assert not {"src", "href", "action", "srcset"} & set(attrs)
        assert not any(name.startswith("on") for name in attrs)
    lowered = page.lower()
    assert "@import" not in lowered and "url(" not in lowered and "<link" not in lowered
    assert "http://" not in lowered and "https://" not in lowered
    assert "default-src 'none'" in page  # the content security policy forbids scripts and fetches outright
    text = "".join(collector.text)
    assert SCRIPT in text and IMG in text  # the reader sees the literal text


def test_html_export_has_the_transcript_and_scorecard():
    interview = sample()
    page = export.to_html(interview)
    text = "".join(parsed(page).text)
    for expected in (
        "Candidate",
        "Interviewer",
        "Hint",
        "Requirements clarification",
        "Deep dive",
        export.iso(T0 + 1),
        "Incomplete reply",
        "Dropped",
        "openai/gpt-4o-mini",
        "Data model",
        "Clear API",
        "No expiry job",
        "no hire",
        "Score (1–4)",
        "Hints used",
    ):
        assert expected in text, expected
    assert page.count('<article class="message') == len(interview.messages)
    assert page.count('class="incomplete"') == 1
    assert "<table>" in page and page.count("<tr>") == 3
    assert "  indented line" in text  # whitespace kept (white-space: pre-wrap)


def test_html_export_prose_scorecard_and_explain_mode():
    interview = sample(
        mode="explain", scorecard=Scorecard.from_dict({"prose": f"Prose {SCRIPT}", "note": "Fallback note."})
    )
    page = export.to_html(interview)
    text = "".join(parsed(page).text)
    assert f"Prose {SCRIPT}" in text and "Fallback note." in text
    assert "<table>" not in page and "<script" not in page
    assert "Requirements clarification" not in text  # explain mode shows no phases


def test_html_export_of_an_empty_interview():
    page = export.to_html(Interview(question="Just a question", scorecard=None))
    assert "No messages." in page and "Feedback" not in page


def test_notes_appear_in_every_export_only_after_the_interview_ended():
    running = sample(scorecard=None, ended_at=None)
    assert "Interviewer's notes" not in export.to_markdown(running)
    assert "Interviewer's notes" not in export.to_html(running)
    text = export.to_json(running)
    assert "notes" not in json.loads(text)["interview"]
    for leak in ("no-expiry", "Paste size limits", "writes per second", "keep forever"):
        assert leak not in text, leak
    assert parse_import(text).notes == InterviewerNotes()  # it imports, with no notes
    for ended in (sample(scorecard=None), sample(ended_at=None)):  # ended, or scored
        assert json.loads(export.to_json(ended))["interview"]["notes"]["mistakes"][0]["key"] == "no-expiry"
    ended = sample()
    markdown, page = export.to_markdown(ended), export.to_html(ended)
    assert "### Interviewer's notes: Mistakes raised" in markdown
    assert "- No expiry. (“keep forever”); not fixed" in markdown
    assert "off: writes per second, about 9.6x too low (“12 writes a second”)" in markdown
    assert "Interviewer's notes: Covered" in page
    assert SCRIPT not in page and "&lt;script&gt;" in page  # the quote's markup is escaped, as everywhere


# -- the whiteboard in exports ---------------------------------------------------------------------------------


def test_markdown_and_html_exports_name_the_interviewer_style():
    interview = sample()
    assert "- Interviewer style: Coach" in export.to_markdown(interview)
    assert "Interviewer style" in export.to_html(interview) and "Coach" in export.to_html(interview)


def test_exports_label_the_question_as_the_question_not_a_candidate_turn():
    interview = sample()
    markdown = export.to_markdown(interview)
    headings = [line for line in markdown.splitlines() if line.startswith("### ") and " · 20" in line]
    assert headings[0].startswith("### Question · ") and headings[1].startswith("### Interviewer · ")
    assert headings[2].startswith("### Candidate · ")
    speakers = re.findall(r'<span class="speaker">([^<]*)</span>', export.to_html(interview))
    assert speakers[:3] == ["Question", "Interviewer", "Candidate"]


def test_an_export_from_before_styles_imports_as_standard_with_curveballs_on():
    data = json.loads(export.to_json(sample()))
    del data["interview"]["style"], data["interview"]["curveballs"]
    imported = parse_import(json.dumps(data))
    assert (imported.style, imported.curveballs) == ("standard", True)


def test_markdown_export_has_the_latest_diagram_in_a_mermaid_block():
    markdown = export.to_markdown(sample())
    assert (
        "## Whiteboard\n\nThe candidate's diagram, the latest of 2 versions: last changed during candidate turn 2"
        in markdown
    )
    assert f"```mermaid\n{DRAWN}\n```" in markdown
    assert "web --> api\n" not in markdown  # older versions are in the JSON export only
    assert markdown.index("## Transcript") < markdown.index("## Whiteboard") < markdown.index("## Feedback")
    assert "Whiteboard" not in export.to_markdown(sample(diagrams=[]))


def test_markdown_fence_outlasts_backticks_in_a_label():
    drawn = 'flowchart LR\n    a["``` not the end ````"] --> b'
    markdown = export.to_markdown(sample(diagrams=[DiagramVersion(drawn, 1, T0)]))
    assert f"`````mermaid\n{drawn}\n`````" in markdown and "the only version" in markdown


def test_html_export_draws_the_diagram_and_shows_its_escaped_source():
    page = export.to_html(sample())
    collector = parsed(page)
    text = "".join(collector.text)
    assert page.count("<svg") == 1 and page.index("<h2>Whiteboard</h2>") < page.index("<svg")
    assert "Web & mobile <3 'apps'" in text and "Pastes DB" in text and "a > b" in text  # drawn, as literal text
    assert DRAWN in text  # the source, as literal text
    assert "Web &amp; mobile &lt;3 &#x27;apps&#x27;" in page
    assert "Whiteboard" not in export.to_html(sample(diagrams=[]))


def test_html_export_of_a_diagram_that_no_longer_parses_shows_only_its_source():
    broken = f"flowchart LR\n  a --> b\n  click a {SCRIPT}"
    page = export.to_html(sample(diagrams=[DiagramVersion(broken, 1, T0)]))
    assert "<svg" not in page and "could not be drawn" in page
    assert "<script" not in page.lower() and "click a &lt;script&gt;" in page


def test_a_failed_reply_with_no_text_drops_out_of_exports_once_a_retry_answered():
    interview = Interview(question="Design a chat app", mode="interview")
    interview.messages = [
        Message("user", "Design a chat app", "requirements"),
        Message("assistant", "", "requirements", complete=False, error="Cannot reach the server."),
        Message("assistant", "", "requirements", complete=False, error="Stopped before the reply finished."),
        Message("assistant", "Who are the users?", "requirements"),
        Message("user", "Teams of up to 50.", "requirements"),
        Message("assistant", "How many mess", "requirements", complete=False, error="The connection dropped."),
        Message("assistant", "How many messages a day?", "requirements"),
        Message("user", "About 1M.", "requirements"),
        Message("assistant", "", "requirements", complete=False, error="Rate limited (429)."),
    ]
    for text in (export.to_markdown(interview), export.to_html(interview)):
        assert "Cannot reach the server." not in text and "Stopped before the reply finished." not in text
        assert "How many mess" in text and "The connection dropped." in text  # partial text is kept, and its warning
        assert "Rate limited (429)." in text  # not retried yet: the candidate still needs to see it failed
    assert (
        len(json.loads(export.to_json(interview))["interview"]["messages"]) == 9
    )  # the full record keeps every attempt


def test_downloads_are_named_after_the_question_and_day():
    at = datetime(2026, 12, 6, 20, 0).timestamp()
    assert export.file_stem("Design a hotel reservation system", at) == "hotel-reservation-system-2026-12-06"
    assert export.file_stem("Design Spotify!", at) == "spotify-2026-12-06"
    assert export.file_stem("<script>/../..", at) == "script-2026-12-06"  # no path or markup survives
    assert export.file_stem("设计", at) == "interview-2026-12-06"
    long = export.file_stem("Design " + "a very long question " * 10, at)
    assert len(long) <= export.MAX_STEM_WORDS_CHARS + len("-2026-12-06") and not long.startswith("-")


def test_both_readable_exports_say_when_the_interview_ended():
    interview = sample()
    interview.ended_at = interview.created_at + 1800
    ended = export.iso(interview.ended_at)
    assert f"- Ended: {ended}" in export.to_markdown(interview)
    assert ended in export.to_html(interview)
    interview.ended_at = None
    assert "- Ended:" not in export.to_markdown(interview)


def test_an_estimate_line_says_how_far_off_without_a_raw_float():
    # seen on the page: "right: room inventory, about 7.3e+09 expected" beside a figure in GB
    off = EstimateCheck("room inventory", 7.3e6, 7.3e7, "about 7.3 million rows", False)
    assert estimate_line(off) == "off: room inventory, about 10x too low (“about 7.3 million rows”)"
    high = EstimateCheck("writes per second", 5_000, 1_160, "5K writes a second", False)
    assert estimate_line(high) == "off: writes per second, about 4.3x too high (“5K writes a second”)"
    right = EstimateCheck("room inventory", 4e9, 7.3e9, "about 3.5-4 GB", True)
    assert estimate_line(right) == "right: room inventory (“about 3.5-4 GB”)"
