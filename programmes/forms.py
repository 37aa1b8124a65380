"""Page forms for programmes, people and memberships."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from .models import OWNER_FIELDS, Person, Programme, Role, Stage
from .rules import INITIAL_STAGES

_PROGRAMME_FIELDS = [
    "name",
    "summary",
    "business_unit",
    *OWNER_FIELDS,
    "review_weekday",
    "review_time",
    "review_timezone",
    "regression_day",
    "cost_envelope",
    "cost_currency",
]


class ProgrammeForm(forms.ModelForm[Programme]):
    """A programme's details and named owners."""

    class Meta:
        model = Programme
        fields = _PROGRAMME_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "review_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One directory read serves all eight owner pickers.
        people = list(Person.objects.only("id", "name", "email"))
        for field_name in OWNER_FIELDS:
            owner_field = self.fields[field_name]
            assert isinstance(owner_field, forms.ModelChoiceField)
            owner_field.choices = [("", "— nobody named —"), *((p.pk, str(p)) for p in people)]


class NewProgrammeForm(ProgrammeForm):
    """A programme being started: its details plus the stage it starts in."""

    stage = forms.ChoiceField(
        choices=[(value, Stage(value).label) for value in INITIAL_STAGES], initial=Stage.PILOT
    )

    class Meta(ProgrammeForm.Meta):
        fields = ["name", "stage", *_PROGRAMME_FIELDS[1:]]


class TransitionForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, label="Move to")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ["name", "email", "timezone", "slack_member_id"]


class MemberForm(forms.Form):
    username = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        label="User",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
