"""The public form for requesting public records (begäran om allmän handling).

No identity is asked (TF 2 kap. 18 §): only what is wanted and, if the requester wants
it by e-mail, an address. Plain HTML form, no script. Abuse is held off by CSRF, size
limits and a per-address rate limit in the cache; nothing about the requester is stored.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from kanalvakt.core.views_access import public
from kanalvakt.organisation.access import SystemActor
from kanalvakt.public.municipality import municipality_context
from kanalvakt.records import access_actions
from kanalvakt.records.access_models import AccessRequest

RECEIPT_SALT = "kanalvakt.records.access-receipt"
RECEIPT_MAX_AGE = 7 * 24 * 3600
DEFAULT_RATE_LIMIT = 10  # requests per address and window
RATE_WINDOW_SECONDS = 3600
FORM_ACTOR = SystemActor("public-form")


def _rate_key(request) -> str:
    from axes.helpers import get_client_ip_address  # the same address resolution as login

    address = get_client_ip_address(request) or "unknown"
    # Only a hash, and only in the cache for the window: the requester stays anonymous.
    return "access-form:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def rate_limited(request) -> bool:
    limit = getattr(settings, "ACCESS_REQUEST_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    key = _rate_key(request)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > limit


@public
@csrf_protect
def request_form(request):
    values = {"description": "", "record_refs": "", "contact_email": "", "delivery": "pickup"}
    errors: list[str] = []
    status = 200
    if request.method == "GET" and request.GET.get("handling", "").isdigit():
        # From a record page's link: the record's address, for the requester to check.
        values["record_refs"] = request.build_absolute_uri(
            reverse("archive_public:record", args=[int(request.GET["handling"][:12])])
        )
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        if rate_limited(request):
            errors.append(
                _("Too many requests from your address. Try again in an hour, or call us.")
            )
            status = 429
        else:
            try:
                created = access_actions.receive_request(
                    FORM_ACTOR, source=AccessRequest.Source.PUBLIC_FORM, **values
                )
            except ValidationError as error:
                errors += error.messages
                status = 400
            else:
                token = signing.dumps(created.pk, salt=RECEIPT_SALT)
                return redirect("records_public:receipt", token=token)
    context = {
        **municipality_context(),
        "values": values,
        "errors": errors,
        "max_description": access_actions.MAX_DESCRIPTION,
        "max_refs": access_actions.MAX_RECORD_REFS,
    }
    return render(request, "records/access_form.html", context, status=status)


@public
def receipt(request, token: str):
    """The receipt, reachable only through the signed link the form redirected to."""
    try:
        pk = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    created = AccessRequest.objects.filter(pk=pk).first()
    if created is None:
        raise Http404
    return render(
        request, "records/access_receipt.html", {**municipality_context(), "req": created}
    )
