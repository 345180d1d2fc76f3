"""Case-insensitive search that behaves the same on SQLite and PostgreSQL, for any script.

SQLite's LIKE folds only ASCII case, so searchable models keep a folded copy of their text.
"""

import unicodedata


def fold(text: str) -> str:
    """NFKC then casefold: full-width and any-case Latin meet; Thai and kana stay as written."""
    return unicodedata.normalize("NFKC", text or "").casefold().strip()
