"""Run by test_no_plaintext.py in a fresh process with a file-based SQLite database (dev
settings, console e-mail, INFO logging to stderr): deposit, replace, reveal, fail to reveal.

Prints the superseded deposit's sealed bytes (ciphertext is not a secret) as
`OLD-SEALED <hex>` lines, so the test can check they are gone from the database file.
"""

import json
import os
import sys
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]  # tests/: factories, registry.helpers, custody.conftest


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.conf.dev")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)

    from factories import PersonFactory, UserFactory
    from kanalvakt.custody.actions import RevealFailed, deposit_credentials, reveal_credentials
    from kanalvakt.custody.models import Deposit
    from kanalvakt.organisation.roles import Role
    from registry.helpers import make_channel

    first, second = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    owner = UserFactory(roles=[Role.ACCOUNT_OWNER])
    PersonFactory(user=owner, email=owner.email)
    custodian = UserFactory(roles=[Role.CENTRAL_OFFICE])
    PersonFactory(user=custodian, email=custodian.email)
    channel = make_channel(responsible=owner.person)
    other = make_channel(responsible=owner.person)

    deposit_credentials(owner, channel, **first)
    old = Deposit.objects.get(channel=channel)
    for name in ("ciphertext", "wrapped_data_key"):
        print("OLD-SEALED", bytes(getattr(old, name)).hex())
    deposit_credentials(owner, channel, **second)
    deposit_credentials(owner, other, **second)

    revealed = reveal_credentials(custodian, channel, reason="Kontroll i testet")
    assert revealed.credentials.password == second["password"]
    # A failed reveal: the sealed document of `channel` copied onto `other`.
    current = Deposit.objects.get(channel=channel, superseded_at__isnull=True)
    Deposit.objects.filter(channel=other).update(ciphertext=current.ciphertext, nonce=current.nonce)
    try:
        reveal_credentials(custodian, other, reason="Kontroll i testet")
    except RevealFailed as exc:
        print("REVEAL-FAILED", exc.code)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print("SCENARIO-DONE")


if __name__ == "__main__":
    main()
