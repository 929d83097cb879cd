"""``kanalvakt export sip``: an E-ARK SIP 2.1 / FGS Paketstruktur 2.0 package of a channel.

  <OUT>/METS.xml                                  root METS (agents, agreement, amdSec)
  <OUT>/metadata/preservation/premis.xml          PREMIS 3 (objects, events, agents)
  <OUT>/metadata/preservation/integrity/…         integrity export (format 1, no content)
  <OUT>/schemas/…                                 the XSDs the XML above uses
  <OUT>/representations/rep1/METS.xml             representation METS (every data file)
  <OUT>/representations/rep1/data/…               see sip_content

The package is written into a hidden sibling folder and renamed to OUT at the end, so a
failed or interrupted export leaves no half-written package (docs/decisions/0110).
"""

from __future__ import annotations

import importlib.metadata
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from kanalvakt.exports import sip_content
from kanalvakt.exports.mets import PackageInfo, write_representation_mets, write_root_mets
from kanalvakt.exports.premis import digest_event, fixity_event, write_premis
from kanalvakt.exports.sip_files import FileSet, remove_tree
from kanalvakt.exports.sip_integrity import INTEGRITY_DIR, write_integrity

REP = "rep1"
SCHEMAS_DIR = Path(__file__).parent / "schemas"
PACKAGE_SCHEMAS = (
    "mets.xsd",
    "xlink.xsd",
    "DILCISExtensionMETS.xsd",
    "DILCISExtensionSIPMETS.xsd",
    "premis.xsd",
)


class PackageError(ValueError):
    """Bad input for a package; the message is shown as is."""


@dataclass(frozen=True)
class SipRequest:
    channel_id: int
    start: date
    end: date  # inclusive
    out: Path
    creator_name: str = ""
    creator_org_number: str = ""
    submission_agreement: str = ""


def software_version() -> str:
    try:
        return importlib.metadata.version("kanalvakt")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def check_request(request: SipRequest):
    """The channel, or PackageError naming what is wrong with the request."""
    from kanalvakt.registry.models import Channel

    if request.start > request.end:
        raise PackageError(f"--from {request.start} is after --to {request.end}")
    channel = Channel.objects.filter(pk=request.channel_id).first()
    if channel is None:
        raise PackageError(f"no channel with id {request.channel_id}")
    out = request.out
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PackageError(f"{out} already exists and is not an empty folder")
    if not out.parent.is_dir():
        raise PackageError(f"the folder {out.parent} does not exist")
    return channel


def _lines(path: Path):
    with open(path, encoding="utf-8") as lines:
        yield from lines


def _records_events(channel, start, end):
    """Masking and disposal events from the records app, when it has them."""
    from kanalvakt.exports.sip_records_events import records_events

    yield from records_events(channel, start, end)


def write_sip(request: SipRequest) -> dict:
    """Write the package; return figures about it. Raises PackageError on bad input."""
    channel = check_request(request)
    start, end = _bounds(request.start, request.end)
    objid = f"kanalvakt-{channel.pk}-{request.start:%Y%m%d}-{request.end:%Y%m%d}-{uuid.uuid4()}"
    info = PackageInfo(
        objid=objid,
        label=f"{channel} {request.start}–{request.end}",
        creator_name=request.creator_name or settings.ARCHIVAL_CREATOR_NAME,
        creator_org_number=request.creator_org_number or settings.ARCHIVAL_CREATOR_ORG_NUMBER,
        submission_agreement=request.submission_agreement or settings.SUBMISSION_AGREEMENT,
        software_version=software_version(),
    )
    out = request.out.resolve()
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    scratch = Path(tempfile.mkdtemp(prefix="kanalvakt-sip-"))
    try:
        stats = _write(work, scratch, info, channel, start, end)
        if out.exists():
            out.rmdir()  # empty (checked above)
        os.replace(work, out)
    except BaseException:
        remove_tree(work)
        raise
    finally:
        remove_tree(scratch)
    return {"objid": objid, "path": str(out), **stats.__dict__}


def _write(work: Path, scratch: Path, info, channel, start, end):
    rep_root = work / "representations" / REP
    data = FileSet(rep_root, scratch / "rep.jsonl")
    stats = sip_content.ContentStats()
    sip_content.write_items(data, channel, start, end, info.creator_name, stats)
    capture_events = scratch / "capture-events.xml"
    with open(capture_events, "w", encoding="utf-8") as events_out:
        sip_content.write_versions(data, channel, start, end, stats, events_out)
    sip_content.write_media(data, channel, start, end, stats)
    sip_content.write_screenshots(data, channel, start, end, stats)
    data.close()

    package = FileSet(work, scratch / "root.jsonl")
    for name in PACKAGE_SCHEMAS:
        package.copy_file(f"schemas/{name}", SCHEMAS_DIR / name, "schemas", "application/xml")
    rep_mets = f"representations/{REP}/METS.xml"
    handle = package.open(rep_mets)
    write_representation_mets(handle, info, REP, data.entries())
    package.done(rep_mets, handle, "representations", "application/xml")

    premis_path = "metadata/preservation/premis.xml"
    handle = package.open(premis_path)
    events = _chain(
        _lines(capture_events),
        [fixity_event(stats.versions, stats.fixity_failures), digest_event(data.count)],
        _records_events(channel, start, end),
    )
    write_premis(handle, info, REP, data.entries(), events)
    package.done(premis_path, handle, "metadata", "application/xml")

    integrity = work / INTEGRITY_DIR
    write_integrity(integrity)
    for path in sorted(integrity.rglob("*")):
        if path.is_file():
            relative = path.relative_to(work).as_posix()
            mimetype = "text/plain" if path.suffix == ".pem" else "application/json"
            package.add_existing(relative, "metadata", mimetype)
    package.write_bytes(
        "documentation/README.txt",
        documentation_text(info, channel, start, end, stats).encode("utf-8"),
        "documentation",
        "text/plain",
    )
    package.close()

    entries = list(package.entries())  # a handful: schemas, premis, integrity, rep METS
    with open(work / "METS.xml", "wb") as root_mets:
        write_root_mets(
            root_mets,
            info,
            metadata=[e for e in entries if e.group == "metadata"],
            schemas=[e for e in entries if e.group == "schemas"],
            documentation=[e for e in entries if e.group == "documentation"],
            representations={REP: next(e for e in entries if e.group == "representations")},
        )
    return stats


def documentation_text(info, channel, start, end, stats) -> str:
    return f"""{info.label}
Package {info.objid}, written by Kanalvakt {info.software_version}.
Archival creator: {info.creator_name} ({info.creator_org_number}).
Submission agreement: {info.submission_agreement}.
Channel: {channel} ({channel.url}); items created {start.isoformat()} to {end.isoformat()}.

E-ARK SIP 2.1 / FGS Paketstruktur 2.0. METS.xml lists every file with its SHA-256.
representations/{REP}/data/items/items.jsonl   one item per line (normalised form)
representations/{REP}/data/items/versions.jsonl  every captured version, original payload
                                            in "raw_json" exactly as received
representations/{REP}/data/items/listing.csv   one row per item
representations/{REP}/data/threads/            one PDF/A-3b per thread
representations/{REP}/data/media/, screenshots/  attachments and account screenshots
metadata/preservation/premis.xml             PREMIS 3: capture, fixity, masking, disposal
metadata/preservation/integrity/             the signed integrity log (Merkle tree heads,
                                            Ed25519); check offline with
                                            `kanalvakt archive verify-export <package>`

Items: {stats.items}; versions: {stats.versions}; threads: {stats.threads};
media: {stats.media}; screenshots: {stats.screenshots}.
"""


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable
