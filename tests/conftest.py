"""Cross-cutting guards: report translation completeness at the end of every run."""

from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "openprm" / "locale"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    parts = []
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po")):
        catalog = polib.pofile(str(po_path))
        todo = len(catalog.untranslated_entries()) + len(catalog.fuzzy_entries())
        parts.append(f"{po_path.parent.parent.name} {len(catalog) - todo}/{len(catalog)}")
    if parts:
        terminalreporter.write_line("Translations: " + ", ".join(parts))
