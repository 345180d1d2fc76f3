"""A subscription for every product a won opportunity sold, managed by the partner that won
it, its MRR moving month by month (the usage-priced products change often), and the managed
points each change posts, computed as `expected_managed_shares` computes them for one
managing partner, so `points verify` finds nothing to report.

How often MRR moves is set so the ledger reaches the size's number of entries.
"""

from datetime import date

from openprm.accounts.models import User
from openprm.core.money import from_minor
from openprm.crm.models import Subscription, SubscriptionMrrChange
from openprm.demo.bulk.context import Program
from openprm.demo.bulk.sales import WonLine
from openprm.demo.directory import add_months
from openprm.points.ledger.sources import RuleBook
from openprm.points.models import CauseKind, PointEntry, Track
from openprm.points.rules import managed_points_whole, split_evenly, to_hundredths

CHURN_SHARE = 0.08  # of the MRR moves, the ones that end the subscription


def _months_left(line: WonLine, today: date) -> int:
    return max(0, (today.year - line.closed_on.year) * 12 + today.month - line.closed_on.month)


def _changes(
    program: Program, line: WonLine, chance: float
) -> tuple[list[tuple[date, int]], date | None]:
    """The MRR on its start and on each month it moved; the churn day when it ended."""
    rng = program.rng
    changes = [(line.closed_on, line.mrr_minor)]
    for month in range(1, _months_left(line, program.today) + 1):
        day = add_months(line.closed_on, month)
        if day > program.today or rng.random() >= chance:
            continue
        if rng.random() < CHURN_SHARE:
            changes.append((day, 0))
            return changes, day
        mrr = max(1, round(changes[-1][1] * rng.uniform(0.8, 1.3)))
        changes.append((day, mrr))
    return changes, None


def _entries(
    program: Program,
    book: RuleBook,
    sub: Subscription,
    line: WonLine,
    changes: list[tuple[date, int]],
    ended_on: date | None,
) -> list[PointEntry]:
    """What the posting writes for one managing partner: the difference on each day."""
    held = 0
    rows = []
    for index, (day, mrr) in enumerate(changes):
        ruleset = book.on(day)
        target = 0
        if ended_on is None or day < ended_on:
            whole = managed_points_whole(
                mrr=from_minor(mrr, sub.currency_id),
                currency=sub.currency_id,
                country=line.customer.country,
                rules=book.rules(ruleset),
            )
            target = to_hundredths(split_evenly(whole, 1)[0])
        if target == held:
            continue
        kind = (
            CauseKind.MANAGEMENT_CHANGE
            if index == 0
            else (CauseKind.CHURN if day == ended_on else CauseKind.SUBSCRIPTION_CHANGE)
        )
        rows.append(
            PointEntry(
                id=program.writer.ids(PointEntry, 1)[0],
                organization_id=line.partner,
                customer_id=line.customer.id,
                track=Track.MANAGED,
                points_hundredths=target - held,
                cause_kind=kind,
                subscription_id=sub.pk,
                cause_on=day,
                active_from=day,
                rule_version_id=ruleset.pk,
            )
        )
        held = target
    return rows


def _chance(program: Program, won: list[WonLine]) -> float:
    """The monthly chance of an MRR move that brings the ledger to the size's entries."""
    wanted = program.size.ledger_entries - PointEntry.objects.count() - len(won)
    months = sum(_months_left(line, program.today) for line in won)
    return min(1.0, max(0.0, wanted / months)) if months else 0.0


def build_subscriptions(program: Program, won: list[WonLine]) -> None:
    writer, book = program.writer, RuleBook()
    chance = _chance(program, won)
    through = Subscription.managing_partners.through
    names = dict(
        User.objects.filter(pk__in={p.admin_id for p in program.partners}).values_list(
            "pk", "full_name"
        )
    )
    admins = {p.id: names.get(p.admin_id, "") for p in program.partners}
    program.progress.start("subscriptions", len(won))
    for start in range(0, len(won), 20_000):
        rows: dict[type, list] = {
            Subscription: [],
            SubscriptionMrrChange: [],
            through: [],
            PointEntry: [],
        }
        for line, pk in zip(
            won[start : start + 20_000],
            writer.ids(Subscription, min(20_000, len(won) - start)),
            strict=True,
        ):
            changes, ended_on = _changes(program, line, chance)
            sub = Subscription(
                id=pk,
                external_id=f"SUB-B{pk:08d}",
                customer_id=line.customer.id,
                product_id=line.product,
                currency_id=line.customer.currency,
                mrr_minor=changes[-1][1],
                started_on=line.closed_on,
                ended_on=ended_on,
                renewal_on=None if ended_on else _renewal_on(line.closed_on, program.today),
                renewal_manager=admins[line.partner],
            )
            rows[Subscription].append(sub)
            rows[SubscriptionMrrChange] += [
                SubscriptionMrrChange(
                    id=writer.ids(SubscriptionMrrChange, 1)[0],
                    subscription_id=pk,
                    effective_on=day,
                    mrr_minor=mrr,
                )
                for day, mrr in changes
            ]
            rows[through].append(
                through(
                    id=writer.ids(through, 1)[0], subscription_id=pk, organization_id=line.partner
                )
            )
            rows[PointEntry] += _entries(program, book, sub, line, changes, ended_on)
        for model, instances in rows.items():
            writer.write(model, instances)
        program.count("managed entries", len(rows[PointEntry]))
        program.progress.advance(len(rows[Subscription]))
    program.progress.finish()
    program.count("subscriptions", Subscription.objects.count())


def _renewal_on(started_on: date, today: date) -> date:
    years = 1
    while add_months(started_on, 12 * years) <= today:
        years += 1
    return add_months(started_on, 12 * years)
