"""The 'captured content' page (escaped, permission-checked), the connection form, and the
import command's counts on the recorded export fixtures."""

import io
from contextlib import redirect_stdout
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item
from kanalvakt.capture.types import CapturedItem
from kanalvakt.cli import build_parser
from kanalvakt.organisation.roles import Role
from registry.helpers import make_channel

from .helpers import FIXTURES

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def hostile_item(external_id="h1"):
    return CapturedItem(
        platform="facebook",
        external_id=external_id,
        kind="post",
        parent_external_id=None,
        root_external_id=external_id,
        author_external_id="u1",
        author_display_name="<b>Mallory</b>",
        author_is_owner=False,
        text=HOSTILE,
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
        url="javascript:alert(1)",
        raw={"message": HOSTILE},
    )


def test_captured_content_is_always_escaped(client, make_user):
    channel = make_channel(platform="facebook", handle="osbykommun.test")
    ingest(channel, [hostile_item()], source="test")
    client.force_login(make_user(Role.COMMUNICATOR))
    response = client.get(reverse("capture:channel_items", args=[channel.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in body and "<b>Mallory</b>" not in body
    assert "&lt;script&gt;alert" in body and "javascript:" not in body


def test_an_owner_sees_own_channels_only(client, make_user):
    user = make_user(Role.ACCOUNT_OWNER)
    own = make_channel(platform="facebook", handle="own.channel", responsible=user.person)
    other = make_channel(platform="facebook", handle="other.channel")
    client.force_login(user)
    assert client.get(reverse("capture:channel_items", args=[own.pk])).status_code == 200
    assert client.get(reverse("capture:channel_items", args=[other.pk])).status_code == 403
    assert client.get(reverse("capture:connection", args=[other.pk])).status_code == 403
    manager = make_user(Role.MANAGER)
    client.force_login(manager)
    assert client.get(reverse("capture:channel_items", args=[own.pk])).status_code == 403


def test_the_owner_deposits_a_token_which_is_never_shown_again(
    client, make_user, settings, tmp_path
):
    settings.CUSTODY_KEY_FILE = tmp_path / "custody.key"
    user = make_user(Role.ACCOUNT_OWNER)
    channel = make_channel(platform="facebook", handle="own.channel", responsible=user.person)
    client.force_login(user)
    url = reverse("capture:connection", args=[channel.pk])
    response = client.post(
        url,
        {
            "connector": "facebook",
            "account_id": "104857600012345",
            "options": "",
            "token": "EAAB-top-secret",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("capture:channel_items", args=[channel.pk])).content.decode()
    form = client.get(url).content.decode()
    assert "EAAB-top-secret" not in page + form
    assert channel.connection.has_token and channel.connection.token_version == 1


def run_cli(*argv):
    args = build_parser().parse_args(list(argv))
    out = io.StringIO()
    with redirect_stdout(out):
        code = args.handler(args)
    return code, out.getvalue()


def test_import_x_archive_prints_counts_and_is_idempotent():
    channel = make_channel(platform="x", handle="milahu104")
    argv = ("import", "x-archive", str(FIXTURES / "x_archive"), "--channel", str(channel.pk))
    argv += ("--account-id", "1964312974236991488")
    code, output = run_cli(*argv)
    assert code == 0
    added = Item.objects.count()
    assert added > 0 and f"added {added}," in output
    code, again = run_cli(*argv)
    assert "added 0, updated 0" in again
    from kanalvakt.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="capture.import").count() == 2


def test_import_mastodon_archive_reports_skips_with_reasons():
    channel = make_channel(platform="mastodon", handle="mastodon.example/@osbykommun")
    code, output = run_cli(
        "import", "mastodon-archive", str(FIXTURES / "mastodon_archive"),
        "--channel", str(channel.pk), "--account-id", "109000",
    )  # fmt: skip
    assert code == 0 and "added" in output
    assert Item.objects.filter(channel=channel).exists(), output
