"""Where document files live: the media folder, files 0600 and folders 0700 (only the service
account reads uploaded policies and news), and removal of the files of a rolled-back ingest."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """The documents' storage (MEDIA_ROOT, read when used, so tests may move it)."""
    return FileSystemStorage(file_permissions_mode=0o600, directory_permissions_mode=0o700)


def remove(names: list[str]) -> None:
    """Delete files written by a transaction that did not commit."""
    storage = private_storage()
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)


def orphans(referenced: set[str]) -> list[str]:
    """Files under documents/ that no document row names (left by a killed process)."""
    storage = private_storage()
    found: list[str] = []

    def walk(folder: str) -> None:
        if not storage.exists(folder):
            return
        dirs, files = storage.listdir(folder)
        for name in files:
            path = f"{folder}/{name}"
            if path not in referenced:
                found.append(path)
        for sub in dirs:
            walk(f"{folder}/{sub}")

    walk("documents")
    return sorted(found)
