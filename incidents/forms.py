"""Page forms for incidents, postmortems, their actions and runbooks."""

from django import forms

from programmes.markdown import MARKDOWN_HELP
from programmes.models import Person

from .models import HarmCategory, Severity


class IncidentForm(forms.Form):
    title = forms.CharField(max_length=200)
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.SEV2)
    harm_category = forms.ChoiceField(
        choices=[("", "— not classified —"), *HarmCategory.choices], required=False
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=MARKDOWN_HELP
    )
    model_version = forms.CharField(max_length=200, required=False, label="Model / prompt version")


class IncidentNoteForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Add to the timeline",
        help_text=MARKDOWN_HELP,
    )


class PostmortemForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contributing_factors = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    went_well = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="What went well"
    )
    complete = forms.BooleanField(required=False, label="The postmortem is complete")


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=300, label="Action")
    owner = forms.ModelChoiceField(queryset=Person.objects.all(), required=False)
    due_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )


class RunbookForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), help_text=MARKDOWN_HELP)
