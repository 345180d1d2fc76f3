"""Receivers for webhook tests, and name resolution that needs no network.

`receiver` is a real HTTP server on 127.0.0.1, which the product refuses to call unless the
operator allows private addresses: its fixture allows them. Host names under example.com
resolve to what `dns` says (a public address by default), so no test depends on a resolver.
"""

from types import ModuleType

import pytest

from openprm.webhooks import addresses, services
from openprm.webhooks.models import Webhook
from openprm.webhooks.tests.receiver import Receiver, guide_receiver

PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> dict[str, list[str]]:
    """Host name -> the addresses it resolves to; change it to move a host (DNS rebinding)."""
    table: dict[str, list[str]] = {}
    real = addresses.resolve

    def resolve(host: str, port: int) -> list[str]:
        if host.endswith("example.com"):
            if host not in table:
                raise addresses.AddressRefused("dns", "unresolved in the test", host)
            return table[host]
        return real(host, port)

    monkeypatch.setattr(addresses, "resolve", resolve)
    table["hooks.example.com"] = [PUBLIC_ADDRESS]
    return table


@pytest.fixture
def allow_private(settings):
    settings.OPENPRM_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def receiver(allow_private):
    started = Receiver().start()
    yield started
    started.stop()


def subscribe(actor, url: str, *event_types: str) -> tuple[Webhook, str]:
    return services.webhook_create(actor=actor, url=url, event_types=list(event_types))


@pytest.fixture(scope="session")
def example_receiver() -> ModuleType:
    return guide_receiver()
