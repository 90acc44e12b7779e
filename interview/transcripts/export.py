"""Transcript exports. An interview never holds an API key, so no export can contain one."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

from interview.core.notes import CHANGE_LABEL, notes_sections
from interview.core.scorecard import DimensionScore, Scorecard
from interview.core.state import STYLE_NAMES, Interview, phase_title, speaker
from interview.whiteboard.diagram import DiagramError
from interview.whiteboard.parse import parse
from interview.whiteboard.svg import to_svg

EXPORT_SCHEMA = "interview-coach/transcript"
EXPORT_VERSION = 1


def iso(timestamp: float | None) -> str:
    if not timestamp:
        return ""
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat(timespec="seconds")


def file_stem(question: str, created_at: float) -> str:
    """A download's name without its extension: the question and the day, "hotel-reservation-system-2026-12-06"."""
    words = re.findall(r"[a-z0-9]+", question.casefold())
    while words and words[0] in ("design", "a", "an", "the"):
        words = words[1:]
    slug = "-".join(words)[:MAX_STEM_WORDS_CHARS].rstrip("-") or "interview"
    return f"{slug}-{datetime.fromtimestamp(created_at).strftime('%Y-%m-%d')}"


MAX_STEM_WORDS_CHARS = 40


def to_json(interview: Interview) -> str:
    """A versioned JSON document holding every field of the interview; the notes only once it has ended."""
    data = {"schema": EXPORT_SCHEMA, "version": EXPORT_VERSION, "exported_at": iso(datetime.now().timestamp())}
    data["interview"] = interview.to_dict()
    if not has_ended(interview):
        del data["interview"]["notes"]  # they would give the checklist away; the importer reads a missing key as none
    return json.dumps(data, indent=2, ensure_ascii=False)


def to_markdown(interview: Interview) -> str:
    lines = [
        f"# {interview.question}",
        "",
        f"- Mode: {interview.mode}",
        f"- Level: {interview.level}",
        f"- Provider: {interview.provider}",
        f"- Model: {interview.model}",
        f"- Started: {iso(interview.created_at)}",
        f"- Last activity: {iso(interview.updated_at)}",
    ]
    if interview.ended_at:  # as the HTML export says it
        lines.append(f"- Ended: {iso(interview.ended_at)}")
    if interview.constraints:
        lines.append(f"- Constraints: {interview.constraints}")
    if interview.mode == "interview":
        lines.append(f"- Interviewer style: {STYLE_NAMES[interview.style]}")
        lines.append(f"- Phase reached: {phase_title(interview.phase)}")
        lines.append(f"- Hints used: {len(interview.hints)}")
    lines += ["", "## Transcript", ""]
    for message in interview.shown_messages():
        label = speaker(message.role, message.kind)
        where = f" · {phase_title(message.phase)}" if interview.mode == "interview" else ""
        lines.append(f"### {label}{where} · {iso(message.created_at)}")
        lines.append("")
        lines.append(message.content or "_(no text)_")
        if not message.complete:
            lines += ["", f"> ⚠ Incomplete reply: {message.error}"]
        lines.append("")
    lines += whiteboard_markdown(interview)
    if interview.scorecard:
        lines += scorecard_markdown(interview.scorecard)
    for title, items in shown_notes(interview):
        lines += [f"### Interviewer's notes: {title}", ""] + [f"- {item}" for item in items] + [""]
    return "\n".join(lines).rstrip() + "\n"


def whiteboard_note(interview: Interview) -> str:
    """Which version of the whiteboard is shown and when it last changed; "" when nothing was drawn."""
    if not interview.diagrams:
        return ""
    latest, count = interview.diagrams[-1], len(interview.diagrams)
    versions = f"the latest of {count} versions" if count > 1 else "the only version"
    when = f"last changed during candidate turn {latest.turn}, at {iso(latest.created_at)}"
    return f"The candidate's diagram, {versions}: {when}."


def whiteboard_markdown(interview: Interview) -> list[str]:
    """A Whiteboard section with the latest diagram in a ```mermaid block (GitHub draws it); none when empty."""
    if not interview.diagrams:
        return []
    source = interview.diagram_source()
    # A fence longer than any run of backticks in the source, so a label cannot close it early.
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", source)), default=0) + 1)
    return ["## Whiteboard", "", whiteboard_note(interview), "", f"{fence}mermaid", source, fence, ""]


