"""``HashedOnce``: a frozen dataclass that hashes its fields once, when made. Cadences and
versions key the schedule maths' caches, thousands of look-ups a request; a dataclass's own hash
works through every field on each look-up."""

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class HashedOnce:
    """Subclasses are frozen dataclasses and say ``__hash__ = HashedOnce.__hash__`` (a dataclass
    of their own would otherwise write its own hash over this one)."""

    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        values = tuple(getattr(self, name) for name in _compared_names(type(self)))
        object.__setattr__(self, "_hash", hash(values))

    def __hash__(self) -> int:
        return self._hash


# The fields each subclass compares, read once per class: ``fields()`` walks them all.
_COMPARED: dict[type, tuple[str, ...]] = {}


def _compared_names(cls: type) -> tuple[str, ...]:
    names = _COMPARED.get(cls)
    if names is None:
        names = _COMPARED[cls] = tuple(f.name for f in fields(cls) if f.compare)
    return names
