"""Background work of custody: the weekly digest of flagged channels to the custodians."""

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from kanalvakt.core.notify import notify
from kanalvakt.custody.flags import flagged_channels
from kanalvakt.organisation.roles import Role


@task()
def send_flag_digest() -> int:
    """E-mail the central office every live channel whose credentials need attention
    (R6.2). Returns the number of channels listed; nothing is sent when none is flagged."""
    from kanalvakt.registry.actions import people_in_role

    with translation.override("sv"):  # the mail is Swedish whoever enqueued it
        rows = flagged_channels()
        if rows:
            notify(
                people_in_role(Role.CENTRAL_OFFICE),
                _("Accounts whose login details need attention: %(n)s") % {"n": len(rows)},
                "custody/email/flag_digest.txt",
                {"rows": rows},
            )
    return len(rows)
