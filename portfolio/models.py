"""What the portfolio stores: each leader's choice about the Monday digest."""

from django.db import models

from programmes.models import Person


class DigestPreference(models.Model):
    """A leader's Monday digest: every week (the default, with no row), or only in a week when
    some programme needs attention."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    only_when_attention = models.BooleanField(
        default=False, verbose_name="Only when something needs attention"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Monday digest of {self.person}"