def has_ended(interview: Interview) -> bool:
    return bool(interview.ended_at or interview.scorecard)


def shown_notes(interview: Interview) -> list[tuple[str, list[str]]]:
    """The interviewer's notes, once the interview has ended: while it runs they would give the checklist away."""
    return notes_sections(interview.notes) if has_ended(interview) else []


def scorecard_markdown(card: Scorecard) -> list[str]:
    lines = ["## Feedback", ""]
    if card.is_prose:
        lines += [card.note, "", card.prose, ""]
        return lines
    lines += ["| Dimension | Score (1–4) | Evidence |", "|---|---|---|"]
    for row in card.dimensions:
        evidence = " / ".join(f"“{quote}”" for quote in row.evidence) or row.comment
        evidence = evidence.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {row.name} | {_score_cell(row)} | {evidence} |")
    lines.append("")
    for title, items in (("Strengths", card.strengths), ("Gaps", card.gaps)):
        if items:
            lines += [f"### {title}", ""] + [f"- {item}" for item in items] + [""]
    if card.hire_signal:
        lines += [f"**Hire signal:** {card.hire_signal}", ""]
    if card.overall is not None:
        lines += [f"**Overall:** {_overall(card)}", ""]
    return lines


def _score_cell(row: DimensionScore) -> str:
    return "—" if row.shown_score is None else str(row.shown_score)


def _overall(card: Scorecard) -> str:
    note = f" ({card.overall_note})" if card.overall_note else ""
    return f"{card.overall:.1f} / 4{note}"


