"""Text through Streamlit's Markdown: a person's words as typed, a model's dollars as dollars."""

from __future__ import annotations

import re

import pytest

from ui.markdown_text import as_typed, escape_marks, without_math

UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@pytest.mark.parametrize(
    ("typed", "source"),
    [
        ("100M * 365 * 5 = 182B rows", r"100M \* 365 \* 5 = 182B rows"),
        ("10K*86400*30", r"10K\*86400\*30"),
        ("$0.02 and $0.05 a GB", r"\$0.02 and \$0.05 a GB"),
        ("# shards = 64", r"\# shards = 64"),
        ("1. reads\n2) writes", "1\\. reads  \n2\\) writes"),
        ("- a\n+ b\n---\n===", "\\- a  \n\\+ b  \n\\---  \n\\==="),
        ("> quoted <b>bold</b>", r"\> quoted \<b\>bold\</b\>"),
        (
            "user_id_hash and `code` | ~~gone~~ [x](y) &amp;",
            r"user\_id\_hash and \`code\` \| \~\~gone\~\~ \[x\](y) \&amp;",
        ),
        ("    indented\n\tafter a tab", "\u00a0" * 4 + "indented  \n" + "\u00a0" * 4 + "after a tab"),
        ("Reads dominate; 100M links a day.", "Reads dominate; 100M links a day."),
    ],
)
def test_typed_text_has_its_marks_escaped(typed, source):
    assert as_typed(typed) == source


@pytest.mark.parametrize(
    "typed", ["a *b* c_d_ $1 $2\n# h\n1. x\n- y\n    z", "<script>alert('x')</script> \\ [l](u) `c`", "plain."]
)
def test_undoing_the_escapes_gives_back_what_was_typed(typed):
    shown = UNESCAPE.sub(r"\1", as_typed(typed)).replace("  \n", "\n").replace("\u00a0", " ")
    assert shown == typed.expandtabs(4)


def test_arrows_and_comparisons_between_spaces_are_kept_from_streamlits_typographic_symbols():
    # Streamlit shows " -> " as →, " <= " as ≤ (seen playing the page: "WHERE next_run_at <= now()" came out with ≤)
    shown = as_typed("next_run_at <= now() -> claim; a <-> b, x >= 1 -- y ~= 2; i->j a<=b")
    assert not re.search(r"(?<!\S)\\?(?:<->|->|<-|--|>=|<=|~=)(?!\S)", shown.replace("\\", ""))
    assert "i-\\>j" in shown and "a\\<=b" in shown, "not between spaces: Streamlit leaves them alone"
    assert (
        shown.replace("\u2060", "").replace("\\", "")
        == "next_run_at <= now() -> claim; a <-> b, x >= 1 -- y ~= 2; i->j a<=b"
    )


def test_a_model_keeps_its_markdown_but_not_latex():
    reply = "**Cost:** about $5 a month, not $50. Already escaped: \\$3."
    assert without_math(reply) == "**Cost:** about \\$5 a month, not \\$50. Already escaped: \\$3."


def test_a_label_has_every_mark_escaped():
    assert escape_marks("API (v2) #1: a+b=c!") == r"API \(v2\) \#1\: a\+b\=c\!"
