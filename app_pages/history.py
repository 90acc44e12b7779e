"""The History page."""

from ui.history_page import render

render()
