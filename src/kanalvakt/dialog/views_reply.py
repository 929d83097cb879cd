"""Replying from Kanalvakt with the language check first (R3.5, R5.1), and the language
check as its own page for drafts written elsewhere."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kanalvakt.archive.models import Item
from kanalvakt.core.views_access import requires
from kanalvakt.dialog import actions
from kanalvakt.dialog.language_check import check_draft
from kanalvakt.dialog.models import ChannelDialogSettings, Reply
from kanalvakt.dialog.replies import signed
from kanalvakt.organisation import access

PLATFORM_CHOICES = ["facebook", "instagram", "x", "youtube", "mastodon", "bluesky", "linkedin"]


def language_advice(text: str, platform_key: str) -> list[dict]:
    from kanalvakt.moderation.detectors import screen

    return [asdict(a) for a in check_draft(text, platform_key, detectors=screen)]


@requires(actions.ANSWER)
def reply_form(request, item_pk):
    """POST "check" shows the advice and the signed text; POST "publish" publishes."""
    item = get_object_or_404(Item.objects.select_related("channel"), pk=item_pk)
    if not access.can(request.user, actions.ANSWER, item):
        raise PermissionDenied(actions.ANSWER)
    settings = ChannelDialogSettings.objects.filter(channel=item.channel).first()
    text = request.POST.get("text", "") if request.method == "POST" else ""
    person = access.person_of(request.user)
    first_name = person.name.split()[0] if person and person.name else ""
    preview = signed(text.strip(), settings, first_name) if text.strip() else ""
    advice = language_advice(preview, item.platform) if preview else []
    if request.method == "POST" and "publish" in request.POST:
        if any(a["severity"] == "error" for a in advice):
            messages.error(request, _("Fix the errors the language check found first."))
        else:
            try:
                row = actions.publish_reply(request.user, item, text=text, advice=advice)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if row.state == Reply.State.PUBLISHED:
                    messages.success(request, _("The reply is published."))
                elif row.state == Reply.State.MANUAL:
                    messages.warning(
                        request, _("There is no API connection: post the reply by hand.")
                    )
                else:
                    messages.error(
                        request, _("The platform refused the reply: %(e)s") % {"e": row.error}
                    )
                return redirect("dialog:reply", item_pk=item.pk)
    replies = Reply.objects.filter(item=item).order_by("-created_at")[:20]
    return render(
        request,
        "dialog/reply.html",
        {"item": item, "text": text, "preview": preview, "advice": advice, "replies": replies},
    )


@requires(actions.VIEW)
def language_check_page(request):
    text = request.POST.get("text", "") if request.method == "POST" else ""
    platform = request.POST.get("platform", "facebook")
    if platform not in PLATFORM_CHOICES:
        platform = "facebook"
    advice = language_advice(text, platform) if request.method == "POST" else None
    return render(
        request,
        "dialog/language_check.html",
        {"text": text, "platform": platform, "platforms": PLATFORM_CHOICES, "advice": advice},
    )
