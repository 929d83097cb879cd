"""Forwarding in the staff UI, and the public signed answer page (R3.3, R3.4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from kanalvakt.archive.models import Item
from kanalvakt.core.views_access import public, requires
from kanalvakt.dialog import forward_actions
from kanalvakt.dialog.actions import ANSWER, FORWARD, VIEW
from kanalvakt.dialog.forwarding import LinkInvalid, forward_for_token
from kanalvakt.dialog.models import ChannelDialogSettings, Forward
from kanalvakt.organisation import access
from kanalvakt.organisation.models import Person
from kanalvakt.registry.models import Channel


@requires(FORWARD)
def forward_form(request, item_pk):
    item = get_object_or_404(Item.objects.select_related("channel"), pk=item_pk)
    if not access.can(request.user, FORWARD, item):
        raise PermissionDenied(FORWARD)
    values = {"to_email": "", "message": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        person = Person.objects.filter(email__iexact=values["to_email"]).first()
        try:
            forward = forward_actions.forward_item(
                request.user,
                item,
                to_person=person,
                to_email=values["to_email"],
                message=values["message"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Forwarded to %(to)s.") % {"to": forward.to_email})
            return redirect("dialog:forward", pk=forward.pk)
    return render(request, "dialog/forward_form.html", {"item": item, "values": values})


@requires(VIEW)
def forward_list(request):
    forwards = (
        Forward.objects.filter(channel__in=access.visible_channels(request.user, VIEW))
        .exclude(state=Forward.State.CLOSED)
        .select_related("item", "channel")
        .order_by("sent_at", "pk")[:200]
    )
    return render(request, "dialog/forward_list.html", {"forwards": forwards})


def _forward_or_404(request, pk, permission=VIEW):
    forward = get_object_or_404(Forward.objects.select_related("item", "channel"), pk=pk)
    if not access.can(request.user, permission, forward):
        raise PermissionDenied(permission)
    return forward


@requires(VIEW)
def forward_detail(request, pk):
    forward = _forward_or_404(request, pk)
    return render(
        request,
        "dialog/forward.html",
        {"forward": forward, "can_close": access.can(request.user, ANSWER, forward)},
    )


@require_POST
@requires(ANSWER)
def forward_answer_in_ui(request, pk):
    """The receiver, when a Kanalvakt user, or the owner after a phone call records the answer."""
    forward = _forward_or_404(request, pk, ANSWER)
    try:
        forward_actions.answer_forward(
            request.user,
            forward,
            answer=request.POST.get("answer", ""),
            by_label=request.user.get_full_name() or request.user.get_username(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("dialog:forward", pk=pk)


@requires("registry.change_channel")
def channel_settings(request, channel_pk):
    channel = get_object_or_404(Channel, pk=channel_pk)
    if not access.can(request.user, "registry.change_channel", channel):
        raise PermissionDenied("registry.change_channel")
    current = ChannelDialogSettings.objects.filter(channel=channel).first()
    values = {
        "response_target": current.response_target if current else "",
        "signature_enabled": current.signature_enabled if current else False,
        "signature_template": current.signature_template if current else "",
    }
    if request.method == "POST":
        values = {
            "response_target": request.POST.get("response_target", ""),
            "signature_enabled": request.POST.get("signature_enabled") == "on",
            "signature_template": request.POST.get("signature_template", ""),
        }
        try:
            forward_actions.change_dialog_settings(request.user, channel, **values)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect("dialog:channel_settings", channel_pk=channel.pk)
    return render(request, "dialog/channel_settings.html", {"channel": channel, "values": values})


@require_POST
@requires(ANSWER)
def forward_close(request, pk):
    forward = _forward_or_404(request, pk, ANSWER)
    try:
        forward_actions.close_forward(request.user, forward)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("dialog:forward", pk=pk)


@public
@csrf_protect
def answer_by_link(request, token):
    """No login: the signed link is the authority, and it shows only its one item."""
    try:
        forward = forward_for_token(token)
    except LinkInvalid:
        return render(request, "dialog/answer_invalid.html", status=410)
    answer, name = "", ""
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        name = request.POST.get("name", "").strip()
        try:
            forward_actions.answer_forward(
                access.SystemActor("signed-link"),
                forward,
                answer=answer,
                by_label=name or forward.to_email,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return render(request, "dialog/answer_thanks.html", {"forward": forward})
    # The site-wide Referrer-Policy same-origin keeps the token from other sites; no-referrer
    # would make Chromium send "Origin: null" with the form, which CSRF protection refuses.
    return render(
        request, "dialog/answer.html", {"forward": forward, "answer": answer, "name": name}
    )
