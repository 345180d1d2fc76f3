"""Program configuration the demo relies on (markets, products, exchange rates) and the customer
directory with each partner's contacts and notes (SPEC A3).
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from openprm.core.search import fold
from openprm.crm.models import (
    Contact,
    Currency,
    Customer,
    CustomerNote,
    ExchangeRate,
    Market,
    MarketType,
    Product,
)
from openprm.demo import catalog, names
from openprm.demo.context import Demo

CUSTOMERS_AT_SCALE_1 = 520

STANDARD_REGIONS = {
    "US": "North America", "CA": "North America", "GB": "Europe", "IE": "Europe",
    "DE": "Europe", "CH": "Europe", "FR": "Europe", "NL": "Europe", "SE": "Europe",
    "AU": "Oceania", "NZ": "Oceania", "JP": "East Asia",
}  # fmt: skip


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, min(day.day, 28))


def ensure_configuration(demo: Demo) -> None:
    """Markets for the demo's standard countries beside the growth markets the migrations
    load, the vendor's products, and two years of monthly exchange rates."""
    existing = set(Market.objects.values_list("country", flat=True))
    Market.objects.bulk_create(
        Market(country=code, region=region, is_growth=False, point_multiplier=Decimal(1))
        for code, region in STANDARD_REGIONS.items()
        if code not in existing
    )
    demo.currencies = {currency.code: currency for currency in Currency.objects.all()}
    missing = sorted({p.currency for p in catalog.COUNTRIES} - set(demo.currencies))
    if missing:
        raise LookupError(f"Currencies missing from the program: {', '.join(missing)}")

    products = [
        Product(code=spec.code, name=spec.name, description=spec.description)
        for spec in catalog.PRODUCTS
    ]
    Product.objects.bulk_create(products)
    demo.products = list(zip(products, catalog.PRODUCTS, strict=True))

    rates = []
    start = add_months(demo.today.replace(day=1), -24)
    for code in sorted(set(demo.currencies) & set(catalog.USD_PER_UNIT)):
        rate = Decimal(catalog.USD_PER_UNIT[code])
        for month in range(25):
            if code != "USD":
                rate *= Decimal(1 + demo.rng.uniform(-0.015, 0.015)).quantize(Decimal("1e-6"))
            rates.append(
                ExchangeRate(
                    currency_id=code,
                    valid_from=add_months(start, month),
                    usd_per_unit=rate.quantize(Decimal("1e-10")),
                )
            )
    ExchangeRate.objects.bulk_create(rates)
    demo.count("products", len(products))
    demo.count("exchange rates", len(rates))
    demo.say(f"Configuration: {len(products)} products, {len(rates)} monthly exchange rates")


