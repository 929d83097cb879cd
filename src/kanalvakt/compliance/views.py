from django.shortcuts import render

from kanalvakt.compliance.checks import CHECKS, Status
from kanalvakt.compliance.evaluate import channels_for_compliance, evaluate, summary
from kanalvakt.core.views_access import requires
from kanalvakt.organisation.access import person_of
from kanalvakt.organisation.models import OrgUnit
from kanalvakt.registry.models import Channel

ORDER = {Status.VIOLATION: 0, Status.WARNING: 1, Status.OK: 2, Status.NOT_APPLICABLE: 3}


def _render(request, queryset, template, extra=None):
    reports = evaluate(channels_for_compliance(queryset))
    wanted = request.GET.get("status", "")
    if wanted in {s.value for s in Status}:
        reports = [r for r in reports if r.worst == wanted]
    if request.GET.get("sort") == "worst":
        reports.sort(key=lambda r: (ORDER[r.worst], str(r.channel)))
    return render(
        request,
        template,
        {
            "reports": reports,
            "checks": list(CHECKS.values()),
            "summary": summary(reports),
            "status": wanted,
            "sort": request.GET.get("sort", ""),
            "statuses": list(Status),
            **(extra or {}),
        },
    )


@requires("compliance.view_compliance")
def overview(request):
    queryset = Channel.objects.exclude(status=Channel.Status.CLOSED)
    unit = request.GET.get("org_unit")
    if unit and unit.isdigit():
        queryset = queryset.filter(org_unit_id=int(unit))
    return _render(
        request,
        queryset,
        "compliance/overview.html",
        {"org_units": OrgUnit.objects.all(), "org_unit": unit or ""},
    )


@requires("registry.view_channel")
def my_accounts(request):
    person = person_of(request.user)
    queryset = (
        Channel.objects.answered_by(person).exclude(status=Channel.Status.CLOSED)
        if person
        else Channel.objects.none()
    )
    return _render(request, queryset, "compliance/my_accounts.html")


@requires("compliance.view_compliance")
def traceability_page(request):
    from kanalvakt.compliance.traceability import traceability

    rows, available = traceability()
    return render(request, "compliance/traceability.html", {"rows": rows, "available": available})


@requires("organisation.access_staff_ui")
def policy_documents(request):
    """The guideline and the documents it complements (R7.8), for everyone on staff; the
    central office adds documents here."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from kanalvakt.compliance.actions import add_policy_document
    from kanalvakt.compliance.forms import PolicyDocumentForm
    from kanalvakt.compliance.models import PolicyDocument
    from kanalvakt.core.guideline import guideline_text
    from kanalvakt.organisation.access import can

    may_add = can(request.user, "compliance.add_policydocument")
    form = PolicyDocumentForm(request.POST or None, request.FILES or None) if may_add else None
    if request.method == "POST" and form is not None and form.is_valid():
        add_policy_document(request.user, form=form)
        messages.success(request, _("The document is added."))
        return redirect("compliance:policies")
    return render(
        request,
        "compliance/policies.html",
        {"documents": PolicyDocument.objects.all(), "form": form, "guideline": guideline_text()},
    )


@requires("organisation.access_staff_ui")
def policy_document_file(request, pk):
    from django.http import FileResponse
    from django.shortcuts import get_object_or_404

    from kanalvakt.compliance.models import PolicyDocument

    document = get_object_or_404(PolicyDocument, pk=pk, file__gt="")
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
