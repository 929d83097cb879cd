"""`kanalvakt export erms`: a registered case as CITS ERMS XML, valid against the schema."""

from datetime import UTC, datetime

import pytest
from lxml import etree

from kanalvakt.archive.ingest import ingest
from kanalvakt.capture.types import CapturedItem
from kanalvakt.cli import main
from kanalvakt.exports.erms import ERMS_NS, SCHEMA
from kanalvakt.organisation.access import SystemActor
from kanalvakt.records.registration import register
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def case(settings, tmp_path):
    settings.ARCHIVE_SIGNING_KEY_FILE = tmp_path / "keys" / "archive-signing.pem"
    channel = make_channel(platform="facebook", handle="osbykommun.erms")
    ingest(channel, [CapturedItem(
        platform="facebook", external_id="1_1", kind="post", parent_external_id=None,
        root_external_id="1_1", author_external_id="9", author_display_name="Anna Andersson",
        author_is_owner=False, text="Hur går det med bygglovet på Storgatan 5?",
        created_at=T0, raw={"id": "1_1"},
    )], source="test")  # fmt: skip
    item = channel.items.get()
    return register(
        SystemActor("test"), items=[item], case_number="KS 2026/123",
        description="Fråga om bygglov",
    )  # fmt: skip


@pytest.mark.req("R7.4")
def test_a_case_is_exported_as_valid_erms(case, tmp_path, capsys):
    out = tmp_path / "case.xml"
    assert main(["export", "erms", "--case", "KS 2026/123", str(out)]) == 0, capsys.readouterr()
    document = etree.parse(str(out))
    assert etree.XMLSchema(etree.parse(str(SCHEMA))).validate(document)
    ns = {"e": ERMS_NS}
    assert document.findtext(".//e:aggregation/e:identification", namespaces=ns) == "KS 2026/123"
    assert document.findtext(".//e:control/e:identification", namespaces=ns) == "212000-0951"
    record = document.find(".//e:record", namespaces=ns)
    assert record.find("e:direction", ns).get("directionDefinition") == "incoming"
    assert "bygglovet" in record.findtext("e:description", namespaces=ns)


def test_unknown_case_and_existing_out_are_refused(case, tmp_path, capsys):
    assert main(["export", "erms", "--case", "KS 2026/999", str(tmp_path / "x.xml")]) == 2
    assert "no registration with case number 'KS 2026/999'" in capsys.readouterr().err
    out = tmp_path / "exists.xml"
    out.write_text("mine")
    assert main(["export", "erms", "--registration", str(case.pk), str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == "mine"
