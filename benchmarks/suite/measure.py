"""Timing: repeated calls, their median and p95, and the ratio of a figure to its reference."""

import statistics
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field


@dataclass
class Figure:
    name: str
    seconds: list[float]
    reference: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def timed(call: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        call()
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return seconds


def concurrent(call: Callable[[int], object], total: int, workers: int = 4) -> list[float]:
    """`total` calls spread over `workers` threads; each call's own time."""

    def one(index: int) -> float:
        started = time.perf_counter()
        call(index)
        return time.perf_counter() - started

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(total)))


class Client:
    """HTTP against the product's server, signed in by a session cookie or an API token."""

    def __init__(self, base: str, cookie: str = "", token: str = "") -> None:
        self.base, self.cookie, self.token = base, cookie, token

    def request(self, path: str, body: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        if self.cookie:
            request.add_header("Cookie", f"sessionid={self.cookie}")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()

    def get(self, path: str) -> bytes:
        status, _, body = self.request(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return body
