"""The bottom layer: interview state, notes, phases, the scorecard type, the steering policy, text heuristics.

Imports nothing else from `interview`; every other package may import it.
"""
