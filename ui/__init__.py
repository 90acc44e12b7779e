"""Streamlit UI: reads state, renders it, calls into `interview/`."""
