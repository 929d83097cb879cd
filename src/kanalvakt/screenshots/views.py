"""Staff pages: the due/overdue overview, a channel's timeline with upload and review, a
side-by-side comparison, and the permission-checked file view (never MEDIA_URL)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.core.views_access import requires
from kanalvakt.organisation.access import can, holds
from kanalvakt.registry.models import Channel
from kanalvakt.screenshots import actions, schedule
from kanalvakt.screenshots.forms import ReviewForm, UploadForm
from kanalvakt.screenshots.models import Screenshot, ScreenshotFile
from kanalvakt.screenshots.uploads import clean_upload

# A stored file is shown as itself, never as a page of ours: no script, no plugins.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
SHOW_STATES = (schedule.ESCALATED, schedule.OVERDUE, schedule.DUE, schedule.DUE_SOON)


@requires("screenshots.view_screenshot")
def overview(request):
    now = timezone.now()
    show_all = request.GET.get("visa") == "alla"
    rows = [
        {"duty": d, "state": d.state(now), "label": d.state_label(now)} for d in schedule.duties()
    ]
    counts = {state: sum(1 for r in rows if r["state"] == state) for state in SHOW_STATES}
    pending = sum(1 for r in rows if r["duty"].pending_review)
    if not show_all:
        rows = [r for r in rows if r["state"] in SHOW_STATES or r["duty"].pending_review]
    summary = [(schedule.STATE_LABELS[s], counts[s], s) for s in SHOW_STATES]
    return render(
        request,
        "screenshots/overview.html",
        {"rows": rows, "summary": summary, "pending": pending, "show_all": show_all},
    )


def _channel(pk):
    return get_object_or_404(Channel.objects.select_related("platform", "responsible"), pk=pk)


@requires("screenshots.view_screenshot")
def channel_timeline(request, pk, upload_form=None):
    channel = _channel(pk)
    shots = list(channel.screenshots.prefetch_related("files"))
    comparable = [s for s in shots if s.image]
    return render(
        request,
        "screenshots/channel.html",
        {
            "channel": channel,
            "duty": schedule.duty_for(channel),
            "now": timezone.now(),
            "shots": shots,
            "comparable": comparable,
            "can_upload": can(request.user, "screenshots.add_screenshot", channel),
            "can_review": holds(request.user, "screenshots.accept_screenshot"),
            "upload_form": upload_form or UploadForm(),
            "review_form": ReviewForm(),
        },
    )


@requires("screenshots.view_screenshot")
def compare(request, pk):
    channel = _channel(pk)
    comparable = [s for s in channel.screenshots.prefetch_related("files") if s.image]
    by_id = {str(s.pk): s for s in comparable}
    left = by_id.get(request.GET.get("a", ""))
    right = by_id.get(request.GET.get("b", ""))
    if left is None or right is None:
        # Default: the newest against the one before it.
        right = right or (comparable[0] if comparable else None)
        left = left or next((s for s in comparable if s is not right), None)
    if left is not None and right is not None and left.taken_at > right.taken_at:
        left, right = right, left
    return render(
        request,
        "screenshots/compare.html",
        {"channel": channel, "comparable": comparable, "left": left, "right": right},
    )


@require_POST
@requires("screenshots.add_screenshot")
def upload(request, pk):
    channel = _channel(pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        duty = schedule.duty_for(channel)
        kind = duty.kind if duty and duty.due_at <= timezone.now() else Screenshot.Kind.MANUAL
        try:
            clean = clean_upload(form.cleaned_data["file"])
            actions.upload_screenshot(
                request.user, channel, clean, kind=kind, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, _("The screenshot was uploaded and waits for a communicator's review.")
            )
            return redirect("screenshots:channel", pk=channel.pk)
    return channel_timeline.__wrapped__(request, pk, upload_form=form)


@require_POST
@requires("screenshots.accept_screenshot")
def review(request, pk):
    shot = get_object_or_404(Screenshot.objects.select_related("channel"), pk=pk)
    form = ReviewForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    if form.is_valid():
        try:
            actions.review_screenshot(
                request.user, shot, accept=accept, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The screenshot was accepted.") if accept else _("The screenshot was rejected."),
            )
    if shot.channel_id is None:
        raise Http404
    return redirect("screenshots:channel", pk=shot.channel_id)


@requires("screenshots.view_screenshot")
def file(request, pk):
    stored = get_object_or_404(ScreenshotFile.objects.select_related("screenshot"), pk=pk)
    if not can(request.user, "screenshots.view_screenshot", stored.screenshot):
        raise PermissionDenied
    try:
        handle = default_storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    is_pdf = stored.content_type == "application/pdf"
    extension = stored.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=stored.content_type,
        as_attachment=is_pdf,
        filename=f"skarmdump-{stored.screenshot_id}-{stored.sha256[:12]}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, max-age=86400, immutable"  # content-addressed
    return response
