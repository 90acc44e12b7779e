"""The Interview page."""

from ui.interview_page import render

render()
