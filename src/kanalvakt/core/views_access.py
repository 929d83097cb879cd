"""Every view declares what it needs: `requires(permission)` or `public`.

A test walks the URL configuration and fails on any view without a declaration.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from kanalvakt.organisation import access

PUBLIC = "public"


def requires(permission: str):
    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not access.holds(request.user, permission):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        wrapped.kanalvakt_permission = permission
        return wrapped

    return decorate


def public(view):
    view.kanalvakt_permission = PUBLIC
    return view
