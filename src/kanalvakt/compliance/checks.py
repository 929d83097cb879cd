"""Compliance checks: each tied to a clause of the guideline, evaluated per channel.

Apps register checks with `@compliance_check(clause, key, title)`; a check receives the
channel (prefetched by `evaluate`) and a context dict filled in bulk by the functions
registered with `@compliance_preload` (so 200 channels cost a handful of queries, not
thousands), and returns a Finding. Checks read data, never change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise


class Status(StrEnum):
    OK = "ok"
    WARNING = "warning"
    VIOLATION = "violation"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Finding:
    status: Status
    detail: str
    fix_url: str = ""


@dataclass(frozen=True)
class Check:
    clause: str
    key: str
    title: str | Promise
    run: Callable


@dataclass
class CheckResult:
    clause: str
    key: str
    title: str
    status: Status
    detail: str
    fix_url: str = ""


@dataclass
class ChannelReport:
    channel: object
    results: list[CheckResult] = field(default_factory=list)

    @property
    def worst(self) -> Status:
        order = [Status.VIOLATION, Status.WARNING, Status.OK, Status.NOT_APPLICABLE]
        present = {r.status for r in self.results}
        return next((s for s in order if s in present), Status.NOT_APPLICABLE)


CHECKS: dict[str, Check] = {}
PRELOADS: list[Callable] = []


def compliance_check(clause: str, key: str, title):
    def register(fn):
        CHECKS[key] = Check(clause, key, title, fn)
        return fn

    return register


def compliance_preload(fn):
    """fn(channels: list) -> dict merged into the context every check receives."""
    PRELOADS.append(fn)
    return fn
