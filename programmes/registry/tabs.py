"""Programme tabs: each app registers the tab of its programme page (in its ``AppConfig.ready``);
``{% programme_tabs programme %}`` draws them in order on every programme page."""

from dataclasses import dataclass, field

from .keyed import KeyedRegistry


@dataclass(frozen=True)
class ProgrammeTab:
    key: str
    label: str
    # Reversed with the programme's slug.
    url_name: str
    order: int
    # The pages (URL names) on which this tab is the current one.
    active_for: frozenset[str] = field(default_factory=frozenset)


_tabs: KeyedRegistry[ProgrammeTab] = KeyedRegistry("programme tab")


def register_tab(
    *, key: str, label: str, url_name: str, order: int, active_for: tuple[str, ...] = ()
) -> None:
    """Register a tab; it is current on ``url_name`` and on the pages named in ``active_for``."""
    pages = frozenset({url_name, *active_for})
    _tabs.add(
        key, ProgrammeTab(key=key, label=label, url_name=url_name, order=order, active_for=pages)
    )


def programme_tabs() -> list[ProgrammeTab]:
    return sorted(_tabs.values(), key=lambda tab: (tab.order, tab.key))
