"""D9: a partner's own CRM stage, given as a percentage, onto the standard sales stages.

A pure function, so the arithmetic is tested with hypothesis: the standard stage with the
highest percentage not above the given one, never beyond "Present to customer" (Won happens
only by closing). Among stages of equal percentage (Created and Accepted) the later one wins.
"""

from collections.abc import Sequence
from typing import Protocol, TypeVar

# The highest stage a mapping can reach: "Present to customer".
MAPPING_CAP = 80


class StageLike(Protocol):
    @property
    def percentage(self) -> int: ...

    @property
    def position(self) -> int: ...


Stage = TypeVar("Stage", bound=StageLike)


def standard_stage_for(percentage: int, stages: Sequence[Stage]) -> Stage | None:
    """The stage `percentage` maps to, or None when it is below every standard stage."""
    reachable = [s for s in stages if s.percentage <= min(percentage, MAPPING_CAP)]
    if not reachable:
        return None
    return max(reachable, key=lambda s: (s.percentage, s.position))