def _country_counts(total: int) -> list[tuple[catalog.CountryProfile, int]]:
    """Spread customers over countries by weight, every country at least once."""
    weights = sum(p.weight for p in catalog.COUNTRIES)
    shares = [(p, max(1, total * p.weight // weights)) for p in catalog.COUNTRIES]
    short = total - sum(n for _, n in shares)
    order = sorted(range(len(shares)), key=lambda i: -catalog.COUNTRIES[i].weight)
    index = 0
    while short > 0:
        profile, n = shares[order[index % len(order)]]
        shares[order[index % len(order)]] = (profile, n + 1)
        short -= 1
        index += 1
    return shares


def build_customers(demo: Demo) -> None:
    rng = demo.rng
    total = max(len(catalog.COUNTRIES), round(CUSTOMERS_AT_SCALE_1 * demo.scale))
    growth = set(Market.objects.filter(is_growth=True).values_list("country", flat=True))
    slots = [p for p, n in _country_counts(total) for _ in range(n)]
    rng.shuffle(slots)
    duns = rng.sample(range(100_000_000, 1_000_000_000), len(slots))
    used_names: set[str] = set()
    used_domains: set[str] = set()
    customers = []
    for profile, number in zip(slots, duns, strict=True):
        city = rng.choice(profile.cities)
        name, stem = names.company(rng, profile)
        for _ in range(20):
            if name not in used_names:
                break
            name, stem = names.company(rng, profile)
        serial = 2
        base = name
        while name in used_names:
            name = f"{base} ({serial})"
            serial += 1
        used_names.add(name)
        domain = f"{stem}.{profile.tld}"
        serial = 2
        while domain in used_domains:
            domain = f"{stem}{serial}.{profile.tld}"
            serial += 1
        used_domains.add(domain)
        customers.append(
            Customer(
                name=name,
                search_name=fold(name),
                domain=domain,
                address=names.address(rng, profile, city),
                city=city.name,
                postal_code=city.postal_code,
                country=profile.code,
                duns=str(number),
                market_type=MarketType.GROWTH if profile.code in growth else MarketType.STANDARD,
                currency=demo.currencies[profile.currency],
            )
        )
    Customer.objects.bulk_create(customers)
    demo.customers = customers
    demo.profiles = {c.pk: catalog.COUNTRY[str(c.country)] for c in customers if c.pk is not None}
    demo.count("customers", len(customers))
    growth_count = sum(1 for c in customers if c.market_type == MarketType.GROWTH)
    demo.say(f"Customer directory: {len(customers)} customers ({growth_count} in growth markets)")


def assign_books(demo: Demo) -> None:
    """Each partner works mostly with customers in its own countries, some further afield;
    popular customers end up with more than one partner."""
    rng = demo.rng
    by_country: dict[str, list] = {}
    for customer in demo.customers:
        by_country.setdefault(str(customer.country), []).append(customer)
    for book in demo.partners:
        size = max(6, round(45 * book.spec.size * demo.volume))
        local = [c for country in book.countries for c in by_country.get(country, [])]
        local_count = min(len(local), round(size * 0.75))
        chosen = rng.sample(local, local_count)
        taken = {c.pk for c in chosen}
        others = [c for c in demo.customers if c.pk not in taken]
        chosen += rng.sample(others, min(len(others), size - local_count))
        book.customers = chosen


def build_contacts_and_notes(demo: Demo) -> None:
    rng = demo.rng
    contacts = []
    notes = []
    written: list[datetime] = []
    for book in demo.partners:
        for customer in book.customers:
            profile = demo.profiles[customer.pk]
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                person = names.person(rng, profile.locale)
                email = f"{person.email_local}@{customer.domain}"
                contacts.append(
                    Contact(
                        organization=book.org,
                        customer=customer,
                        first_name=person.first_name,
                        last_name=person.last_name,
                        search_name=fold(f"{person.first_name} {person.last_name} {email}"),
                        email=email,
                        phone=names.phone(rng, profile) if rng.random() < 0.7 else "",
                        job_title=names.job_title(rng, profile.locale),
                        owner=book.user_for(rng, str(customer.country)).user,
                    )
                )
            if rng.random() < 0.25:
                author = book.user_for(rng, str(customer.country))
                notes.append(
                    CustomerNote(
                        organization=book.org,
                        customer=customer,
                        author=author.user,
                        body=names.note(rng, author.language),
                    )
                )
                written_on = demo.today - timedelta(days=rng.randint(1, 600))
                written.append(datetime.combine(written_on, time(rng.randint(0, 23)), UTC))
    Contact.objects.bulk_create(contacts)
    CustomerNote.objects.bulk_create(notes)
    # bulk_create stamps created_at with now; notes read better with the day they were written.
    for customer_note, created_at in zip(notes, written, strict=True):
        customer_note.created_at = created_at
    CustomerNote.objects.bulk_update(notes, ["created_at"], batch_size=500)
    demo.count("contacts", len(contacts))
    demo.count("customer notes", len(notes))
    demo.say(f"Partner records: {len(contacts)} contacts, {len(notes)} customer notes")


def nice_amount(usd: float, currency: str) -> Decimal:
    """A price in the local currency as a salesperson would quote it (no odd cents)."""
    local = Decimal(str(usd)) / Decimal(catalog.USD_PER_UNIT[currency])
    step = Decimal(10_000 if currency == "KRW" else 1_000 if currency == "JPY" else 10)
    return max(step, (local / step).quantize(Decimal(1)) * step)


def window_start(demo: Demo) -> date:
    """The first day of the two years of history."""
    return add_months(demo.today.replace(day=1), -23)
