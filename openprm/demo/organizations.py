"""The vendor and its staff, the partner organizations with their offices and people, and the
partners' certifications (SPEC "Who uses it", A1, A2).
"""

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.utils.text import slugify

from openprm.accounts.models import Location, Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.core.search import fold
from openprm.crm.models import Certification
from openprm.demo import catalog, names
from openprm.demo.context import Demo, PartnerBook, PartnerUser


def partner_specs(scale: float) -> list[catalog.PartnerSpec]:
    """The named twelve (fewer below scale 1, never fewer than Northwind and Tailspin), then
    more partners in the same markets for larger scales."""
    wanted = max(2, round(len(catalog.PARTNERS) * scale))
    specs = list(catalog.PARTNERS[:wanted])
    for index in range(len(specs), wanted):
        model = catalog.PARTNERS[index % len(catalog.PARTNERS)]
        base = catalog.EXTRA_PARTNER_NAMES[index % len(catalog.EXTRA_PARTNER_NAMES)]
        round_ = index // len(catalog.EXTRA_PARTNER_NAMES)
        name = base if round_ == 1 else f"{base} {round_}"
        slug = slugify(name)
        specs.append(
            catalog.PartnerSpec(
                name, slug, f"{slug}.example", model.country, model.size, model.offices
            )
        )
    return specs


def _joined(demo: Demo) -> datetime:
    day = demo.today - timedelta(days=demo.rng.randint(760, 900))
    return datetime.combine(day, time(9), tzinfo=UTC)


def _user(demo: Demo, email: str, full_name: str, language: str, tz: str, **extra: Any) -> User:
    return User(
        email=email,
        full_name=full_name,
        password=demo.password_hash,
        language=language,
        timezone=tz,
        date_joined=_joined(demo),
        **extra,
    )


def build_vendor(demo: Demo) -> None:
    vendor = Organization(
        name=catalog.VENDOR_NAME,
        search_name=fold(catalog.VENDOR_NAME),
        slug=catalog.VENDOR_SLUG,
        kind=OrganizationKind.VENDOR,
        country="US",
        website="https://contoso.example",
    )
    vendor.save()
    demo.vendor = vendor
    users = []
    for spec in catalog.VENDOR_STAFF:
        admin = spec.role == Role.PROGRAM_ADMIN
        users.append(
            _user(
                demo, spec.email, spec.full_name, spec.language, spec.timezone,
                is_staff=admin, is_superuser=admin,
            )
        )  # fmt: skip
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(user=user, organization=vendor, role=spec.role)
        for user, spec in zip(users, catalog.VENDOR_STAFF, strict=True)
    )
    for user, spec in zip(users, catalog.VENDOR_STAFF, strict=True):
        demo.staff[spec.email] = user
        demo.staff_roles[spec.email] = spec.role
    demo.count("vendor staff", len(users))
    demo.say(f"Vendor {vendor.name}: {len(users)} staff")


def _partner_people(demo: Demo, book: PartnerBook, taken: set[str]) -> list[catalog.PartnerPerson]:
    """The partner's admin, then a location-scoped user per office country (two in the home
    country); the fixed logins where the catalog has them."""
    people = [person for slug, person in catalog.FIXED_PARTNER_USERS if slug == book.spec.slug]
    taken.update(person.email for person in people)
    have_admin = any(person.role == Role.PARTNER_ADMIN for person in people)
    covered = {country for person in people for country in person.countries or ()}
    home = book.spec.offices[0]
    wanted: list[tuple[str, catalog.Office]] = []
    if not have_admin:
        wanted.append((Role.PARTNER_ADMIN, home))
    for office in book.spec.offices:
        if office.country not in covered:
            covered.add(office.country)
            wanted.append((Role.PARTNER_USER, office))
    wanted.append((Role.PARTNER_USER, home))
    for role, office in wanted:
        person = names.person(demo.rng, catalog.COUNTRY[office.country].locale)
        email = f"{person.email_local}@{book.spec.domain}"
        suffix = 2
        while email in taken:
            email = f"{person.email_local}{suffix}@{book.spec.domain}"
            suffix += 1
        taken.add(email)
        people.append(
            catalog.PartnerPerson(
                email=email,
                full_name=person.full_name,
                role=role,
                countries=None if role == Role.PARTNER_ADMIN else (office.country,),
                language=catalog.UI_LANGUAGE.get(office.country, "en"),
                timezone=office.timezone,
            )
        )
    return people


