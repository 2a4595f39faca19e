"""Results pages: data exports and the codebook for researchers; the public results page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from glas.core.exceptions import DomainError
from glas.core.pdf import html_to_pdf
from glas.core.types import AuthedRequest
from glas.surveys import exports, services
from glas.surveys.access import get_survey_for_results, get_survey_with_public_results
from glas.surveys.charts import CHART
from glas.surveys.models import Response, Survey
from glas.surveys.results import cached_survey_results
from glas.surveys.selectors import published_reports, survey_structure


def _attachment(response: HttpResponse | StreamingHttpResponse, survey: Survey, fmt: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(survey, fmt)}"'
    response["Cache-Control"] = "no-store"


def _exports_page(request: AuthedRequest, survey: Survey, *, error: str = "") -> HttpResponse:
    complete = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE).count()
    variables = len(exports.export_variables(survey_structure(survey)))
    context = {
        "survey": survey,
        "complete": complete,
        "variables": variables,
        "sizes": exports.estimated_sizes(complete, variables),
        "error": error,
    }
    return render(request, "surveys/results_exports.html", context, status=400 if error else 200)


@login_required
@require_GET
def results_exports(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _exports_page(request, get_survey_for_results(request.user, public_id))


@login_required
@require_GET
def results_export(request: AuthedRequest, public_id: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    survey = get_survey_for_results(request.user, public_id)
    structure = survey_structure(survey)
    services.survey_export_log(actor=request.user, survey=survey, fmt=fmt)
    content_type = exports.CONTENT_TYPES[fmt]
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(survey, structure), content_type=content_type)
    elif fmt == "json":
        response = StreamingHttpResponse(exports.json_chunks(survey, structure), content_type=content_type)
    else:
        response = FileResponse(exports.export_file(survey, structure, fmt), content_type=content_type)
    _attachment(response, survey, fmt)
    return response


@login_required
@require_GET
def results_codebook(request: AuthedRequest, public_id: str) -> HttpResponse:
    survey = get_survey_for_results(request.user, public_id)
    context = {"survey": survey, "variables": exports.export_variables(survey_structure(survey))}
    return render(request, "surveys/codebook.html", context)


@login_required
@require_GET
def results_codebook_pdf(request: AuthedRequest, public_id: str) -> HttpResponse:
    survey = get_survey_for_results(request.user, public_id)
    context = {"survey": survey, "variables": exports.export_variables(survey_structure(survey))}
    services.survey_export_log(actor=request.user, survey=survey, fmt="codebook.pdf")
    html = render_to_string("surveys/codebook_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    _attachment(response, survey, "codebook.pdf")
    return response


@login_required
@require_POST
def results_publish(request: AuthedRequest, public_id: str) -> HttpResponse:
    survey = get_survey_for_results(request.user, public_id)
    choice = request.POST.get("published")
    if choice not in ("0", "1"):
        return _exports_page(request, survey, error=_("Choose whether to publish the results or withdraw them."))
    published = choice == "1"
    try:
        services.survey_results_publish(actor=request.user, survey=survey, published=published)
    except DomainError as error:
        return _exports_page(request, survey, error=error.message)
    messages.success(request, _("The results are public.") if published else _("The results are no longer public."))
    return redirect("surveys:results_exports", public_id=survey.public_id)


@require_GET
def results_public(request: HttpRequest, public_id: str) -> HttpResponse:
    survey = get_survey_with_public_results(public_id)
    table = cached_survey_results(survey)
    context = {"survey": survey, "table": table, "reports": published_reports(survey=survey), "chart": CHART}
    return render(request, "surveys/results_public.html", context)
