"""The screenshot use cases; each checks permission, changes state and audits (core.actions).

`mark_major_change(channel, what)` is what capture calls when a display name, profile
picture, cover image or bio changed: a screenshot is then due at once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.log import describe_actor
from kanalvakt.core.actions import action
from kanalvakt.core.notify import notify
from kanalvakt.organisation.access import SystemActor, person_of
from kanalvakt.organisation.roles import Role
from kanalvakt.screenshots import storage
from kanalvakt.screenshots.browser import CaptureResult
from kanalvakt.screenshots.models import MajorChange, Screenshot, ScreenshotFile, ScreenshotReminder
from kanalvakt.screenshots.signals import screenshot_stored
from kanalvakt.screenshots.uploads import PNG_MAGIC, CleanUpload


def _store_file(shot: Screenshot, role: str, data: bytes, content_type: str, size=(None, None)):
    name, digest = storage.store(data, content_type)
    return ScreenshotFile.objects.create(
        screenshot=shot,
        role=role,
        content_type=content_type,
        name=name,
        sha256=digest,
        size=len(data),
        width=size[0],
        height=size[1],
    )


def _announce(shot: Screenshot, files: list[ScreenshotFile]) -> None:
    transaction.on_commit(
        lambda: screenshot_stored.send(sender=Screenshot, screenshot=shot, files=files)
    )


def _png_size(data: bytes) -> tuple[int | None, int | None]:
    # Width and height sit at fixed offsets of a PNG's IHDR chunk.
    if data[:8] == PNG_MAGIC and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return None, None


@action("screenshots.capture", permission="screenshots.add_screenshot", target="channel")
def record_capture(
    ctx, channel, result: CaptureResult, *, kind: str, reason: str, item_ref: str = ""
) -> Screenshot:
    """Keep what an automatic capture brought back: files and metadata, or the failure."""
    _actor_id, actor_label = describe_actor(ctx.actor)
    ok = result.ok and result.png is not None
    shot = Screenshot.objects.create(
        channel=channel,
        kind=kind,
        source=Screenshot.Source.AUTOMATIC,
        # The system saw the page itself, so nobody needs to vouch for it.
        status=Screenshot.Status.ACCEPTED if ok else Screenshot.Status.FAILED,
        reason=reason[:500],
        url=result.url,
        final_url=result.final_url[:1000],
        item_ref=item_ref[:300],
        taken_at=datetime.fromtimestamp(result.started_at, tz=UTC)
        if result.started_at
        else timezone.now(),
        viewport_width=result.viewport[0] or None,
        viewport_height=result.viewport[1] or None,
        user_agent=result.user_agent[:500],
        http_status=result.http_status,
        truncated=result.truncated,
        failure=result.failure if not ok else "",
        failure_detail=(result.detail or "")[:500] if not ok else "",
        seconds=round(result.seconds, 3),
        taken_by=ctx.user,
        taken_by_label=actor_label,
        reviewed_by_label=actor_label if ok else "",
        reviewed_at=timezone.now() if ok else None,
    )
    files = []
    if ok:
        files.append(
            _store_file(
                shot, ScreenshotFile.Role.IMAGE, result.png, "image/png", _png_size(result.png)
            )
        )
        if result.pdf:
            files.append(_store_file(shot, ScreenshotFile.Role.PDF, result.pdf, "application/pdf"))
        _announce(shot, files)
    ctx.audit(
        shot,
        {
            "channel": channel.pk if channel else None,
            "url": result.url,
            "kind": kind,
            "reason": reason,
            "status": shot.status,
            "failure": shot.failure,
            "detail": shot.failure_detail,
            "sha256": {f.role: f.sha256 for f in files},
            "item_ref": item_ref,
        },
    )
    return shot


@action("screenshots.upload", permission="screenshots.add_screenshot", target="channel")
def upload_screenshot(
    ctx, channel, clean: CleanUpload, *, kind: str, note: str = "", url: str = ""
) -> Screenshot:
    """A screenshot a person took (when automation cannot see the page). It fulfils the
    duty once a communicator or the central office has accepted it."""
    _actor_id, actor_label = describe_actor(ctx.actor)
    shot = Screenshot.objects.create(
        channel=channel,
        kind=kind,
        source=Screenshot.Source.UPLOAD,
        status=Screenshot.Status.PENDING,
        reason=_("Uploaded by the person answering for the account"),
        url=url or channel.url,
        taken_by=ctx.user,
        taken_by_label=actor_label,
        note=note,
    )
    files = [
        _store_file(
            shot,
            ScreenshotFile.Role.IMAGE
            if clean.content_type != "application/pdf"
            else ScreenshotFile.Role.PDF,
            clean.data,
            clean.content_type,
            (clean.width, clean.height),
        )
    ]
    _announce(shot, files)
    ctx.audit(shot, {"channel": channel.pk, "sha256": files[0].sha256, "note": note})
    from kanalvakt.registry.actions import people_in_role

    notify(
        [*people_in_role(Role.COMMUNICATOR), *people_in_role(Role.CENTRAL_OFFICE)],
        _("Screenshot to review: %(name)s") % {"name": channel},
        "screenshots/email/upload_to_review.txt",
        {"channel": channel, "screenshot": shot, "uploader": actor_label},
    )
    return shot


@action("screenshots.review", permission="screenshots.accept_screenshot", target="screenshot")
def review_screenshot(ctx, screenshot: Screenshot, *, accept: bool, note: str = "") -> Screenshot:
    shot = Screenshot.objects.select_for_update().get(pk=screenshot.pk)
    if shot.status != Screenshot.Status.PENDING:
        raise ValidationError(_("This screenshot has already been reviewed."))
    if shot.taken_by_id and shot.taken_by_id == getattr(ctx.actor, "pk", None):
        # Four eyes: the person who took a screenshot does not vouch for it.
        raise ValidationError(_("Someone other than the uploader must review the screenshot."))
    if not accept and not note.strip():
        raise ValidationError(_("Say why the screenshot is rejected."))
    _actor_id, label = describe_actor(ctx.actor)
    shot.status = Screenshot.Status.ACCEPTED if accept else Screenshot.Status.REJECTED
    shot.reviewed_by = ctx.user
    shot.reviewed_by_label = label
    shot.reviewed_at = timezone.now()
    shot.review_note = note
    shot.save()
    ctx.audit(
        shot,
        {"accepted": accept, "note": note},
        action=("screenshots.accept" if accept else "screenshots.reject"),
    )
    if shot.taken_by_id and person_of(shot.taken_by):
        notify(
            [person_of(shot.taken_by)],
            (
                _("Your screenshot was accepted: %(name)s")
                if accept
                else _("Your screenshot was rejected: %(name)s")
            )
            % {"name": shot.channel},
            "screenshots/email/reviewed.txt",
            {"screenshot": shot, "accepted": accept},
        )
    return shot


@action("screenshots.major_change", permission="screenshots.add_screenshot", target="channel")
def note_major_change(ctx, channel, *, what: str, detail: str = "") -> MajorChange:
    change = MajorChange.objects.create(channel=channel, what=what[:200], detail=detail[:500])
    ctx.audit(channel, {"what": change.what, "detail": change.detail})
    return change


def mark_major_change(channel, what: str, detail: str = "") -> MajorChange:
    """For capture: the account's display name, profile picture, cover image or bio
    changed, so a screenshot is due at once (R7.7). The worker takes it on its next run."""
    return note_major_change(SystemActor("capture"), channel, what=what, detail=detail)


@action("screenshots.reminder", permission="screenshots.add_screenshot", target="channel")
def send_reminder(
    ctx, channel, *, kind: str, due_at, recipients, subject: str, template: str, context: dict
) -> ScreenshotReminder | None:
    """Send one reminder once per channel, kind and due date (a rerun sends nothing)."""
    addresses = sorted({p.email for p in recipients if getattr(p, "email", "")})
    reminder, created = ScreenshotReminder.objects.get_or_create(
        channel=channel, kind=kind, due_at=due_at, defaults={"recipients": ", ".join(addresses)}
    )
    ctx.audit(
        channel,
        {"kind": kind, "due_at": due_at, "recipients": addresses, "already_sent": not created},
    )
    if not created:
        return None
    notify(addresses, subject, template, {**context, "channel": channel, "due_at": due_at})
    return reminder
