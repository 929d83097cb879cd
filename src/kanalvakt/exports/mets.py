"""METS documents of an E-ARK SIP 2.1 / FGS Paketstruktur 2.0 package, written incrementally.

``lxml.etree.xmlfile`` writes the fileSec one ``<file>`` at a time from a manifest on disk,
so a representation of 100,000 files never exists as a tree in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from kanalvakt.exports.sip_files import WrittenFile, now_iso

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {None: METS_NS, "csip": CSIP_NS, "sip": SIP_NS, "xlink": XLINK_NS, "xsi": XSI_NS}
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
SCHEMA_LOCATION = (
    f"{METS_NS} schemas/mets.xsd {XLINK_NS} schemas/xlink.xsd "
    f"{CSIP_NS} schemas/DILCISExtensionMETS.xsd {SIP_NS} schemas/DILCISExtensionSIPMETS.xsd"
)
# There is no content information type for social media; CSIP says: OTHER + a name.
OTHER_CONTENT_TYPE = "Kanalvakt social media archive"


def m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def csip(tag: str) -> str:
    return f"{{{CSIP_NS}}}{tag}"


def xlink(tag: str) -> str:
    return f"{{{XLINK_NS}}}{tag}"


@dataclass(frozen=True)
class PackageInfo:
    objid: str  # also the package folder's name
    label: str
    creator_name: str  # the archival creator (arkivbildare)
    creator_org_number: str
    submission_agreement: str
    software_version: str
    created: str = ""

    def created_at(self) -> str:
        return self.created or now_iso()


def _content_type_attributes() -> dict:
    return {
        csip("CONTENTINFORMATIONTYPE"): "OTHER",
        csip("OTHERCONTENTINFORMATIONTYPE"): OTHER_CONTENT_TYPE,
    }


def _root_attributes(info: PackageInfo, objid: str, label: str) -> dict:
    return {
        f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION,
        "OBJID": objid,
        "LABEL": label,
        "TYPE": "Other",  # the content category vocabulary spells it so
        csip("OTHERTYPE"): "Social media",
        **_content_type_attributes(),
        "PROFILE": SIP_PROFILE,
    }


def _agent(role: str, type_: str, name: str, note: str | None = None, **extra) -> etree._Element:
    agent = etree.Element(m("agent"), ROLE=role, TYPE=type_, **extra)
    etree.SubElement(agent, m("name")).text = name
    if note is not None:
        note_type, text = note
        etree.SubElement(agent, m("note"), {csip("NOTETYPE"): note_type}).text = text
    return agent


def _header(info: PackageInfo, *, root: bool) -> etree._Element:
    created = info.created_at()
    header = etree.Element(
        m("metsHdr"),
        {
            "CREATEDATE": created,
            "LASTMODDATE": created,
            "RECORDSTATUS": "NEW",
            csip("OAISPACKAGETYPE"): "SIP",
        },
    )
    header.append(
        _agent(
            "CREATOR",
            "OTHER",
            "Kanalvakt",
            ("SOFTWARE VERSION", info.software_version),
            OTHERTYPE="SOFTWARE",
        )
    )
    if root:
        identification = ("IDENTIFICATIONCODE", info.creator_org_number)
        header.append(_agent("ARCHIVIST", "ORGANIZATION", info.creator_name, identification))
        header.append(
            _agent(
                "OTHER",
                "ORGANIZATION",
                info.creator_name,
                identification,
                OTHERROLE="SUBMITTER",
            )
        )
        agreement = etree.SubElement(header, m("altRecordID"), TYPE="SUBMISSIONAGREEMENT")
        agreement.text = info.submission_agreement
    return header


def _file_element(entry: WrittenFile, file_id: str, href: str) -> etree._Element:
    element = etree.Element(
        m("file"),
        ID=file_id,
        MIMETYPE=entry.mimetype,
        SIZE=str(entry.size),
        CREATED=entry.created,
        CHECKSUM=entry.sha256,
        CHECKSUMTYPE="SHA-256",
    )
    etree.SubElement(
        element,
        m("FLocat"),
        {"LOCTYPE": "URL", xlink("type"): "simple", xlink("href"): href},
    )
    return element


def write_representation_mets(out, info: PackageInfo, rep: str, entries) -> None:
    """``out``: a binary file object; ``entries``: the representation's WrittenFiles."""
    group_id = f"ID-{rep}-data"
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration(standalone=True)
        attributes = _root_attributes(info, f"{info.objid}-{rep}", f"{info.label} ({rep})")
        with xf.element(m("mets"), attributes, nsmap=NSMAP):
            xf.write(_header(info, root=False))
            with (
                xf.element(m("fileSec"), ID=f"ID-{rep}-fileSec"),
                xf.element(
                    m("fileGrp"), {"ID": group_id, "USE": "Data", **_content_type_attributes()}
                ),
            ):
                for number, entry in enumerate(entries, 1):
                    xf.write(_file_element(entry, f"ID-{rep}-file-{number}", entry.path))
            struct = etree.Element(m("structMap"), TYPE="PHYSICAL", LABEL="CSIP", ID=f"ID-{rep}-sm")
            top = etree.SubElement(struct, m("div"), ID=f"ID-{rep}-div", LABEL=rep)
            data = etree.SubElement(top, m("div"), ID=f"ID-{rep}-div-data", LABEL="Data")
            etree.SubElement(data, m("fptr"), FILEID=group_id)
            xf.write(struct)


