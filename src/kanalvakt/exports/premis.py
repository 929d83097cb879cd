"""PREMIS 3 preservation metadata of a package, written incrementally.

Objects: the representation and each of its files (SHA-256, size, format). Events: one
capture per item version (when, by which route), the fixity check made while exporting
(every version re-hashed against the hash the integrity log covers), the message digest
calculation for the package's files, and the masking and disposal events the records app
holds for the package's items when those models exist. Agents: Kanalvakt and the
municipality (the archival creator, with its organisation number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from kanalvakt.exports.mets import PackageInfo
from kanalvakt.exports.sip_files import WrittenFile, now_iso

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SOFTWARE_AGENT = "kanalvakt"
ORGANISATION_AGENT = "archival-creator"


@dataclass(frozen=True)
class Event:
    identifier: str
    type: str  # from id.loc.gov/vocabulary/preservation/eventType
    when: str
    detail: str
    outcome: str = ""
    outcome_note: str = ""
    objects: tuple[tuple[str, str], ...] = ()  # (identifier type, value)
    agent: str = SOFTWARE_AGENT


# Written as text with escaping, not as lxml elements: a package has one capture event per
# item version, and building 100,000 small trees costs more than the rest of the PREMIS.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    return escape(_NOT_XML.sub("\ufffd", str(value)))


def _identifier(prefix: str, type_: str, value) -> str:
    return (
        f"<premis:{prefix}Identifier><premis:{prefix}IdentifierType>{_text(type_)}"
        f"</premis:{prefix}IdentifierType><premis:{prefix}IdentifierValue>{_text(value)}"
        f"</premis:{prefix}IdentifierValue></premis:{prefix}Identifier>"
    )


def _file_object(entry: WrittenFile, rep: str) -> str:
    return (
        '<premis:object xsi:type="premis:file">'
        + _identifier("object", "filepath", f"representations/{rep}/{entry.path}")
        + "<premis:objectCharacteristics><premis:fixity>"
        "<premis:messageDigestAlgorithm>SHA-256</premis:messageDigestAlgorithm>"
        f"<premis:messageDigest>{entry.sha256}</premis:messageDigest>"
        "<premis:messageDigestOriginator>Kanalvakt</premis:messageDigestOriginator>"
        f"</premis:fixity><premis:size>{entry.size}</premis:size><premis:format>"
        f"<premis:formatDesignation><premis:formatName>{_text(entry.mimetype)}"
        "</premis:formatName></premis:formatDesignation></premis:format>"
        "</premis:objectCharacteristics></premis:object>\n"
    )


def _event(event: Event) -> str:
    parts = [
        "<premis:event>",
        _identifier("event", "local", event.identifier),
        f"<premis:eventType>{_text(event.type)}</premis:eventType>",
        f"<premis:eventDateTime>{_text(event.when)}</premis:eventDateTime>",
        "<premis:eventDetailInformation><premis:eventDetail>"
        f"{_text(event.detail)}</premis:eventDetail></premis:eventDetailInformation>",
    ]
    if event.outcome:
        parts.append(
            f"<premis:eventOutcomeInformation><premis:eventOutcome>{_text(event.outcome)}"
            "</premis:eventOutcome>"
        )
        if event.outcome_note:
            parts.append(
                "<premis:eventOutcomeDetail><premis:eventOutcomeDetailNote>"
                f"{_text(event.outcome_note)}</premis:eventOutcomeDetailNote>"
                "</premis:eventOutcomeDetail>"
            )
        parts.append("</premis:eventOutcomeInformation>")
    parts.append(
        "<premis:linkingAgentIdentifier><premis:linkingAgentIdentifierType>local"
        "</premis:linkingAgentIdentifierType><premis:linkingAgentIdentifierValue>"
        f"{_text(event.agent)}</premis:linkingAgentIdentifierValue>"
        "</premis:linkingAgentIdentifier>"
    )
    for type_, value in event.objects:
        parts.append(
            "<premis:linkingObjectIdentifier><premis:linkingObjectIdentifierType>"
            f"{_text(type_)}</premis:linkingObjectIdentifierType>"
            f"<premis:linkingObjectIdentifierValue>{_text(value)}"
            "</premis:linkingObjectIdentifierValue></premis:linkingObjectIdentifier>"
        )
    parts.append("</premis:event>\n")
    return "".join(parts)


def _agent(identifier: str, name: str, type_: str, note: str = "") -> str:
    note_xml = f"<premis:agentNote>{_text(note)}</premis:agentNote>" if note else ""
    return (
        "<premis:agent>"
        + _identifier("agent", "local", identifier)
        + f"<premis:agentName>{_text(name)}</premis:agentName>"
        f"<premis:agentType>{_text(type_)}</premis:agentType>{note_xml}</premis:agent>\n"
    )


def write_premis(
    out, info: PackageInfo, rep: str, files: Iterable[WrittenFile], events: Iterable[Event]
) -> None:
    """``out``: a binary file object."""

    def write(text: str) -> None:
        out.write(text.encode("utf-8"))

    write(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<premis:premis xmlns:premis="{PREMIS_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{PREMIS_NS} ../../schemas/premis.xsd" version="3.0">\n'
        '<premis:object xsi:type="premis:representation">'
        + _identifier("object", "local", f"{info.objid}/{rep}")
        + "</premis:object>\n"
    )
    for entry in files:
        write(_file_object(entry, rep))
    for event in events:
        write(event if isinstance(event, str) else _event(event))
    write(_agent(SOFTWARE_AGENT, f"Kanalvakt {info.software_version}", "software"))
    write(
        _agent(
            ORGANISATION_AGENT,
            info.creator_name,
            "organization",
            f"Organisation number {info.creator_org_number}",
        )
    )
    write("</premis:premis>\n")


def capture_event(version_id: int, item_id: int, captured_at: str, source: str) -> str:
    """One capture per item version, as PREMIS text (written while versions are read)."""
    return _event(
        Event(
            f"capture-{version_id}",
            "capture",
            captured_at,
            f"Item {item_id} captured from the platform ({source})",
            "success",
            objects=(
                ("kanalvakt-item-version", str(version_id)),
                ("kanalvakt-item", str(item_id)),
            ),
        )
    )


def fixity_event(versions: int, failures: list[int]) -> Event:
    ok = not failures
    note = (
        f"{versions} item versions re-hashed with SHA-256; all match the hashes in the "
        "signed integrity log"
        if ok
        else f"{len(failures)} of {versions} item versions do not match their SHA-256: "
        + ", ".join(str(i) for i in failures[:50])
    )
    return Event(
        "fixity-check",
        "fixity check",
        now_iso(),
        "Item versions re-hashed while the package was written",
        "success" if ok else "failure",
        note,
        (("filepath", "data/items/versions.jsonl"),),
    )


def digest_event(file_count: int) -> Event:
    return Event(
        "message-digest-calculation",
        "message digest calculation",
        now_iso(),
        f"SHA-256 of each of the {file_count} files, taken while writing them",
        "success",
    )
