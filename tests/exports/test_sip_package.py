# ruff: noqa: F811 - pytest fixtures imported from sip_helpers are used as arguments
"""The E-ARK SIP of a demo channel: schema-valid, eark-validator-valid, complete, and
every tampered file caught by the package's own check and by `archive verify-export`."""

import csv
import json
import subprocess

import pytest
from lxml import etree
from pypdf import PdfReader

from kanalvakt.archive.models import Item, ItemVersion
from kanalvakt.cli import main
from kanalvakt.exports.mets import METS_NS
from kanalvakt.exports.premis import PREMIS_NS
from kanalvakt.exports.sip import SCHEMAS_DIR
from kanalvakt.exports.sip_integrity import (
    CHECKSUM_MISMATCH,
    UNLISTED_FILE,
    VERSION_MISMATCH,
    verify_package,
)

from .sip_helpers import (  # noqa: F401 - fixtures
    EARK_WRAPPER,
    demo_channel,
    demo_period,
    eark_python,
    isolated_files,
    package,
)

pytestmark = pytest.mark.django_db
REP = "representations/rep1"
# eark-validator 1.1.3 faults no schema-valid SIP can avoid (docs/exports.md).
KNOWN_VALIDATOR_FAULTS = {"SIP14", "CSIP63"}


def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS_DIR / "validation.xsd")))


def ns(tag, namespace=METS_NS):
    return f"{{{namespace}}}{tag}"


@pytest.mark.req("R7.2")
def test_package_is_schema_valid_and_holds_every_item(package, demo_channel, demo_period):
    validator = schema()
    for name in ("METS.xml", f"{REP}/METS.xml", "metadata/preservation/premis.xml"):
        document = etree.parse(str(package / name))
        assert validator.validate(document), (name, list(validator.error_log)[:3])

    root = etree.parse(str(package / "METS.xml")).getroot()
    archivist = root.find(f"{ns('metsHdr')}/{ns('agent')}[@ROLE='ARCHIVIST']")
    assert archivist.findtext(ns("name")) == "Osby kommun"
    assert archivist.findtext(ns("note")) == "212000-0951"
    agreement = root.find(f"{ns('metsHdr')}/{ns('altRecordID')}")
    assert agreement.get("TYPE") == "SUBMISSIONAGREEMENT" and agreement.text

    items = Item.objects.filter(channel=demo_channel)
    lines = (package / f"{REP}/data/items/items.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(
        items.values_list("id", flat=True)
    )
    with open(package / f"{REP}/data/items/listing.csv", newline="") as listing:
        assert len(list(csv.DictReader(listing))) == items.count()
    versions = [
        json.loads(line)
        for line in (package / f"{REP}/data/items/versions.jsonl").read_text().splitlines()
    ]
    stored = dict(
        ItemVersion.objects.filter(item__channel=demo_channel).values_list("id", "raw_json")
    )
    assert {v["version_id"]: v["raw_json"] for v in versions} == stored  # original payloads

    threads = sorted((package / f"{REP}/data/threads").glob("*.pdf"))
    thread_keys = {root or pk for pk, root in items.values_list("pk", "root_id")}
    assert sorted(p.name for p in threads) == sorted(f"thread-{k}.pdf" for k in thread_keys)
    reader = PdfReader(threads[0])
    assert b"pdfaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert "Osby kommun" in reader.pages[0].extract_text()

    premis = etree.parse(str(package / "metadata/preservation/premis.xml")).getroot()
    event_types = [e.text for e in premis.iter(ns("eventType", PREMIS_NS))]
    assert event_types.count("capture") == len(stored)
    fixity = premis.find(
        f".//{ns('event', PREMIS_NS)}[{ns('eventType', PREMIS_NS)}='fixity check']"
    )
    assert fixity.findtext(f".//{ns('eventOutcome', PREMIS_NS)}") == "success"
    agent_names = [a.text for a in premis.iter(ns("agentName", PREMIS_NS))]
    assert "Osby kommun" in agent_names


@pytest.mark.req("R7.2")
def test_eark_validator_finds_only_its_known_faults(package):
    python = eark_python()
    result = subprocess.run(
        [str(python), str(EARK_WRAPPER), str(package)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)  # it exits 0 even when invalid: read the report
    assert report["structure"]["status"] == "WellFormed"
    structure_errors = [m for m in report["structure"]["messages"] if m["severity"] == "Error"]
    assert structure_errors == []
    assert report["metadata"]["schema_results"]["status"] == "VALID"
    errors = {
        m["rule_id"]
        for m in report["metadata"]["schematron_results"]["messages"]
        if m["severity"] == "Error"
    }
    assert errors <= KNOWN_VALIDATOR_FAULTS, errors


def run_verify_export(path, capsys):
    code = main(["archive", "verify-export", str(path)])
    return code, capsys.readouterr().out


def test_untouched_package_verifies(package, capsys):
    assert verify_package(package).ok
    code, out = run_verify_export(package, capsys)
    assert code == 0 and out.strip().endswith("OK")
    code, out = run_verify_export(package / "metadata/preservation/integrity", capsys)
    assert code == 0, out


def test_a_tampered_thread_pdf_is_caught(package, capsys):
    pdf = sorted((package / f"{REP}/data/threads").glob("*.pdf"))[0]
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))

    report = verify_package(package)
    assert [p.code for p in report.problems] == [CHECKSUM_MISMATCH]
    assert pdf.name in report.problems[0].message
    code, out = run_verify_export(package, capsys)
    assert code == 1
    assert "PROBLEM [checksum_mismatch]" in out and pdf.name in out


def test_a_rewritten_payload_is_caught_even_with_fixed_up_checksums(package, capsys):
    """Editing versions.jsonl and recomputing its METS checksum still fails: the
    version's bytes no longer hash to what the signed integrity log holds."""
    import hashlib

    versions = package / f"{REP}/data/items/versions.jsonl"
    lines = versions.read_text().splitlines()
    first = json.loads(lines[0])
    first["text"] += " (ändrad)"
    lines[0] = json.dumps(first, ensure_ascii=False)
    versions.write_text("\n".join(lines) + "\n")
    rep_mets = package / f"{REP}/METS.xml"
    document = etree.parse(str(rep_mets))
    for element in document.iter(ns("file")):
        if (
            element.find(ns("FLocat"))
            .get("{http://www.w3.org/1999/xlink}href")
            .endswith("versions.jsonl")
        ):
            element.set("CHECKSUM", hashlib.sha256(versions.read_bytes()).hexdigest())
    document.write(str(rep_mets), xml_declaration=True, encoding="utf-8")
    (package / "extra.txt").write_text("not in METS")

    codes = {p.code for p in verify_package(package).problems}
    assert VERSION_MISMATCH in codes  # the log ties the payload down
    assert CHECKSUM_MISMATCH in codes  # the representation METS changed
    assert UNLISTED_FILE in codes
    code, out = run_verify_export(package, capsys)
    assert code == 1 and "version_mismatch" in out
