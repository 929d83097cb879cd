"""Demo screenshots: one accepted screenshot per live account, so the demo's R7.7 duty is
met. The images are generated and say plainly that they are demo pictures."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from kanalvakt.registry.models import Channel
from kanalvakt.screenshots.actions import review_screenshot, upload_screenshot
from kanalvakt.screenshots.models import Screenshot
from kanalvakt.screenshots.uploads import clean_upload


def _picture(channel) -> bytes:
    image = Image.new("RGB", (1280, 720), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 1280, 90], fill=(11, 79, 108))
    draw.text((30, 30), f"{channel.platform.name}: {channel.display_name}", fill="white")
    draw.text((30, 140), f"{channel.url}", fill="black")
    draw.text((30, 200), "Demobild i Kanalvakt – inte en riktig skärmdump.", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def load(actor):
    reviewer = get_user_model().objects.get(username="sara")
    live = Channel.objects.filter(status__in=[Channel.Status.ACTIVE, Channel.Status.PAUSED])
    for channel in live.select_related("platform"):
        if Screenshot.objects.filter(channel=channel).exists():
            continue
        upload = SimpleUploadedFile("demo.png", _picture(channel), "image/png")
        shot = upload_screenshot(
            actor, channel, clean_upload(upload), kind=Screenshot.Kind.FIRST, note="Demo"
        )
        review_screenshot(reviewer, shot, accept=True, note="Demo")
