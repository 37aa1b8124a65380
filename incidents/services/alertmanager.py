"""The Alertmanager webhook: a firing group opens or joins an incident, a resolved one says so on
its timeline."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from programmes.models import Programme

from .. import rules
from ..models import (
    Incident,
    IncidentSource,
    IncidentStatus,
    TimelineEntry,
    TimelineKind,
)
from .incidents import change_status, open_incident


@transaction.atomic
def receive_alertmanager(*, programme: Programme, token_name: str, payload: Any) -> dict[str, Any]:
    """Act on an Alertmanager webhook: a firing group opens an incident, or adds to the open one
    with the same groupKey; the same notification again changes nothing; a resolved group moves
    its incident to mitigated (a person confirms and resolves it)."""
    group = rules.parse_alertmanager(payload)
    # The programme's row lock makes two deliveries of one group take turns.
    Programme.objects.select_for_update().get(pk=programme.pk)
    incident = (
        Incident.objects.filter(programme=programme, fingerprint=group.group_key)
        .exclude(status=IncidentStatus.RESOLVED)
        .order_by("-opened_at")
        .first()
    )
    actor_label = f"alertmanager:{token_name}"
    created = False
    if incident is None:
        if group.status == "resolved":
            return {"incident": None, "created": False, "recorded": False}
        incident = open_incident(
            actor=None,
            programme=programme,
            access=None,
            title=group.title,
            severity=group.severity,
            source=IncidentSource.ALERTMANAGER,
            fingerprint=group.group_key,
            description=group.description,
        )
        created = True
    names = ", ".join(sorted({str(a["labels"].get("alertname", "alert")) for a in group.alerts}))
    try:
        with transaction.atomic():
            TimelineEntry.objects.create(
                incident=incident,
                at=timezone.now(),
                kind=TimelineKind.ALERT,
                author_label=actor_label,
                text=f"Alertmanager: {group.status} — {len(group.alerts)} alert(s): {names}",
                payload=payload,
                dedupe_key=group.digest,
            )
    except IntegrityError:
        return {"incident": incident, "created": False, "recorded": False}
    if group.status == "resolved" and incident.status in (
        IncidentStatus.TRIGGERED,
        IncidentStatus.ACKNOWLEDGED,
    ):
        change_status(
            actor=None,
            incident=incident,
            access=None,
            status=IncidentStatus.MITIGATED,
            acknowledging=False,
        )
    return {"incident": incident, "created": created, "recorded": True}
