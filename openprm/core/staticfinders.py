"""Static files that ship inside Python packages, served by path with no CDN.

STATICFILES_DIRS can only expose whole folders; plotly's data folder also holds a 4.8 MB widget
bundle we never serve, so single files are named in settings.PACKAGE_STATIC_FILES instead.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


class PackageFileFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, Path] = {
            name: Path(path) for name, path in getattr(settings, "PACKAGE_STATIC_FILES", {}).items()
        }

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(f"PACKAGE_STATIC_FILES names a missing file: {path}", id="openprm.E001")
            for path in self.files.values()
            if not path.is_file()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        match = self.files.get(path)
        if match is None:
            return []  # like Django's own finders: an empty list, whatever find_all says
        return [str(match)] if find_all else str(match)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, path in self.files.items():
            storage = FileSystemStorage(location=str(path.parent))
            storage.prefix = str(Path(name).parent)  # type: ignore[attr-defined]
            yield path.name, storage
