"""Page panels: a page of a lower app that shows another app's data leaves a slot, and the app
above registers a panel for it (in its ``AppConfig.ready``). ``programmes.pages.render_panels``
renders them on the server, so they work without JavaScript and their queries count with the
page's.

Slots and the keyword arguments their panels receive:
- ``programme-overview`` (the programme page): ``programme``, ``access``.
- ``programme-header`` (under the name and stage of every programme page): ``programme``.
- ``handoff`` (oncall's handoff page): ``programme``, ``rotation``, ``access``, ``since``, ``until``
  (the outgoing shift).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .keyed import KeyedRegistry

PanelContext = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Panel:
    slot: str
    key: str
    order: int
    # A template (or ``template#partial``) rendered with what ``context`` returns.
    template: str
    context: PanelContext


_panels: KeyedRegistry[Panel] = KeyedRegistry("page panel")


def register_panel(
    *, slot: str, key: str, order: int, template: str, context: PanelContext
) -> None:
    _panels.add(
        f"{slot}:{key}",
        Panel(slot=slot, key=key, order=order, template=template, context=context),
    )


def panels_for(slot: str) -> list[Panel]:
    return sorted(
        (panel for panel in _panels.values() if panel.slot == slot),
        key=lambda panel: (panel.order, panel.key),
    )
