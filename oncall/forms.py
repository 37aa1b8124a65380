"""Page forms for rotations, overrides, cover requests, time off and handoff notes."""

import datetime as dt
from typing import Any

from django import forms

from programmes.markdown import MARKDOWN_HELP
from programmes.models import Person, Weekday
from programmes.times import current_zone, timezone_refusal

from .models import Level, ShiftKind

# Pickers shown for a rotation's order; a longer rotation gets two more than it has.
MAX_MEMBERS = 8
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _people_choices() -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in Person.objects.only("id", "name")]


class RotationForm(forms.Form):
    name = forms.CharField(max_length=120)
    level = forms.ChoiceField(choices=Level.choices)
    timezone = forms.CharField(
        max_length=64, initial="Europe/London", help_text="e.g. Europe/London"
    )
    shift_kind = forms.ChoiceField(
        choices=ShiftKind.choices, label="Shifts", initial=ShiftKind.WEEKLY
    )
    shift_hours = forms.IntegerField(
        min_value=1,
        max_value=336,
        initial=12,
        label="Hours per shift",
        help_text="For “every N hours”.",
    )
    handoff_time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), initial=dt.time(9, 0)
    )
    handoff_weekday = forms.TypedChoiceField(
        choices=Weekday.choices,
        coerce=int,
        initial=0,
        label="Handoff day",
        help_text="For weekly shifts.",
    )
    start = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The first shift starts at the first handoff on or after this day.",
    )
    runbook_url = forms.URLField(required=False, assume_scheme="https", label="Runbook link")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        members: list[int] = kwargs.pop("members", [])
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *_people_choices()]
        # One picker per place in the order: what a phone can use, and the order is explicit.
        self.places = max(MAX_MEMBERS, len(members) + 2)
        for place in range(1, self.places + 1):
            self.fields[f"member_{place}"] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                label=f"On call {_ordinal(place)}",
                initial=members[place - 1] if place <= len(members) else None,
            )

    def clean_timezone(self) -> str:
        value: str = self.cleaned_data["timezone"].strip()
        refusal = timezone_refusal(value)
        if refusal:
            raise forms.ValidationError(refusal)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        picked = [cleaned.pop(f"member_{place}", None) for place in range(1, self.places + 1)]
        members = [person_id for person_id in picked if person_id is not None]
        if not members:
            self.add_error("member_1", "A rotation needs at least one member.")
        elif len(set(members)) != len(members):
            self.add_error("member_1", "Each person appears once in a rotation's order.")
        cleaned["member_ids"] = members
        return cleaned


class WindowForm(forms.Form):
    start = forms.DateTimeField(widget=_DATETIME)
    end = forms.DateTimeField(widget=_DATETIME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The browser sends a wall-clock time; it is read in the viewer's zone, and says so.
        for name in ("start", "end"):
            self.fields[name].help_text = f"Your time, {current_zone()}."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", "The end must come after the start.")
        return cleaned


class OverrideForm(WindowForm):
    person = forms.ModelChoiceField(queryset=Person.objects.all())
    reason = forms.CharField(max_length=300, required=False)

    field_order = ["person", "start", "end", "reason"]


class CoverRequestForm(WindowForm):
    reason = forms.CharField(max_length=300, required=False)


class TimeOffForm(WindowForm):
    note = forms.CharField(max_length=300, required=False)


class HandoffNotesForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        help_text=f"What happened, what is still open, what to watch. {MARKDOWN_HELP}",
    )


class AcknowledgeForm(forms.Form):
    """“I have it”; with ``on_behalf``, for the incoming engineer, with the reason why."""

    on_behalf = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Why you acknowledge for them",
        help_text="Shown on the handoff page and in the API.",
    )
