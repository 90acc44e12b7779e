"""Transcripts in and out: the Markdown/JSON/HTML export and the JSON importer."""
