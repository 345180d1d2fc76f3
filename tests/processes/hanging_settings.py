"""openprm.settings for a server that a test kills mid-request: a request can be made to hang."""

from openprm.settings import *  # noqa: F403
from openprm.settings import MIDDLEWARE

MIDDLEWARE = [*MIDDLEWARE, "tests.processes.hanging.HangAfterView"]
