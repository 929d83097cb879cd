"""The registry's activation check "credentials deposited" (R6.2): an account goes live
only once its login details are in custody and open. Imported from CustodyConfig.ready();
registering under the same key replaces the registry's placeholder."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.custody.flags import current_deposit
from kanalvakt.registry.activation import CheckResult, activation_check


@activation_check("credentials")
def credentials_deposited(channel) -> CheckResult:
    deposit = current_deposit(channel)
    if deposit is None or not deposit.is_sealed:
        return CheckResult(
            "credentials",
            "R6.2",
            False,
            _("No login details are deposited with the central office."),
        )
    if deposit.failure_code:
        return CheckResult(
            "credentials",
            "R6.2",
            False,
            _("The deposited login details could not be opened. Deposit them again."),
        )
    return CheckResult(
        "credentials",
        "R6.2",
        True,
        _("Login details deposited on %(date)s by %(name)s.")
        % {
            "date": f"{timezone.localtime(deposit.deposited_at):%Y-%m-%d}",
            "name": deposit.deposited_by_label,
        },
    )
