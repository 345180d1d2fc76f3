"""Compile openprm/locale/*/LC_MESSAGES/django.po into .mo files with polib.

Django's compilemessages needs GNU gettext's msgfmt; this needs only the virtualenv, so a
fresh machine can refresh the committed .mo files (tests/test_translations.py checks that
they match their .po files).

    .venv/bin/python tools/compile_messages.py
"""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "openprm" / "locale"


def catalogs() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent.parent)}")
