import pytest

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.crm.tests.factories import CustomerFactory, ProductFactory
from openprm.deals.models import AssignmentRule


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sam(vendor):
    """A sales rep: works the deals assigned to him."""
    return MembershipFactory(
        organization=vendor, role=Role.SALES_REP, user__email="sam@contoso.example"
    ).user


@pytest.fixture
def rita(vendor):
    """A registration reviewer."""
    return MembershipFactory(
        organization=vendor, role=Role.REVIEWER, user__email="rita@contoso.example"
    ).user


@pytest.fixture
def product(db):
    return ProductFactory.create(code="crm-suite", name="CRM Suite")


@pytest.fixture
def customer(db):
    return CustomerFactory.create(name="Sakura Foods", country="JP", domain="sakura.example")


@pytest.fixture
def sam_rule(sam):
    """Every deal goes to Sam unless a test adds rules before it."""
    rule = AssignmentRule.objects.create(name="Everything", position=100)
    rule.reps.set([sam])
    return rule
