"""Page forms for metrics, measurements, CSV uploads, assessments and baseline promotion."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from programmes.models import Person
from programmes.numbers import PlainNumberInput
from programmes.selectors import leadership_people

from .csv_import import MAX_BYTES, MAX_ROWS
from .models import METRIC_SETTINGS, VALUE_DIGITS, VALUE_PLACES, Assessment, Metric, Rag

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MetricForm(forms.ModelForm[Metric]):
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when an agreed baseline or target changes; kept in the audit trail.",
    )

    class Meta:
        model = Metric
        fields = list(METRIC_SETTINGS)
        widgets = {
            "baseline_date": _DATE,
            "target_date": _DATE,
            "agreed_on": _DATE,
            "baseline_value": PlainNumberInput,
            "target_value": PlainNumberInput,
            "regression_tolerance": PlainNumberInput,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(p.pk, str(p)) for p in Person.objects.only("id", "name")]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.choices = [("", "— nobody named —"), *people]
        agreed_by = self.fields["agreed_by"]
        assert isinstance(agreed_by, forms.ModelChoiceField)
        agreed_by.queryset = leadership_people().distinct()
        if not self.instance.pk or not self.instance.is_agreed:
            self.fields["reason"].widget = forms.HiddenInput()

    def _post_clean(self) -> None:
        # The service validates the whole metric (and says more); the form only parses fields.
        pass


class MeasurementForm(forms.Form):
    value = forms.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, widget=PlainNumberInput
    )
    measured_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone.",
    )
    model_version = forms.CharField(max_length=200, required=False, label="Model / version")
    external_id = forms.CharField(
        max_length=200, required=False, label="Run id", help_text="Optional; skips duplicates."
    )
    note = forms.CharField(max_length=5000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["measured_at"] = timezone.localtime().replace(second=0, microsecond=0)


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: value, measured_at (ISO 8601), and optionally external_id, "
        "model_version, note. All rows are imported, or none. At most "
        f"{MAX_ROWS:,} rows and {MAX_BYTES // (1024 * 1024)} MB per file.",
    )


class AssessmentForm(forms.ModelForm[Assessment]):
    class Meta:
        model = Assessment
        fields = ["confidence", "rag_override", "reason"]
        widgets = {
            "confidence": forms.Select(choices=[(n, str(n)) for n in range(1, 6)]),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"rag_override": "Override RAG"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        override = self.fields["rag_override"]
        assert isinstance(override, forms.ChoiceField)
        override.choices = [("", "— no override —"), *Rag.choices]

    def _post_clean(self) -> None:
        pass


class PromoteBaselineForm(forms.Form):
    value = forms.DecimalField(
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        label="New baseline",
        widget=PlainNumberInput,
    )
    baseline_date = forms.DateField(widget=_DATE, initial=dt.date.today)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
