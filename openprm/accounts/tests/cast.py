"""The standing cast of conftest.py as plain functions: its fixtures build it per test, and the
permission matrix builds it once for a whole module."""

from typing import Any

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import (
    LocationFactory,
    MembershipFactory,
    PartnerFactory,
    VendorFactory,
)


def member(organization: Organization, role: str, email: str, **membership: Any) -> User:
    return MembershipFactory.create(
        organization=organization, role=role, user__email=email, **membership
    ).user


def contoso() -> Organization:
    return VendorFactory.create(name="Contoso Software")


def victor(vendor: Organization) -> User:
    return member(vendor, Role.PROGRAM_ADMIN, "victor@contoso.example")


def pam(vendor: Organization) -> User:
    return member(vendor, Role.PDM, "pam@contoso.example")


def northwind(pam: User) -> Organization:
    org = PartnerFactory.create(name="Northwind Traders", pdm=pam)
    LocationFactory.create(organization=org, name="Seattle", country="US")
    LocationFactory.create(organization=org, name="Tokyo", country="JP")
    return org


def tailspin() -> Organization:
    org = PartnerFactory.create(name="Tailspin Toys")
    LocationFactory.create(organization=org, name="Bangkok", country="TH")
    return org


def alice(northwind: Organization) -> User:
    return member(northwind, Role.PARTNER_ADMIN, "alice@northwind.example")


def bob(northwind: Organization) -> User:
    return member(
        northwind,
        Role.PARTNER_USER,
        "bob@northwind.example",
        global_scope=False,
        countries=["US"],
    )


def charlie(tailspin: Organization) -> User:
    return member(tailspin, Role.PARTNER_ADMIN, "charlie@tailspin.example")
