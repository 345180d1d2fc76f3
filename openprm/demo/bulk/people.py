"""Partners beside the named twelve, their offices and people, and the customer directory."""

from datetime import UTC, datetime, time, timedelta

from django.utils.text import slugify

from openprm.accounts.models import Location, Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.core.search import fold
from openprm.crm.models import Customer, Market, MarketType
from openprm.demo import catalog, names
from openprm.demo.bulk.context import CustomerRow, Partner, Program
from openprm.demo.bulk.sizes import shares, spread

NORTHWIND = "northwind-traders"


def existing_partners(program: Program) -> list[Partner]:
    """The named demo's partners, Northwind Traders first (the biggest of the program)."""
    orgs = sorted(
        Organization.objects.filter(kind=OrganizationKind.PARTNER),
        key=lambda org: (org.slug != NORTHWIND, org.pk),
    )
    partners = []
    for org in orgs:
        locations: dict[str, int] = {}
        for location in Location.objects.filter(organization=org).order_by("pk"):
            locations.setdefault(str(location.country), location.pk)
        members = Membership.objects.filter(organization=org).order_by("pk")
        admin = members.filter(role=Role.PARTNER_ADMIN).values_list("user_id", flat=True)[0]
        partners.append(
            Partner(
                id=org.pk,
                share=0.0,
                countries=sorted(locations),
                locations=locations,
                domain=org.website.removeprefix("https://www."),
                admin_id=admin,
                user_ids=list(members.values_list("user_id", flat=True)),
            )
        )
    return partners


def build_partners(program: Program) -> None:
    """Partners modelled on the named ones (same markets and offices) up to the size."""
    writer = program.writer
    partners = existing_partners(program)
    extra = max(0, program.size.partners - len(partners))
    pdms = list(
        Membership.objects.filter(role=Role.PDM).order_by("pk").values_list("user", "user__email")
    )
    ids = writer.ids(Organization, extra)
    orgs, locations, added = [], [], []
    for index, pk in enumerate(ids):
        model = catalog.PARTNERS[index % len(catalog.PARTNERS)]
        base = catalog.EXTRA_PARTNER_NAMES[index % len(catalog.EXTRA_PARTNER_NAMES)]
        name = f"{base} {model.offices[0].city} {index // len(catalog.EXTRA_PARTNER_NAMES) + 1}"
        slug = slugify(name)
        pdm = pdms[1] if model.country in catalog.APAC_PDM_COUNTRIES and len(pdms) > 1 else pdms[0]
        orgs.append(
            Organization(
                id=pk,
                name=name,
                search_name=fold(name),
                slug=slug,
                kind=OrganizationKind.PARTNER,
                country=model.country,
                website=f"https://www.{slug}.example",
                pdm_id=pdm[0],
                pdm_description=catalog.PDM_INTRODUCTIONS.get(pdm[1], ""),
            )
        )
        partner = Partner(pk, 0.0, [], {}, f"{slug}.example", 0)
        for office in model.offices:
            if office.country in partner.locations:
                continue
            location_id = writer.ids(Location, 1)[0]
            partner.locations[office.country] = location_id
            locations.append(
                Location(
                    id=location_id,
                    organization_id=pk,
                    name=office.name,
                    country=office.country,
                    city=office.city,
                )
            )
        partner.countries = sorted(partner.locations)
        added.append(partner)
    writer.write(Organization, orgs)
    writer.write(Location, locations)
    program.partners = partners + added
    for partner, share in zip(program.partners, shares(len(program.partners)), strict=True):
        partner.share = share
    program.count("partners", len(program.partners))


def _joined(program: Program) -> datetime:
    day = program.today - timedelta(days=program.rng.randint(30, 900))
    return datetime.combine(day, time(9), tzinfo=UTC)


