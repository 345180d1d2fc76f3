"""Cards that feature apps add to crm's customer and contact pages.

crm imports no feature app, so a feature registers its card here from its AppConfig.ready()
(the deals app adds "Shared deal"); the pages render whatever is registered, in that order, and
never change when a feature adds one.
"""

from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest

Record = Literal["customer", "contact"]
# Given the request and the customer or contact, the card's HTML, or "" to show no card.
CardRenderer = Callable[[HttpRequest, Any], str]

_cards: dict[str, list[CardRenderer]] = {"customer": [], "contact": []}


def record_card(record: Record) -> Callable[[CardRenderer], CardRenderer]:
    """Register a card on the pages of one kind of record."""

    def register(renderer: CardRenderer) -> CardRenderer:
        if renderer not in _cards[record]:
            _cards[record].append(renderer)
        return renderer

    return register


def record_cards(*, request: HttpRequest, record: Record, obj: Any) -> list[str]:
    """The registered cards of this record, rendered for the requester; empty ones left out."""
    rendered = (renderer(request, obj) for renderer in _cards[record])
    return [html for html in rendered if html]