def build_partners(demo: Demo) -> None:
    specs = partner_specs(demo.scale)
    pdms = demo.users_with_role(Role.PDM)
    orgs = []
    for spec in specs:
        pdm = pdms[1] if spec.country in catalog.APAC_PDM_COUNTRIES else pdms[0]
        orgs.append(
            Organization(
                name=spec.name,
                search_name=fold(spec.name),
                slug=spec.slug,
                kind=OrganizationKind.PARTNER,
                country=spec.country,
                website=f"https://www.{spec.domain}",
                pdm=pdm,
                pdm_description=catalog.PDM_INTRODUCTIONS[pdm.email],
            )
        )
    Organization.objects.bulk_create(orgs)
    demo.partners = [PartnerBook(org=org, spec=spec) for org, spec in zip(orgs, specs, strict=True)]

    locations = []
    for book in demo.partners:
        for office in book.spec.offices:
            location = Location(
                organization=book.org, name=office.name, country=office.country, city=office.city
            )
            book.locations.append(location)
            locations.append(location)
    Location.objects.bulk_create(locations)

    taken = set(demo.staff)
    rows = [
        (book, person) for book in demo.partners for person in _partner_people(demo, book, taken)
    ]
    users = [
        _user(demo, person.email, person.full_name, person.language, person.timezone)
        for _, person in rows
    ]
    User.objects.bulk_create(users)
    memberships = []
    for user, (book, person) in zip(users, rows, strict=True):
        book.users.append(
            PartnerUser(user=user, countries=person.countries, language=person.language)
        )
        memberships.append(
            Membership(
                user=user,
                organization=book.org,
                role=person.role,
                global_scope=person.countries is None,
                countries=list(person.countries or []),
            )
        )
    Membership.objects.bulk_create(memberships)
    demo.count("partners", len(orgs))
    demo.count("locations", len(locations))
    demo.count("partner users", len(users))
    demo.say(f"Partners: {len(orgs)} with {len(locations)} locations and {len(users)} users")


VALIDITY_DAYS = 730


def build_certifications(demo: Demo) -> None:
    """Two to four per partner, valid two years; those of the last named partner (and of the
    extra partners in its market) have all lapsed, so "no tier without a valid certification"
    shows."""
    rng = demo.rng
    rows: list[Certification] = []
    for book in demo.partners:
        lapsed = book.spec.offices == catalog.PARTNERS[-1].offices
        for index in range(rng.randint(2, 4)):
            if lapsed:
                age = rng.randint(760, 1000)
            elif index == 0:
                age = rng.randint(30, 500)
            else:
                age = rng.randint(30, 1000)
            lapsing = catalog.CERTIFICATIONS_LAPSING_IN.get(book.spec.slug)
            if lapsing is not None:
                # The newest lapses soon, the others already have: the 60- and 14-day alerts.
                age = VALIDITY_DAYS - lapsing if index == 0 else VALIDITY_DAYS + age
            certified_on = demo.today - timedelta(days=age)
            rows.append(
                Certification(
                    organization=book.org,
                    external_id=f"CERT-{len(rows) + 1:05d}",
                    name=rng.choice(catalog.CERTIFICATIONS),
                    holder=rng.choice(book.users).user.full_name,
                    certified_on=certified_on,
                    valid_until=certified_on + timedelta(days=VALIDITY_DAYS),
                )
            )
    Certification.objects.bulk_create(rows)
    expired = sum(1 for row in rows if row.valid_until < demo.today)
    demo.count("certifications", len(rows))
    demo.say(f"Certifications: {len(rows)} ({expired} expired)")
