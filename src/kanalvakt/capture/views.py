"""Staff pages of capture: a channel's captured content ("Fångat innehåll") with its
connection state, and the connection form (where the owner deposits the access token)."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from kanalvakt.archive.models import CaptureError, Item
from kanalvakt.capture.actions import configure_connection, deposit_token
from kanalvakt.capture.models import ChannelConnection
from kanalvakt.core.views_access import requires
from kanalvakt.custody.crypto import CustodyError
from kanalvakt.organisation import access
from kanalvakt.registry.models import Channel

VIEW_ITEMS = "archive.view_item"
CHANGE = "capture.change_channelconnection"
PER_PAGE = 50


@requires(VIEW_ITEMS)
def channel_items(request, channel_id):
    channel = get_object_or_404(Channel.objects.select_related("platform"), pk=channel_id)
    if not access.can(request.user, VIEW_ITEMS, channel):
        raise PermissionDenied(VIEW_ITEMS)
    items = (
        Item.objects.filter(channel=channel)
        .select_related("parent", "root")
        .order_by("-created_on_platform_at", "-id")
    )
    kind = request.GET.get("typ", "")
    if kind in {"post", "comment", "reply", "direct_message"}:
        items = items.filter(kind=kind)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("sida"))
    connection = ChannelConnection.objects.filter(channel=channel).first()
    context = {
        "channel": channel,
        "page": page,
        "kind": kind,
        "connection": connection,
        "error_count": CaptureError.objects.filter(channel=channel).count(),
        "recent_errors": CaptureError.objects.filter(channel=channel)[:5],
        "can_change": access.can(request.user, CHANGE, channel),
    }
    return render(request, "capture/channel_items.html", context)


@requires(CHANGE)
@sensitive_post_parameters("token")
@never_cache
def connection_form(request, channel_id):
    from kanalvakt.capture.forms import ConnectionForm

    channel = get_object_or_404(Channel.objects.select_related("platform"), pk=channel_id)
    if not access.can(request.user, CHANGE, channel):
        raise PermissionDenied(CHANGE)
    connection = ChannelConnection.objects.filter(channel=channel).first()
    initial = {}
    if connection:
        initial = {
            "connector": connection.connector,
            "account_id": connection.account_id,
            "options": json.dumps(connection.options, ensure_ascii=False)
            if connection.options
            else "",
        }
    else:
        initial = {"connector": channel.platform.key}
    form = ConnectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            configure_connection(
                request.user,
                channel,
                connector=data["connector"],
                account_id=data["account_id"],
                options=data["options"],
            )
            if data["token"]:
                deposit_token(request.user, channel, token=data["token"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except CustodyError as exc:
            form.add_error(
                None,
                _("The token could not be encrypted, so it was not saved: %(why)s.")
                % {"why": exc.code},
            )
        else:
            messages.success(request, _("The connection was saved."))
            return redirect("capture:channel_items", channel_id=channel.pk)
    return render(
        request,
        "capture/connection_form.html",
        {"channel": channel, "form": form, "connection": connection},
        status=400 if request.method == "POST" else 200,
    )
