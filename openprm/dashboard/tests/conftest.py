import datetime

import pytest

from openprm.crm.tests.factories import CustomerFactory, ProductFactory
from openprm.dashboard.tests.factories import eligible_sale, subscription, won
from openprm.points.models import CommissionProgram

D = datetime.date

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def today(time_machine):
    """The dashboard's fixtures are hand-computed for 1 December 2026."""
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
    return TODAY


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Export files land in the test's own folder, not in ./var."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eligible_book(today, northwind, tailspin):
    """An eligible sale of product P to Acme on 10 February 2026; Acme's P subscription runs at
    1,000.00 from 1 February and 1,500.00 from 15 May. Payments 90 days after the quarter.
    - Q1: Feb and Mar (January ends before the sale): 2,000.00 -> 400.00, paid 29 June;
    - Q2: 1,000 + 1,500 + 1,500 = 4,000.00 -> 800.00, paid 28 September;
    - Q3: 3 x 1,500 = 4,500.00 -> 900.00, payable 29 December (upcoming);
    - Q4 so far (October and November): 3,000.00 -> 600.00.
    Left out: Acme's subscription of another product, and a sale the vendor did not mark
    eligible (Globex)."""
    program = CommissionProgram.current()
    program.payment_delay_days = 90
    program.save()
    acme, globex = CustomerFactory.create(name="Acme"), CustomerFactory.create(name="Globex")
    product = ProductFactory.create(name="P")
    sale = won(northwind, D(2026, 2, 10), mrr_minor=1_000_00, customer=acme, products=[product])
    eligible_sale(sale)
    eligible_sale(won(northwind, D(2026, 3, 1), customer=globex), eligible=False)
    subscription(acme, [(D(2026, 2, 1), 1_000_00), (D(2026, 5, 15), 1_500_00)], product=product)
    subscription(acme, [(D(2026, 2, 1), 9_000_00)])
    subscription(globex, [(D(2026, 3, 1), 7_000_00)])
    return northwind
