"""The named sizes of the measuring program and how partners share its volume."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """Totals of the whole program, the named demo included."""

    name: str
    partners: int
    users: int
    customers: int
    opportunities: int
    ledger_entries: int
    tasks: int

    def divided(self, name: str, by: int) -> "Size":
        return Size(
            name,
            self.partners // by,
            self.users // by,
            self.customers // by,
            self.opportunities // by,
            self.ledger_entries // by,
            self.tasks // by,
        )


LARGE = Size("large", 2_000, 20_000, 200_000, 2_000_000, 5_000_000, 500_000)
SIZES = {
    size.name: size for size in (LARGE.divided("small", 100), LARGE.divided("medium", 10), LARGE)
}

# Partner n (from 1) holds a share proportional to n ** -SKEW: at 2,000 partners the biggest
# holds about 2 % of everything (40,000 of 2,000,000 opportunities), the median a tenth of that.
SKEW = 0.6


def shares(partners: int) -> list[float]:
    """Each partner's fraction of the program's volume, biggest first; they sum to 1."""
    weights = [(rank + 1) ** -SKEW for rank in range(partners)]
    total = sum(weights)
    return [weight / total for weight in weights]


def spread(total: int, fractions: list[float], minimum: int = 0) -> list[int]:
    """`total` whole items split by `fractions` (each at least `minimum`), summing to `total`
    whenever the minimums allow it; the remainder goes to the biggest."""
    counts = [max(minimum, int(total * fraction)) for fraction in fractions]
    if counts:
        counts[0] = max(minimum, counts[0] + total - sum(counts))
    return counts
