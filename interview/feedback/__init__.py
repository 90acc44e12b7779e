"""End-of-interview feedback: a model-written scorecard, checked against the transcript by deterministic rules.

One job per module: `prompt`, `json_repair`, `normalise`, `rules` and
`generate`. This file imports none of them, because `interview.core.state` imports the scorecard type.
"""
