"""A request that hangs on demand, inside every other middleware and after its view's work."""

import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def hanging_marker(var_dir: str | Path) -> Path:
    """Written with the worker's pid once a request hangs."""
    return Path(var_dir) / "hanging"


class HangAfterView:
    """With `X-Test-Hang: <seconds>` the view runs, then the worker sleeps before answering: a
    worker to kill after a create's work and before its response is written anywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        seconds = request.headers.get("X-Test-Hang")
        if seconds:
            marker = hanging_marker(settings.VAR_DIR)
            marker.with_suffix(".tmp").write_text(str(os.getpid()))
            marker.with_suffix(".tmp").rename(marker)
            time.sleep(float(seconds))
        return response
