"""The portfolio's forms."""

import datetime as dt
import zoneinfo
from typing import Any

from django import forms

from programmes import bounds

from .models import DigestPreference


class ChangesSince(forms.Form):
    """The date "what changed" counts from; Monday when none is given."""

    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, now: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now

    def clean_since(self) -> dt.date | None:
        since: dt.date | None = self.cleaned_data.get("since")
        if since is not None:
            why = bounds.refusal(since, bounds.QUERY, self.now)
            if why:
                raise forms.ValidationError(why)
        return since

    def since_moment(self, zone: str) -> dt.datetime:
        """The start of the chosen day in ``zone``."""
        return dt.datetime.combine(
            self.cleaned_data["since"], dt.time(0, 0), tzinfo=zoneinfo.ZoneInfo(zone)
        )


class DigestPreferenceForm(forms.ModelForm):
    class Meta:
        model = DigestPreference
        fields = ["only_when_attention"]
