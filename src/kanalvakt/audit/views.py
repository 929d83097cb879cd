from django.core.paginator import Paginator
from django.shortcuts import render

from kanalvakt.audit.models import AuditEvent
from kanalvakt.core.views_access import requires


@requires("audit.view_auditevent")
def events(request):
    query = AuditEvent.objects.order_by("-seq")
    action = request.GET.get("action", "").strip()
    if action:
        query = query.filter(action__startswith=action)
    page = Paginator(query, 50).get_page(request.GET.get("page"))
    return render(request, "audit/events.html", {"page": page, "action": action})
