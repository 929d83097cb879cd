from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from kanalvakt.core.views_access import public, requires
from kanalvakt.organisation.access import person_of, roles_of
from kanalvakt.organisation.roles import ROLE_DESCRIPTIONS


@requires("organisation.access_staff_ui")
def home(request):
    user = request.user
    roles = [{"name": r.value, "description": ROLE_DESCRIPTIONS[r]} for r in sorted(roles_of(user))]
    return render(
        request,
        "core/home.html",
        {
            "person": person_of(user),
            "display_name": user.get_full_name() or user.get_username(),
            "roles": roles,
        },
    )


@public
def healthz(request):
    """Liveness for monitoring: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
