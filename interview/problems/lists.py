"""Figures said as parallel lists: "5K PUTs and 50K GETs a second, so 10K and 100K at peak".

A later list of bare numbers of the same length counts the same things in the same order ("respectively"), not the
nearest thing named; with such a list, the period after the first list's last figure is said of each figure in it
("5K PUTs" is a rate there, while "100M users and 50K requests a second" alone names a count and a rate).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numbers.py calls this module while reading a sentence
    from interview.problems.numbers import Quantity

__all__ = ["respective"]


def respective(quantities: list[Quantity], linked: Sequence[bool], bare: Sequence[bool]) -> list[Quantity]:
    """The quantities with parallel lists read in order. `linked[i]`: only "and" or a comma stands between figure i
    and the one before it; `bare[i]`: figure i named nothing of its own."""
    runs = _runs(len(quantities), linked)
    result = list(quantities)
    for first, then in zip(runs, runs[1:], strict=False):
        if len(first) == len(then) >= 2 and all(bare[i] for i in then) and _distinct([result[i] for i in first]):
            # Only a parallel list shows the first list's period is said of each figure ("100M users and 50K
            # requests a second" alone names a count and a rate).
            _distribute_period(result, first, bare)
            for source, i in zip([result[i] for i in first], then, strict=True):
                result[i] = _like(result[i], source)
    return result


def _runs(count: int, linked: Sequence[bool]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in range(count):
        if runs and linked[i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _distinct(named: list[Quantity]) -> bool:
    nouns = [q.nouns for q in named]
    return all(nouns) and len(set(nouns)) == len(nouns)


def _distribute_period(result: list[Quantity], run: list[int], bare: Sequence[bool]) -> None:
    """ "5K PUTs and 50K GETs a second": the list's last figure is a rate, the others counts naming their own things."""
    last = result[run[-1]]
    if len(run) < 2 or last.kind != "rate" or not last.nouns or not last.period or bare[run[-1]]:
        return
    for i in run[:-1]:
        if result[i].kind == "count" and result[i].nouns and not result[i].operand and not result[i].per_entity:
            result[i] = dataclasses.replace(
                result[i], kind="rate", value=result[i].written * last.value / last.written, period=last.period
            )


def _like(bare: Quantity, source: Quantity) -> Quantity:
    """A bare number read as counting what `source` counts, per the same period."""
    if source.kind != "rate" or bare.kind not in ("rate", "number", "count"):
        return dataclasses.replace(bare, nouns=source.nouns)
    return dataclasses.replace(
        bare, kind="rate", value=bare.written * source.value / source.written, nouns=source.nouns, period=source.period
    )
