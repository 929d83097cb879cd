"""The one action layer: every use case checks permission, changes state and audits.

    @action("registry.channel.approve", permission="registry.approve_channel", target="channel")
    def approve(ctx, channel, *, comment):
        ...change...
        ctx.audit(channel, {"comment": comment})

Views, the API, the admin, the CLI and tasks all call `approve(actor, channel, comment=…)`.
The change and its audit event commit together or not at all; an action that returns
without auditing is refused, so no use case can forget it. A refused permission is
audited too (in its own transaction, since the action's is never opened).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kanalvakt.audit import log as audit_log
from kanalvakt.organisation import access

ACTIONS: dict[str, Callable] = {}


class ActionContext:
    def __init__(self, actor, name: str):
        self.actor = actor
        self.name = name
        self.events = []

    @property
    def actor_label(self) -> str:
        """The actor as the audit log names it, for snapshots kept on records."""
        return audit_log.describe_actor(self.actor)[1]

    @property
    def user(self):
        """The acting person, for "done by" fields; None for a system actor or anonymous."""
        return self.actor if audit_log.describe_actor(self.actor)[0] is not None else None

    def audit(self, obj=None, payload: dict | None = None, *, action: str | None = None):
        event = audit_log.record(self.actor, action or self.name, obj, payload)
        self.events.append(event)
        return event


def action(name: str, *, permission: str | None, target: str | None = None):
    """Declare a use case. `target` names the argument whose object the permission is
    checked against (object-level rules); None means a check on the role alone."""

    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def run(actor, *args, **kwargs):
            obj = None
            if target is not None:
                obj = signature.bind_partial(None, *args, **kwargs).arguments.get(target)
            if not access.can(actor, permission, obj):
                with transaction.atomic():
                    audit_log.record(actor, "access.denied", obj, {"action": name})
                raise PermissionDenied(permission)
            with transaction.atomic():
                ctx = ActionContext(actor, name)
                result = fn(ctx, *args, **kwargs)
                if not ctx.events:
                    raise RuntimeError(f"action {name} finished without an audit event")
            return result

        run.action_name = name
        run.permission = permission
        ACTIONS[name] = run
        return run

    return decorate