_HTML_STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; margin: 0; }
main { max-width: 48rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.5rem; margin-bottom: .5rem; white-space: pre-wrap; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.meta dt { color: #666; }
dl.meta dd { margin: 0; white-space: pre-wrap; }
.message { border: 1px solid #e3e3e3; border-left: 4px solid #999; border-radius: 4px; padding: .5rem .75rem;
  margin: .75rem 0; break-inside: avoid; }
.message.user { border-left-color: #2b6cb0; }
.message.assistant { border-left-color: #2f855a; }
.message.hint { border-left-color: #b7791f; background: #fffaf0; }
.message header { font-size: .85rem; color: #555; margin-bottom: .25rem; }
.message .speaker { font-weight: 600; color: #1d1d1f; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.empty { color: #888; font-style: italic; }
.incomplete { color: #9b2c2c; font-size: .9rem; margin: .4rem 0 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
td ul { margin: 0; padding-left: 1.1rem; }
figure.diagram { margin: .75rem 0; overflow-x: auto; }
pre.source { background: #f6f8fa; border: 1px solid #e3e3e3; border-radius: 4px; padding: .5rem .75rem;
  white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem; }
footer { margin-top: 2rem; font-size: .8rem; color: #888; }
@media print {
  main { margin: 0; max-width: none; }
  .message { border-color: #bbb; }
  a { color: inherit; text-decoration: none; }
}
"""

# The page allows nothing but its own inline styles, so even a slip in escaping could not run a script or
# fetch anything.
_HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _phase_name(key: str) -> str:
    try:
        return phase_title(key)
    except KeyError:  # an unknown phase still renders, as its key
        return key


def _time_tag(timestamp: float | None) -> str:
    stamp = iso(timestamp)
    return f'<time datetime="{_esc(stamp)}">{_esc(stamp)}</time>' if stamp else ""


def _text_block(text: object) -> str:
    if not text:
        return '<div class="text empty">(no text)</div>'
    if isinstance(text, str) and text.startswith(CHANGE_LABEL):  # the one label code writes in Markdown: bold it
        label = CHANGE_LABEL.strip("*")
        return f'<div class="text"><strong>{_esc(label)}</strong>{_esc(text.removeprefix(CHANGE_LABEL))}</div>'
    return f'<div class="text">{_esc(text)}</div>'


def _html_list(items: object) -> str:
    if not isinstance(items, list) or not items:
        return ""
    return "<ul>" + "".join(f"<li>{_esc(item)}</li>" for item in items) + "</ul>"


def scorecard_html(card: Scorecard) -> str:
    """The feedback section: a dimension table with strengths and gaps, or the prose fallback."""
    parts = ['<section class="feedback">', "<h2>Feedback</h2>"]
    if card.is_prose:
        if card.note:
            parts.append(f'<p class="note">{_esc(card.note)}</p>')
        parts += [_text_block(card.prose), "</section>"]
        return "\n".join(parts)
    if card.dimensions:
        parts.append("<table><thead><tr><th>Dimension</th><th>Score (1–4)</th><th>Evidence</th></tr></thead><tbody>")
        for row in card.dimensions:
            cell = _html_list([f"“{quote}”" for quote in row.evidence])
            if row.comment:
                cell += f'<div class="text">{_esc(row.comment)}</div>'
            parts.append(f"<tr><td>{_esc(row.name)}</td><td>{_esc(_score_cell(row))}</td><td>{cell}</td></tr>")
        parts.append("</tbody></table>")
    for title, items in (("Strengths", card.strengths), ("Gaps", card.gaps)):
        if items:
            parts += [f"<h3>{title}</h3>", _html_list(items)]
    if card.hire_signal:
        parts.append(f"<p><strong>Hire signal:</strong> {_esc(card.hire_signal)}</p>")
    if card.overall is not None:
        parts.append(f"<p><strong>Overall:</strong> {_esc(_overall(card))}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def whiteboard_html(interview: Interview) -> list[str]:
    """The latest diagram drawn as an inline SVG (when it parses) above its escaped Mermaid source."""
    if not interview.diagrams:
        return []
    source = interview.diagram_source()
    parts = ['<section class="whiteboard">', "<h2>Whiteboard</h2>", f"<p>{_esc(whiteboard_note(interview))}</p>"]
    try:
        parts.append(f'<figure class="diagram">{to_svg(parse(source))}</figure>')
    except DiagramError:
        parts.append('<p class="empty">This diagram could not be drawn; its source is below.</p>')
    parts += ["<h3>Mermaid source</h3>", f'<pre class="source">{_esc(source)}</pre>', "</section>"]
    return parts


def to_html(interview: Interview) -> str:
    """A standalone printable page: inline styles only, no scripts or external resources, all text escaped."""
    meta = [
        ("Mode", interview.mode),
        ("Level", interview.level),
        ("Provider", interview.provider),
        ("Model", interview.model),
        ("Started", iso(interview.created_at)),
        ("Last activity", iso(interview.updated_at)),
    ]
    if interview.ended_at:
        meta.append(("Ended", iso(interview.ended_at)))
    if interview.constraints:
        meta.append(("Constraints", interview.constraints))
    if interview.mode == "interview":
        meta.append(("Interviewer style", STYLE_NAMES[interview.style]))
        meta.append(("Phase reached", _phase_name(interview.phase)))
        meta.append(("Hints used", len(interview.hints)))
    title = interview.question if len(interview.question) <= 120 else interview.question[:119] + "…"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_HTML_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Interview: {_esc(title)}</title>",
        f"<style>{_HTML_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_esc(interview.question)}</h1>",
        '<dl class="meta">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in meta) + "</dl>",
        "<h2>Transcript</h2>",
    ]
    for message in interview.shown_messages():
        css = "hint" if message.kind == "hint" else ("user" if message.role == "user" else "assistant")
        where = f" · {_esc(_phase_name(message.phase))}" if interview.mode == "interview" else ""
        stamp = _time_tag(message.created_at)
        parts += [
            f'<article class="message {css}">',
            f'<header><span class="speaker">{_esc(speaker(message.role, message.kind))}</span>{where}'
            + (f" · {stamp}" if stamp else "")
            + "</header>",
            _text_block(message.content),
        ]
        if not message.complete:
            parts.append(f'<p class="incomplete">⚠ Incomplete reply: {_esc(message.error)}</p>')
        parts.append("</article>")
    if not interview.messages:
        parts.append('<p class="empty">No messages.</p>')
    parts += whiteboard_html(interview)
    if interview.scorecard:
        parts.append(scorecard_html(interview.scorecard))
    for title, items in shown_notes(interview):
        parts += [f"<h3>Interviewer's notes: {_esc(title)}</h3>", _html_list(items)]
    parts += [f"<footer>Exported {_esc(iso(datetime.now().timestamp()))}</footer>", "</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
