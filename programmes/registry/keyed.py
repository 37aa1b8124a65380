"""A registry keyed by name: the same entry twice is harmless, two entries under one name are a
mistake said at start-up."""

from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

Entry = TypeVar("Entry")


class KeyedRegistry(Generic[Entry]):
    """Entries in registration order, each under a unique key."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.entries: dict[str, Entry] = {}

    def add(self, key: str, entry: Entry) -> Entry:
        known = self.entries.get(key)
        if known is not None and known != entry:
            raise ImproperlyConfigured(f"Two {self.what}s are registered as “{key}”.")
        self.entries[key] = entry
        return entry

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def values(self) -> list[Entry]:
        return list(self.entries.values())
