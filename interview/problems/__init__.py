"""What the interviewer knows about each problem, as data plus pure functions.

Modules: `load` (validated knowledge per problem), `match` (typed question -> bank problem), `scale` (numbers derived
from the scale facts), `estimates` (checks the candidate's numbers), `detect` (covered checklist items, pitfalls).
This package file imports nothing so that `interview.problems.catalog` can use `match` without an import cycle.
"""
