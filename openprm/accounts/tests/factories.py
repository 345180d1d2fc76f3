import re

import factory
from django.urls import reverse
from django.utils.text import slugify

from openprm.accounts.models import Location, Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role

PASSWORD = "correct horse battery staple"


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = OrganizationKind.PARTNER
    country = "US"


class VendorFactory(OrganizationFactory):
    kind = OrganizationKind.VENDOR


class PartnerFactory(OrganizationFactory):
    kind = OrganizationKind.PARTNER


class LocationFactory(factory.django.DjangoModelFactory[Location]):
    class Meta:
        model = Location

    organization = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Office {n}")
    country = "US"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(PartnerFactory)
    role = Role.PARTNER_ADMIN
    global_scope = True
    countries = factory.LazyFunction(list)


def reset_password(client, mailoutbox, email: str, new_password: str) -> None:
    """The whole "Forgot your password?" flow: the email's link, then the new password."""
    client.post(reverse("accounts:password_reset"), {"email": email})
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/\S+/)", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    form = client.get(link[1], follow=True)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302, done.content
