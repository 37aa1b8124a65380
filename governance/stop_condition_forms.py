"""Page forms for stop conditions: the policy, a condition with its rule, a decision."""

from typing import Any

from django import forms

from programmes.models import Person, Programme

from .models import Consequence, DecisionKind
from .stop_condition_rules import all_params, rule_kinds

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Parameters that several kinds share, labelled for all of them.
_SHARED_LABELS = {"percent": "Percent (P)", "days": "Days (D)", "count": "Count (N)"}


class PolicyForm(forms.Form):
    author = forms.ModelChoiceField(queryset=Person.objects.all())
    approvers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(),
        help_text="At least one, not the author (the executive sponsor by default).",
    )
    revisit_on = forms.DateField(widget=DATE_INPUT, required=False, label="Revisit by")


class ConditionForm(forms.Form):
    """The written text, its consequence, and optionally a rule: the kind and its parameters
    (each kind uses some of them; docs/stop-conditions.md says which)."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    consequence = forms.ChoiceField(choices=Consequence.choices)
    rule_kind = forms.ChoiceField(required=False, label="Rule Keel evaluates")

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["rule_kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", "— none: people assess it —")] + [
            (kind.key, kind.label) for kind in rule_kinds()
        ]
        for param in all_params():
            label = _SHARED_LABELS.get(param.name, param.label)
            field: forms.Field
            if param.type == "metric":
                field = forms.ChoiceField(
                    choices=[("", "the headline metric")]
                    + [(str(m.pk), m.name) for m in programme.metrics.all()],
                )
            elif param.type == "decimal":
                field = forms.DecimalField(max_digits=20, decimal_places=6)
            elif param.type == "int":
                field = forms.IntegerField(min_value=-(10**9), max_value=10**9)
            elif param.type == "date":
                field = forms.DateField(widget=DATE_INPUT)
            else:
                field = forms.ChoiceField(choices=[("", "—"), *param.choices])
            field.required = False
            field.label = label
            field.help_text = param.help
            self.fields[f"rule_{param.name}"] = field

    def rule_values(self) -> dict[str, Any]:
        """The rule's parameters as given (empty ones left out)."""
        return {
            name[len("rule_") :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("rule_") and name != "rule_kind" and value not in (None, "")
        }


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=DecisionKind.choices, label="Decision")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    revisit_on = forms.DateField(
        widget=DATE_INPUT, required=False, help_text="Needed for “continue”."
    )
    decided_by = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, help_text="You, when left empty."
    )

    def __init__(self, *args: Any, deciders: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decided_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in deciders])
