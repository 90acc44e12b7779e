"""End-of-interview feedback: a model-written scorecard, checked against the transcript by deterministic rules.

One job per module: `card` (the data and its JSON shape), `prompt`, `json_repair`, `normalise`, `rules` and
`generate`. This file imports none of them, because `interview.model` imports `card`.
"""
