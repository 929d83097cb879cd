"""The secret document of one deposit, and how it becomes a sealed plaintext and back.

`Credentials` holds the values in memory only between a form and `crypto.seal`, or between
`crypto.open_sealed` and the page that shows them once. Its repr is redacted and it refuses
pickling, so it cannot end up in a log line, a cache, a session or a task queue by accident.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from kanalvakt.custody.crypto import MalformedSecret, Plaintext

DOCUMENT_VERSION = 1
# Generous limits: enough for any platform's codes and notes, small enough to refuse junk.
MAX_LENGTHS = {
    "login": 300,
    "password": 1000,
    "recovery": 5000,
    "second_factor_holder": 300,
    "notes": 5000,
}
MAX_ADMINS, MAX_ADMIN_LENGTH = 50, 200


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Credentials:
    login: str = ""
    password: str = ""
    recovery: str = ""  # two-factor recovery codes, as given
    second_factor_holder: str = ""  # which phone or person holds the second factor
    platform_admins: tuple[str, ...] = ()  # the admin users on the platform
    notes: str = ""

    def __repr__(self) -> str:
        return "<Credentials: redacted>"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("Credentials must not be pickled")

    @classmethod
    def build(
        cls,
        *,
        login="",
        password="",
        recovery="",
        second_factor_holder="",
        platform_admins=(),
        notes="",
    ) -> Credentials:
        """Normalise what a form or caller gives (trim, admins as a clean tuple). The
        password is kept exactly as typed: leading or trailing spaces may be part of it."""
        if isinstance(platform_admins, str):
            platform_admins = platform_admins.splitlines()
        admins = tuple(a.strip() for a in platform_admins if a and a.strip())
        return cls(
            login=(login or "").strip(),
            password=password or "",
            recovery=(recovery or "").strip(),
            second_factor_holder=(second_factor_holder or "").strip(),
            platform_admins=admins,
            notes=(notes or "").strip(),
        )

    def too_long(self) -> list[str]:
        """Names of the fields over their limit."""
        over = [name for name, limit in MAX_LENGTHS.items() if len(getattr(self, name)) > limit]
        if len(self.platform_admins) > MAX_ADMINS or any(
            len(a) > MAX_ADMIN_LENGTH for a in self.platform_admins
        ):
            over.append("platform_admins")
        return over

    def to_plaintext(self) -> Plaintext:
        doc = {"v": DOCUMENT_VERSION, **dataclasses.asdict(self)}
        doc["platform_admins"] = list(self.platform_admins)
        return Plaintext(json.dumps(doc, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def from_plaintext(cls, plaintext: Plaintext) -> Credentials:
        try:
            doc = json.loads(plaintext.reveal())
        except (ValueError, UnicodeDecodeError):
            raise MalformedSecret("the opened deposit is not a credentials document") from None
        if not isinstance(doc, dict) or doc.pop("v", None) != DOCUMENT_VERSION:
            raise MalformedSecret("the opened deposit has an unknown document version")
        names = {f.name for f in dataclasses.fields(cls)}
        if set(doc) != names:
            raise MalformedSecret("the opened deposit has missing or unknown fields")
        doc["platform_admins"] = tuple(doc["platform_admins"])
        return cls(**doc)
