"""The question bank and what the interviewer knows about each problem, as data plus pure functions.

Modules: `load` (one file into one validated `Problem`), `catalog` (the bank: every file, loaded once; the
picker's listing), `schema` (the files' fields and checks), `match` (typed question -> bank problem), `browse` (the
picker's grouping and search, close problems), `scale` and `numbers` (numbers derived from the scale facts),
`estimates` (checks the candidate's numbers), `detect` (covered checklist items, pitfalls).
"""
