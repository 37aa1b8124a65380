"""Page forms for readiness: the definition and its agreement, criteria, waivers, a new round,
a sign-off."""

from django import forms

from programmes.markdown import MARKDOWN_HELP
from programmes.models import Person

from .models import Pillar, SignOffDecision
from .readiness_evidence import CHECKS
from .readiness_rules import OPEN_STATUSES


class DefinitionForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Readiness definition",
        help_text="What “ready for production” means for this programme. " + MARKDOWN_HELP,
    )


class AgreementForm(forms.Form):
    agreed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    agreed_by = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(),
        help_text="At least the programme owner and the executive sponsor.",
    )


class CriterionForm(forms.Form):
    pillar = forms.ChoiceField(choices=Pillar.choices)
    title = forms.CharField(max_length=200)
    evidence_check = forms.ChoiceField(
        choices=[("", "— people tick it —"), *((k, label) for k, (label, _) in CHECKS.items())],
        required=False,
        label="Keel checks",
    )


class CriterionChangeForm(forms.Form):
    status = forms.ChoiceField(choices=OPEN_STATUSES)
    owner = forms.ModelChoiceField(queryset=Person.objects.all(), required=False)
    evidence_link = forms.URLField(max_length=500, required=False, assume_scheme="https")
    note = forms.CharField(required=False, max_length=20_000)


class WaiverForm(forms.Form):
    reason = forms.CharField(max_length=20_000)
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="At most six months ahead, the default.",
    )


class SignForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(SignOffDecision.APPROVED, "Approve"), (SignOffDecision.REJECTED, "Reject")]
    )
    comment = forms.CharField(required=False, max_length=20_000)


class CommentForm(forms.Form):
    comment = forms.CharField(required=False, max_length=20_000)
