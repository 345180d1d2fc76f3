"""`--scale`: fewer partners for quick test programs, more (in the same markets) for load."""

from openprm.demo import catalog
from openprm.demo.organizations import partner_specs


def test_scale_1_is_the_named_twelve():
    assert partner_specs(1) == list(catalog.PARTNERS)
    assert len(catalog.PARTNERS) == 12


def test_a_small_scale_keeps_northwind_and_tailspin():
    assert [spec.name for spec in partner_specs(0.01)] == ["Northwind Traders", "Tailspin Toys"]


def test_a_larger_scale_adds_partners_with_their_own_names_in_the_same_markets():
    specs = partner_specs(2.5)
    assert len(specs) == 30
    assert len({spec.name for spec in specs}) == len({spec.slug for spec in specs}) == 30
    assert {spec.country for spec in specs} == {spec.country for spec in catalog.PARTNERS}
