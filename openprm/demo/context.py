"""What every step of the generator shares: the seeded randomness, "today", the scale, and the
rows built so far.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from openprm.accounts.models import Location, Organization, User
from openprm.crm.models import Currency, Customer, Product
from openprm.demo.catalog import CountryProfile, PartnerSpec, ProductSpec


@dataclass
class PartnerUser:
    user: User
    countries: tuple[str, ...] | None  # None: global scope
    language: str


@dataclass
class PartnerBook:
    """One partner as the generator sees it: its organization, people and customers."""

    org: Organization
    spec: PartnerSpec
    locations: list[Location] = field(default_factory=list)
    users: list[PartnerUser] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)

    @property
    def admin(self) -> User:
        return self.users[0].user

    @property
    def countries(self) -> list[str]:
        return sorted({office.country for office in self.spec.offices})

    def user_for(self, rng: random.Random, country: str) -> PartnerUser:
        """Someone whose location scope covers the customer's country (an admin otherwise)."""
        covering = [u for u in self.users if u.countries is not None and country in u.countries]
        return rng.choice(covering) if covering else self.users[0]


@dataclass
class Demo:
    rng: random.Random
    today: date
    scale: float
    say: Callable[[str], None]
    password_hash: str
    vendor: Organization | None = None
    staff: dict[str, User] = field(default_factory=dict)
    staff_roles: dict[str, str] = field(default_factory=dict)
    partners: list[PartnerBook] = field(default_factory=list)
    currencies: dict[str, Currency] = field(default_factory=dict)
    products: list[tuple[Product, ProductSpec]] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    profiles: dict[int, CountryProfile] = field(default_factory=dict)  # by customer pk
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def volume(self) -> float:
        """Per-partner volume: a fraction below scale 1 (small test programs), else whole."""
        return min(self.scale, 1.0)

    def count(self, label: str, number: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + number

    def users_with_role(self, role: str) -> list[User]:
        return [user for email, user in self.staff.items() if self.staff_roles[email] == role]