def write_root_mets(
    out, info: PackageInfo, *, metadata, schemas, documentation, representations
) -> None:
    """The package's METS.xml.

    ``metadata``: WrittenFiles below metadata/ (referenced from amdSec/digiprovMD);
    ``schemas``, ``documentation``: WrittenFiles below schemas/ and documentation/;
    ``representations``: {name: WrittenFile of its METS.xml}.
    """
    root = etree.Element(m("mets"), _root_attributes(info, info.objid, info.label), nsmap=NSMAP)
    root.append(_header(info, root=True))
    amd = etree.SubElement(root, m("amdSec"), ID="ID-amdSec")
    md_ids = []
    for number, entry in enumerate(metadata, 1):
        md_id = f"ID-digiprov-{number}"
        md_ids.append(md_id)
        digiprov = etree.SubElement(amd, m("digiprovMD"), ID=md_id, STATUS="CURRENT")
        kind = (
            {"MDTYPE": "PREMIS"}
            if entry.path.endswith("premis.xml")
            else {"MDTYPE": "OTHER", "OTHERMDTYPE": "Kanalvakt integrity export"}
        )
        etree.SubElement(
            digiprov,
            m("mdRef"),
            {
                "LOCTYPE": "URL",
                xlink("type"): "simple",
                xlink("href"): entry.path,
                **kind,
                "MIMETYPE": entry.mimetype,
                "SIZE": str(entry.size),
                "CREATED": entry.created,
                "CHECKSUM": entry.sha256,
                "CHECKSUMTYPE": "SHA-256",
            },
        )
    file_sec = etree.SubElement(root, m("fileSec"), ID="ID-fileSec")
    schema_group = etree.SubElement(
        file_sec,
        m("fileGrp"),
        {"ID": "ID-fileGrp-schemas", "USE": "Schemas", **_content_type_attributes()},
    )
    for number, entry in enumerate(schemas, 1):
        schema_group.append(_file_element(entry, f"ID-schema-{number}", entry.path))
    documentation_group = etree.SubElement(
        file_sec,
        m("fileGrp"),
        {"ID": "ID-fileGrp-documentation", "USE": "Documentation", **_content_type_attributes()},
    )
    for number, entry in enumerate(documentation, 1):
        documentation_group.append(_file_element(entry, f"ID-documentation-{number}", entry.path))
    for name, entry in representations.items():
        group = etree.SubElement(
            file_sec,
            m("fileGrp"),
            {
                "ID": f"ID-fileGrp-{name}",
                "USE": f"Representations/{name}",
                **_content_type_attributes(),
            },
        )
        group.append(_file_element(entry, f"ID-{name}-mets", entry.path))
    struct = etree.SubElement(root, m("structMap"), TYPE="PHYSICAL", LABEL="CSIP", ID="ID-sm")
    top = etree.SubElement(struct, m("div"), ID="ID-div", LABEL=info.objid)
    etree.SubElement(top, m("div"), ID="ID-div-metadata", LABEL="Metadata", ADMID=" ".join(md_ids))
    schemas_div = etree.SubElement(top, m("div"), ID="ID-div-schemas", LABEL="Schemas")
    etree.SubElement(schemas_div, m("fptr"), FILEID="ID-fileGrp-schemas")
    documentation_div = etree.SubElement(
        top, m("div"), ID="ID-div-documentation", LABEL="Documentation"
    )
    etree.SubElement(documentation_div, m("fptr"), FILEID="ID-fileGrp-documentation")
    # eark-validator 1.1.3 wants a "Representations" division pointing to the file groups,
    # with one "Representations/<name>" division per representation inside it.
    representations_div = etree.SubElement(
        top, m("div"), ID="ID-div-representations", LABEL="Representations"
    )
    for name in representations:
        etree.SubElement(representations_div, m("fptr"), FILEID=f"ID-fileGrp-{name}")
    for name, entry in representations.items():
        rep_div = etree.SubElement(
            representations_div, m("div"), ID=f"ID-div-{name}", LABEL=f"Representations/{name}"
        )
        etree.SubElement(
            rep_div,
            m("mptr"),
            {
                "LOCTYPE": "URL",
                xlink("type"): "simple",
                xlink("href"): entry.path,
                xlink("title"): f"ID-fileGrp-{name}",
            },
        )
    out.write(etree.tostring(root, xml_declaration=True, encoding="utf-8", standalone=True))
