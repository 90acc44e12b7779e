"""Scripted-candidate evaluation of the interviewer: `python -m interview.eval`."""
