import pytest

from openprm.accounts.models import Location
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sam(vendor):
    """A vendor sales rep: sends referrals to partners."""
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
def seattle(northwind) -> Location:
    return northwind.locations.get(name="Seattle")


@pytest.fixture
def tokyo(northwind) -> Location:
    return northwind.locations.get(name="Tokyo")
