"""The three transcript downloads, shared by the Interview and History pages."""

from __future__ import annotations

from interview import export
from interview.model import Interview

# (extension, render, mime type); keys are "<prefix><extension><suffix>"
FORMATS = (
    ("md", export.to_markdown, "text/markdown"),
    ("json", export.to_json, "application/json"),
    ("html", export.to_html, "text/html"),
)


def download_buttons(interview: Interview, labels: tuple[str, str, str], slots, key_prefix: str, key_suffix: str = ""):
    """One download button per format, each in its own slot; clicking one does not rerun the page."""
    stem = f"interview-{interview.created_at:.0f}"
    for slot, label, (extension, render, mime) in zip(slots, labels, FORMATS, strict=True):
        slot.download_button(
            label,
            render(interview),
            f"{stem}.{extension}",
            mime=mime,
            key=f"{key_prefix}{extension}{key_suffix}",
            use_container_width=True,
            on_click="ignore",
        )
