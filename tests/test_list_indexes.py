"""The program-wide lists (referrals, deals, the registrations queue, the ledger) show their
newest rows first; the database reads that first page off an index instead of sorting every row
of the program, which at 50,000 rows is the difference between 1 ms and 200 ms."""

import pytest
from django.db.models import Model

from openprm.core.testing import query_plan
from openprm.deals.models import Deal, Registration
from openprm.points.models import PointEntry
from openprm.referrals.models import Referral

pytestmark = pytest.mark.django_db

LISTS = [(Referral, "referral_newest"), (Deal, "deal_newest"),
         (Registration, "registration_newest"), (PointEntry, "entry_latest")]  # fmt: skip


def plan_of_first_page(model: type[Model]) -> str:
    return query_plan(model._default_manager.all()[:50])


@pytest.mark.parametrize(("model", "index"), LISTS, ids=[m.__name__ for m, _i in LISTS])
def test_the_program_wide_list_reads_its_first_page_off_an_index(model, index):
    plan = plan_of_first_page(model)
    assert index in plan
    assert "TEMP B-TREE" not in plan
    assert "Sort" not in plan
