"""Page forms for the weekly review: what the meeting records, and moving or cancelling it."""

from typing import Any

from django import forms

from programmes.markdown import MARKDOWN_HELP
from programmes.models import Person

from .models import ActionStatus, ReviewDecisionKind


class NotesForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text=MARKDOWN_HELP
    )


class GuestForm(forms.Form):
    guest_name = forms.CharField(max_length=150, label="Guest")


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReviewDecisionKind.choices, label="Decision")
    agenda_item = forms.ChoiceField(choices=[("", "The review as a whole")], required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="What was decided, and why",
    )
    decided_by = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        label="Decided by (a tripped stop condition: the sponsor or an approver)",
    )
    revisit_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        label="Revisit on (“continue” on a stop condition)",
    )

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agenda_item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "The review as a whole"), *items]


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300, label="Action", required=False)
    owner = forms.ModelChoiceField(queryset=Person.objects.all(), required=False)
    due_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    reason = forms.CharField(max_length=500, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Why is it cancelled?")


class MoveForm(forms.Form):
    to = forms.DateTimeField(
        label="Move to (the review's time zone)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class UpcomingChangeForm(forms.Form):
    title = forms.CharField(max_length=200, label="Upcoming change")
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
