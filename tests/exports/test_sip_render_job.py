# ruff: noqa: F811 - pytest fixtures imported from sip_helpers are used as arguments
"""The nightly job renders recent thread PDFs ahead of a delivery, once per thread."""

import pytest

from kanalvakt.core.models import ScheduledJob
from kanalvakt.exports.tasks import render_recent_threads

from .sip_helpers import demo_channel, isolated_files  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_recent_threads_are_rendered_once(demo_channel):
    assert ScheduledJob.objects.filter(name="exports-render-threads").exists()
    assert render_recent_threads.call() > 0
    assert render_recent_threads.call() == 0  # unchanged threads are cache hits
