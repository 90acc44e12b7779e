"""The three transcript downloads, shared by the Interview and History pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from interview.core.state import Interview
from interview.store import StoreError
from interview.transcripts import export

# (extension, render, mime type); keys are "<prefix><extension><suffix>"
FORMATS = (
    ("md", export.to_markdown, "text/markdown"),
    ("json", export.to_json, "application/json"),
    ("html", export.to_html, "text/html"),
)


def download_buttons(interview: Interview, labels: tuple[str, str, str], slots, key_prefix: str, key_suffix: str = ""):
    """One download button per format, each in its own slot; clicking one does not rerun the page."""
    stem = export.file_stem(interview.question, interview.created_at)
    for slot, label, (extension, render, mime) in zip(slots, labels, FORMATS, strict=True):
        slot.download_button(
            label,
            render(interview),
            f"{stem}.{extension}",
            mime=mime,
            key=f"{key_prefix}{extension}{key_suffix}",
            width="stretch",
            on_click="ignore",
        )


def deferred_download_buttons(
    load: Callable[[], Interview | None], stem: str, labels: tuple[str, str, str], slots, key_suffix: str
) -> None:
    """The same buttons, but each file is built from `load()` only when its button is clicked, so a page listing
    many interviews reads none of their transcripts to draw itself. `stem` names the files (`export.file_stem`)."""
    for slot, label, (extension, render, mime) in zip(slots, labels, FORMATS, strict=True):
        slot.download_button(
            label,
            partial(_render_when_asked, load, render),
            f"{stem}.{extension}",
            mime=mime,
            key=f"{extension}{key_suffix}",
            width="stretch",
            on_click="ignore",
        )


def _render_when_asked(load: Callable[[], Interview | None], render: Callable[[Interview], str]) -> str:
    # Runs on the download request, after the page's run: a message, never a traceback, if the interview is gone.
    try:
        interview = load()
    except StoreError as exc:
        return f"This interview could not be read: {exc}\n"
    return render(interview) if interview is not None else "This interview has been deleted.\n"
