"""Scorecard pages: the programme's scorecard tab, a metric's page, and the forms on them."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes import selectors as programme_selectors
from programmes.errors import DomainError
from programmes.models import ProgrammeToken
from programmes.pages import (
    HtmxHttpRequest,
    attach_domain_error,
    form_response,
    perform,
    redirect_or_htmx_redirect,
    report_form_errors,
)
from programmes.rules import Access

from . import charts, rules, selectors, services
from .access import require_may_change_scorecard, require_may_record_measurements
from .csv_import import read_measurements
from .forms import (
    AssessmentForm,
    CsvUploadForm,
    MeasurementForm,
    MetricForm,
    PromoteBaselineForm,
)
from .models import MeasurementSource, Metric

# Chart windows a reader can pick, as (key, label, days back; None for everything).
RANGES: tuple[tuple[str, str, int | None], ...] = (
    ("90d", "90 days", 90),
    ("1y", "1 year", 365),
    ("all", "All", None),
)
DEFAULT_RANGE = "1y"
RECENT_ROWS = 30


def _range(request: HtmxHttpRequest) -> tuple[str, dt.datetime | None]:
    key = request.GET.get("range") or request.POST.get("range") or DEFAULT_RANGE
    days = {k: d for k, _, d in RANGES}
    if key not in days:
        key = DEFAULT_RANGE
    back = days[key]
    return key, None if back is None else timezone.now() - dt.timedelta(days=back)


def _chart(metric: Metric, series: list[Any], **size: Any) -> charts.Chart:
    points = [rules.Point(m.value, m.measured_at, m.model_version) for m in series]
    marked = rules.mark_series(
        points,
        baseline=metric.baseline_value,
        direction=metric.direction,
        tolerance=metric.regression_tolerance,
        window=metric.regression_window,
    )
    return charts.build_chart(
        marked, baseline=metric.baseline_value, target=metric.target_value, unit=metric.unit, **size
    )


def _panel_context(
    request: HtmxHttpRequest,
    metric: Metric,
    access: Access,
    *,
    form: MeasurementForm | None = None,
) -> dict[str, Any]:
    """What the metric panel (numbers, progress, RAG, chart, add-measurement form) shows."""
    range_key, since = _range(request)
    series = selectors.measurements_between([metric], since=since, until=None)[metric.pk]
    return {
        "programme": metric.programme,
        "metric": metric,
        "status": selectors.status_of(metric, timezone.now()),
        "chart": _chart(metric, series),
        "access": access,
        "measurement_form": form or MeasurementForm(),
        "range_key": range_key,
    }


@login_required
def scorecard(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = programme_selectors.get_programme_for_user(request.user, slug)
    metrics = list(selectors.programme_metrics(programme))
    range_key, since = _range(request)
    series = selectors.measurements_between(metrics, since=since, until=None)
    now = timezone.now()
    headline = next((m for m in metrics if m.is_headline), None)
    secondaries = [
        {
            "metric": m,
            "status": selectors.status_of(m, now),
            "chart": _chart(m, series[m.pk], width=300, height=110, padding=6),
        }
        for m in metrics
        if not m.is_headline
    ]
    context: dict[str, Any] = {
        "programme": programme,
        "access": access,
        "secondaries": secondaries,
        "economics": selectors.unit_economics_of(programme, metrics),
        "ranges": RANGES,
        "range_key": range_key,
        "tokens": programme_selectors.programme_tokens(programme)
        if access.can_manage_members
        else [],
        "token_scopes": ProgrammeToken.Scope.choices,
    }
    if headline is not None:
        context.update(
            {
                "metric": headline,
                "status": selectors.status_of(headline, now),
                "chart": _chart(headline, series[headline.pk]),
                "measurement_form": MeasurementForm(),
            }
        )
    return render(request, "scorecards/scorecard.html", context)


def _metric(request: HtmxHttpRequest, slug: str, metric_id: int) -> tuple[Metric, Access]:
    metric, access = selectors.get_metric_for_user(request.user, metric_id)
    if metric.programme.slug != slug:
        raise Http404("No such metric in this programme.")
    return metric, access


@login_required
def metric_detail(request: HtmxHttpRequest, slug: str, metric_id: int) -> HttpResponse:
    metric, access = _metric(request, slug, metric_id)
    context = _panel_context(request, metric, access)
    context.update(
        {
            "ranges": RANGES,
            "recent": metric.measurements.order_by("-measured_at", "-id")[:RECENT_ROWS],
            "assessments": metric.assessments.select_related("by")[:10],
            "regressions": metric.regressions.all()[:10],
            "assessment_form": AssessmentForm(),
            "promote_form": PromoteBaselineForm(initial={"value": context["status"].current}),
            "upload_form": CsvUploadForm(),
        }
    )
    return render(request, "scorecards/metric_detail.html", context)


@login_required
def metric_form(request: HtmxHttpRequest, slug: str, metric_id: int | None = None) -> HttpResponse:
    programme, access = programme_selectors.get_programme_for_user(request.user, slug)
    require_may_change_scorecard(access)
    metric = None
    if metric_id is not None:
        metric, _ = _metric(request, slug, metric_id)
    form = MetricForm(request.POST or None, instance=metric)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        reason = fields.pop("reason", "")
        try:
            if metric is None:
                metric = services.create_metric(
                    actor=request.user, programme=programme, access=access, **fields
                )
                messages.success(request, f"{metric.name} added to the scorecard.")
            else:
                services.update_metric(
                    actor=request.user, metric=metric, access=access, reason=reason, **fields
                )
                messages.success(request, f"{metric.name} saved.")
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            return redirect_or_htmx_redirect(request, metric.get_absolute_url())
    status = 400 if form.errors else 200
    context = {"form": form, "programme": programme, "metric": metric}
    return form_response(request, "scorecards/metric_form.html", context, status=status)


@login_required
@require_POST
def add_measurement(request: HtmxHttpRequest, slug: str, metric_id: int) -> HttpResponse:
    """Record one measurement; htmx gets the refreshed panel (numbers, progress, chart)."""
    metric, access = _metric(request, slug, metric_id)
    require_may_record_measurements(access)
    form = MeasurementForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.record_measurement(
                actor=request.user,
                metric=metric,
                access=access,
                measurement=services.NewMeasurement(**form.cleaned_data),
                source=MeasurementSource.MANUAL,
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            form = MeasurementForm()
            metric, access = _metric(request, slug, metric_id)
    if form.errors:
        status = 400
    if not request.htmx:
        if status == 200:
            messages.success(request, "Measurement recorded.")
            return redirect_or_htmx_redirect(request, metric.get_absolute_url())
        context = _panel_context(request, metric, access, form=form)
        return render(request, "scorecards/metric_panel_page.html", context, status=status)
    context = _panel_context(request, metric, access, form=form)
    context["recorded"] = status == 200
    return render(request, "scorecards/metric_detail.html#metric_panel", context, status=status)


@login_required
def upload_measurements(request: HtmxHttpRequest, slug: str, metric_id: int) -> HttpResponse:
    metric, access = _metric(request, slug, metric_id)
    require_may_record_measurements(access)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    imported: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        report = read_measurements(form.cleaned_data["file"].read())
        if report.ok:
            try:
                result = services.record_measurements(
                    actor=request.user,
                    metric=metric,
                    access=access,
                    measurements=report.measurements,
                    source=MeasurementSource.CSV,
                )
            except services.MeasurementsRefused as refused:
                report.problems = [
                    (report.lines[index], message)
                    for index, (_, message) in sorted(refused.problems.items())
                ]
            except DomainError as error:
                report.error = error.message
            else:
                summary = (
                    f"{result.created} measurement(s) imported; {result.existing} were already "
                    "there."
                )
                if not result.conflicts:
                    messages.success(request, summary)
                    return redirect_or_htmx_redirect(request, metric.get_absolute_url())
                # The rows that were imported stay; the page lists those that conflict.
                imported = {
                    "summary": summary,
                    "conflicts": [(report.lines[c.index], c) for c in result.conflicts],
                }
        if not imported:
            status = 400
    elif form.errors:
        status = 400
    context = {
        "programme": metric.programme,
        "metric": metric,
        "form": form,
        "report": report,
        "imported": imported,
    }
    return render(request, "scorecards/upload.html", context, status=status)


@login_required
@require_POST
def assess(request: HtmxHttpRequest, slug: str, metric_id: int) -> HttpResponse:
    metric, access = _metric(request, slug, metric_id)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.record_assessment(
                actor=request.user, metric=metric, access=access, **form.cleaned_data
            ),
            "Assessment recorded.",
        )
    else:
        report_form_errors(request, form)
    return redirect_or_htmx_redirect(request, metric.get_absolute_url() + "#assessment")


@login_required
@require_POST
def promote_baseline(request: HtmxHttpRequest, slug: str, metric_id: int) -> HttpResponse:
    metric, access = _metric(request, slug, metric_id)
    form = PromoteBaselineForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.promote_baseline(
                actor=request.user, metric=metric, access=access, **form.cleaned_data
            ),
            "New baseline promoted; the reason is in the audit trail.",
        )
    else:
        report_form_errors(request, form)
    return redirect_or_htmx_redirect(request, metric.get_absolute_url() + "#baseline")
