"""Custody pages: overview, a channel's deposit (metadata and history), the deposit form and
the reveal. Every view declares its role permission; the channel-level check happens here
(to hide the page) and again in the action (which decides)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from kanalvakt.core.views_access import requires
from kanalvakt.custody import crypto
from kanalvakt.custody.actions import RevealFailed, deposit_credentials, reveal_credentials
from kanalvakt.custody.flags import custody_flags, flagged_channels
from kanalvakt.custody.forms import DepositForm, RevealForm
from kanalvakt.custody.models import Deposit
from kanalvakt.organisation import access
from kanalvakt.registry.models import Channel

VIEW, DEPOSIT, REVEAL = (
    "custody.view_deposit",
    "custody.deposit_credentials",
    "custody.reveal_credentials",
)
NO_STORE = "no-store, no-cache, must-revalidate, private, max-age=0"


def _channel(request, channel_id, permission) -> Channel:
    channel = get_object_or_404(
        Channel.objects.select_related("platform", "responsible", "org_unit"), pk=channel_id
    )
    if not access.can(request.user, permission, channel):
        raise PermissionDenied(permission)
    return channel


@requires(VIEW)
def overview(request):
    channels = (
        access.visible_channels(request.user, VIEW)
        .exclude(status=Channel.Status.REJECTED)
        .select_related("platform", "responsible")
    )
    only_flagged = request.GET.get("flaggade") == "1"
    deposits = {d.channel_id: d for d in Deposit.objects.current().filter(channel__in=channels)}
    open_channels = channels.exclude(status=Channel.Status.CLOSED)
    flags = dict(flagged_channels(open_channels))
    rows = [
        {"channel": c, "deposit": deposits.get(c.pk), "flags": flags.get(c, [])}
        for c in channels
        if not only_flagged or c in flags
    ]
    return render(
        request,
        "custody/overview.html",
        {"rows": rows, "only_flagged": only_flagged, "flagged_count": len(flags)},
    )


def _channel_page(request, channel, *, reveal_form=None, error="", status=200):
    history = list(channel.deposits.order_by("-version"))
    current = next((d for d in history if d.is_current), None)
    can_reveal = access.can(request.user, REVEAL, channel)
    context = {
        "channel": channel,
        "current": current,
        "history": history,
        "flags": custody_flags(channel, deposit=current),
        "can_deposit": access.can(request.user, DEPOSIT, channel),
        "can_reveal": can_reveal and current is not None and current.is_sealed,
        "reveal_form": reveal_form or RevealForm(),
        "error": error,
    }
    return render(request, "custody/channel.html", context, status=status)


@requires(VIEW)
def channel_page(request, channel_id):
    return _channel_page(request, _channel(request, channel_id, VIEW))


@requires(DEPOSIT)
@sensitive_post_parameters()
@sensitive_variables()
@never_cache
def deposit(request, channel_id):
    channel = _channel(request, channel_id, DEPOSIT)
    form = DepositForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = deposit_credentials(request.user, channel, **form.action_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        except crypto.CustodyError as exc:
            # Nothing was stored (the action rolled back); the operator must fix the key.
            form.add_error(
                None,
                _(
                    "The login details could not be encrypted, so nothing was saved: %(why)s. "
                    "Contact the system administrator."
                )
                % {"why": exc.code},
            )
        else:
            messages.success(
                request,
                _("The login details were deposited (version %(version)s).")
                % {"version": saved.version},
            )
            return redirect("custody:channel", channel_id=channel.pk)
    has_deposit = Deposit.objects.current().filter(channel=channel).exists()
    response = render(
        request,
        "custody/deposit_form.html",
        {"channel": channel, "form": form, "has_deposit": has_deposit},
        status=400 if request.method == "POST" else 200,
    )
    response["Cache-Control"] = NO_STORE
    return response


@requires(REVEAL)
@require_POST
@sensitive_post_parameters()
@sensitive_variables()
@never_cache
def reveal(request, channel_id):
    """The only way to see a deposit: a POST with a reason, answered once, never stored."""
    channel = _channel(request, channel_id, REVEAL)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _channel_page(request, channel, reveal_form=form, status=400)
    try:
        revealed = reveal_credentials(request.user, channel, reason=form.cleaned_data["reason"])
    except RevealFailed as exc:
        status = 503 if exc.code in {crypto.KeyUnavailable.code, "insecure_key_file"} else 409
        return _channel_page(request, channel, error=exc.user_message, status=status)
    except ValidationError as exc:
        return _channel_page(request, channel, error=" ".join(exc.messages), status=400)
    response = render(
        request,
        "custody/revealed.html",
        {
            "channel": channel,
            "credentials": revealed.credentials,
            "deposit": revealed.deposit,
            "reason": form.cleaned_data["reason"],
        },
    )
    response["Cache-Control"] = NO_STORE
    response["Pragma"] = "no-cache"
    response["Expires"] = "0"
    response["Referrer-Policy"] = "no-referrer"
    return response
