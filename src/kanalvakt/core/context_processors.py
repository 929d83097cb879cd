from django.conf import settings

from kanalvakt.core.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"staff_menu": [], "oidc_enabled": settings.OIDC_ENABLED}
    return {"staff_menu": menu_for(user, request.path), "oidc_enabled": settings.OIDC_ENABLED}
