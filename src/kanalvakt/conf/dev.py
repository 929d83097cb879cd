"""Development and demo (`make run`): embedded SQLite, console e-mail, plain HTTP."""

from kanalvakt.conf.base import *  # noqa: F403
