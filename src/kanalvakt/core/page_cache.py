"""Public pages that are the same for every visitor, rendered once and served from cache.

The only per-visitor part of a public page is the language form's CSRF token, so a page is
rendered with a placeholder in its place and each response swaps in its visitor's token
(rendering the shell costs more than the rest of such a request). The caller's key must
change whenever what the page shows may change.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "kanalvakt-csrf-placeholder-4d1f0c"


def shared_page(request, template_name: str, key: str, seconds: int, context) -> HttpResponse:
    """``context`` is a callable: on a cache hit nothing of the page is computed."""
    key = f"page:{key}:{get_language()}:{request.path}"
    page = cache.get(key)
    if page is None:
        # A plain context (no request processors) so csrf_token can be the placeholder.
        page = get_template(template_name).render(
            {**context(), "request": request, "csrf_token": CSRF_PLACEHOLDER}
        )
        cache.set(key, page, seconds)
    return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))
