"""The interview's phases as the interviewer names them."""

from __future__ import annotations

from interview.core.phases import PHASES, spoken_title


def test_every_phase_has_a_name_to_say_inside_a_sentence():
    spoken = [spoken_title(phase.key) for phase in PHASES]
    assert spoken[3] == "the deep dive"  # "Let's pick up the deep dive from what you just said."
    assert all(name and name == name.lower() for name in spoken)
    assert len(set(spoken)) == len(PHASES)
