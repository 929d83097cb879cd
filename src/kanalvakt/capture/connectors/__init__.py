"""Platform plugins: importing this package registers every connector (base.CONNECTORS)."""

from kanalvakt.capture.connectors import (  # noqa: F401 - registration by import
    bluesky,
    facebook,
    instagram,
    linkedin,
    mastodon,
    rss,
    x,
    youtube,
)
