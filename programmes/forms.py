"""Page forms for programmes, people and memberships."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from .models import OWNER_FIELDS, Channel, Person, Programme, ProgrammeToken, Role, Stage
from .numbers import PlainNumberInput
from .registry.notification_kinds import kind_choices
from .rules import INITIAL_STAGES
from .selectors import programme_name_refusal

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
    "slack_webhook_url",
]


class ProgrammeForm(forms.ModelForm[Programme]):
    """A programme's details and named owners."""

    class Meta:
        model = Programme
        fields = _PROGRAMME_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "review_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "cost_envelope": PlainNumberInput,
        }

    # The webhook is a secret: it is never written back into the page.
    slack_webhook_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Slack webhook URL",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="A Slack-compatible incoming webhook for this programme's channel.",
    )

    remove_slack_webhook = forms.BooleanField(required=False, label="Remove the Slack webhook")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One directory read serves all eight owner pickers.
        people = list(Person.objects.only("id", "name", "email"))
        for field_name in OWNER_FIELDS:
            owner_field = self.fields[field_name]
            assert isinstance(owner_field, forms.ModelChoiceField)
            owner_field.choices = [("", "— nobody named —"), *((p.pk, str(p)) for p in people)]
        hint = self.instance.webhook_hint if self.instance.pk else ""
        if hint:
            self.fields[
                "slack_webhook_url"
            ].help_text = f"Set ({hint}). Leave blank to keep it, or type a new one to replace it."
        else:
            del self.fields["remove_slack_webhook"]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        refusal = programme_name_refusal(name, self.instance)
        if refusal:
            raise forms.ValidationError(refusal)
        return name

    def clean_slack_webhook_url(self) -> str:
        typed: str = self.cleaned_data.get("slack_webhook_url", "")
        if typed or self.data.get(self.add_prefix("remove_slack_webhook")):
            return typed
        return self.instance.slack_webhook_url if self.instance.pk else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.pop("remove_slack_webhook", False):
            cleaned["slack_webhook_url"] = ""
        return cleaned


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


class NotificationPreferencesForm(forms.Form):
    """One switch per kind of notification and channel. In-app is always on, so it has none."""

    CHANNELS = ((Channel.EMAIL, "Email"), (Channel.SLACK, "Slack"))

    def __init__(self, *args: Any, switched_off: set[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, kind_label in kind_choices():
            for channel, channel_label in self.CHANNELS:
                self.fields[f"{kind}__{channel}"] = forms.BooleanField(
                    required=False,
                    initial=(kind, channel) not in switched_off,
                    label=f"{kind_label} by {channel_label.lower()}",
                )

    def choices(self) -> dict[tuple[str, str], bool]:
        """(kind, channel) → wanted, from the submitted switches."""
        return {
            tuple(name.split("__")): bool(value)  # type: ignore[misc]
            for name, value in self.cleaned_data.items()
        }


class ProgrammeTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, e.g. “nightly eval harness”."
    )
    scope = forms.ChoiceField(
        choices=ProgrammeToken.Scope.choices, initial=ProgrammeToken.Scope.MEASUREMENTS
    )