def build_users(program: Program, password_hash: str) -> None:
    """Each partner's people in proportion to its size (an admin and a user at least)."""
    rng, writer = program.rng, program.writer
    staff = User.objects.count() - sum(len(p.user_ids) for p in program.partners)
    wanted = spread(
        max(0, program.size.users - staff), [p.share for p in program.partners], minimum=2
    )
    missing = sum(
        max(0, want - len(p.user_ids)) for p, want in zip(program.partners, wanted, strict=True)
    )
    program.progress.start("users", missing)
    users, memberships = [], []
    for partner, want in zip(program.partners, wanted, strict=True):
        for pk in writer.ids(User, max(0, want - len(partner.user_ids))):
            country = rng.choice(partner.countries)
            locale = catalog.COUNTRY[country].locale
            person = names.person(rng, locale)
            admin = not partner.user_ids
            users.append(
                User(
                    id=pk,
                    email=f"{person.email_local}.{pk}@{partner.domain}",
                    full_name=person.full_name,
                    password=password_hash,
                    language=catalog.UI_LANGUAGE.get(country, "en"),
                    timezone="UTC",
                    date_joined=_joined(program),
                )
            )
            memberships.append(
                Membership(
                    id=writer.ids(Membership, 1)[0],
                    user_id=pk,
                    organization_id=partner.id,
                    role=Role.PARTNER_ADMIN if admin else Role.PARTNER_USER,
                    global_scope=admin,
                    countries=[] if admin else [country],
                )
            )
            if admin:
                partner.admin_id = pk
            partner.user_ids.append(pk)
            program.progress.advance()
    writer.write(User, users)
    writer.write(Membership, memberships)
    program.progress.finish()
    program.count("users", staff + sum(len(p.user_ids) for p in program.partners))


def _customer(program: Program, pk: int, duns: int, growth: set[str]) -> Customer:
    rng = program.rng
    profile = rng.choices(catalog.COUNTRIES, weights=[c.weight for c in catalog.COUNTRIES])[0]
    city = rng.choice(profile.cities)
    name, stem = names.company(rng, profile)
    return Customer(
        id=pk,
        name=name,
        search_name=fold(name),
        domain=f"{stem}{pk}.{profile.tld}",
        address=names.address(rng, profile, city),
        city=city.name,
        postal_code=city.postal_code,
        country=profile.code,
        duns=str(duns),
        market_type=MarketType.GROWTH if profile.code in growth else MarketType.STANDARD,
        currency_id=profile.currency,
    )


def build_customers(program: Program) -> None:
    """The directory up to the size, then each partner's book: mostly customers in its own
    countries, in proportion to its size."""
    rng, writer = program.rng, program.writer
    existing = list(
        Customer.objects.order_by("pk").values_list("pk", "name", "currency", "country")
    )
    extra = max(0, program.size.customers - len(existing))
    taken = set(Customer.objects.exclude(duns="").values_list("duns", flat=True))
    duns = [
        d
        for d in rng.sample(range(100_000_000, 1_000_000_000), extra + len(taken))
        if str(d) not in taken
    ]
    growth = set(Market.objects.filter(is_growth=True).values_list("country", flat=True))
    program.progress.start("customers", extra)
    rows = []
    for pk, number in zip(writer.ids(Customer, extra), duns, strict=False):
        customer = _customer(program, pk, number, growth)
        rows.append(customer)
        existing.append((pk, customer.name, customer.currency_id, str(customer.country)))
        program.progress.advance()
    writer.write(Customer, rows)
    program.progress.finish()
    program.customers = [
        CustomerRow(pk, name, cur, str(country)) for pk, name, cur, country in existing
    ]
    _assign_books(program)
    program.count("customers", len(program.customers))


def _assign_books(program: Program) -> None:
    rng = program.rng
    by_country: dict[str, list[int]] = {}
    for index, customer in enumerate(program.customers):
        by_country.setdefault(customer.country, []).append(index)
    everyone = range(len(program.customers))
    for partner in program.partners:
        size = max(8, round(partner.share * len(program.customers) * 3))
        local = [i for country in partner.countries for i in by_country.get(country, [])]
        chosen = rng.sample(local, min(len(local), round(size * 0.75)))
        chosen += rng.sample(everyone, min(len(everyone), size - len(chosen)))
        partner.customers = sorted(set(chosen))
