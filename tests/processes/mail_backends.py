"""A mail backend for worker processes started by tests: one .eml file per message."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class DirectoryBackend(BaseEmailBackend):
    """Writes to OPENPRM_TEST_MAIL_DIR. With OPENPRM_TEST_HANG_AFTER_SEND set it then hangs, as
    a worker that dies after the mail left and before it recorded that it did."""

    def send_messages(self, email_messages) -> int:
        directory = Path(os.environ["OPENPRM_TEST_MAIL_DIR"])
        for message in email_messages:
            name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
            # Renamed into place, so a worker killed while writing leaves no half a message.
            partial = directory / f".{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(directory / name)
        if os.environ.get("OPENPRM_TEST_HANG_AFTER_SEND"):
            time.sleep(600)
        return len(email_messages)
