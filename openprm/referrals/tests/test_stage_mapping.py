"""D9: a percentage maps to the standard stage with the highest percentage not above it,
never beyond Present to customer."""

import importlib
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openprm.referrals.crm_stages.mapping import MAPPING_CAP, standard_stage_for

# The stage table exactly as the data migration loads it.
LOADED = importlib.import_module(
    "openprm.referrals.migrations.0002_sales_stages_and_solution_types"
)


@dataclass(frozen=True)
class Stage:
    code: str
    percentage: int
    position: int


STAGES = [
    Stage(code, percentage, position)
    for position, (code, _name, percentage) in enumerate(LOADED.STAGES, start=1)
]


@given(st.integers(min_value=0, max_value=100))
def test_the_mapped_stage_is_the_highest_not_above_the_percentage(percentage):
    stage = standard_stage_for(percentage, STAGES)
    if percentage < 10:
        assert stage is None
        return
    assert stage is not None
    assert stage.percentage <= min(percentage, MAPPING_CAP)
    higher = [s for s in STAGES if stage.percentage < s.percentage <= percentage]
    assert all(s.percentage > MAPPING_CAP for s in higher)


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_a_higher_percentage_never_maps_to_a_lower_stage(low, high):
    low, high = sorted((low, high))
    low_stage = standard_stage_for(low, STAGES)
    high_stage = standard_stage_for(high, STAGES)
    if low_stage is not None:
        assert high_stage is not None
        assert high_stage.position >= low_stage.position


@pytest.mark.parametrize(
    ("percentage", "code"),
    [(10, "accepted"), (19, "accepted"), (20, "secure_loe"), (59, "gather_data"),
     (60, "prepare_report"), (80, "present"), (99, "present"), (100, "present")],
)  # fmt: skip
def test_examples_of_the_mapping(percentage, code):
    stage = standard_stage_for(percentage, STAGES)
    assert stage is not None
    assert stage.code == code
