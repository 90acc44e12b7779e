"""Benchmarks for the interview app. Run them all with `python -m bench` (or `make bench`); see BENCHMARKS.md."""
