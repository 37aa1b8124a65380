"""The portfolio's writes."""

from typing import Any

from django.db import transaction

from programmes import audit
from programmes.errors import NotAllowed
from programmes.selectors import is_leadership, person_of

from .models import DigestPreference


@transaction.atomic
def set_digest_preference(*, user: Any, only_when_attention: bool) -> DigestPreference:
    """A leader chooses whether their Monday digest comes every week or only when something
    needs attention."""
    person = person_of(user)
    if person is None or not is_leadership(user):
        raise NotAllowed("Only a leader with a directory entry receives the Monday digest.")
    preference, _ = DigestPreference.objects.select_for_update().get_or_create(person=person)
    before = audit.snapshot(preference)
    preference.only_when_attention = only_when_attention
    preference.save()
    audit.record_update(actor=user, instance=preference, programme=None, before=before)
    return preference
