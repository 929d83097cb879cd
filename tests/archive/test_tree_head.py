"""Signed tree heads: byte layout, Ed25519 keys on disk, RFC 3161 against `openssl ts`."""

import base64
import os
import shutil
import stat
import subprocess
import tempfile
import threading
from hashlib import sha256
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kanalvakt.archive.merkle import EMPTY_ROOT
from kanalvakt.archive.tree_head import (
    InsecureKeyFileError,
    SignedTreeHead,
    TimestampError,
    TreeHeadError,
    key_id_of,
    load_or_create_signing_key,
    load_public_key,
    load_signing_key,
    public_key_pem,
    sign_tree_head,
    signing_input,
    timestamp_tree_head,
    verify_tree_head,
    verify_tree_head_timestamp,
)

pytestmark = pytest.mark.req("R7.2")

# RFC 8032 section 7.1, TEST 1: a published key pair makes signatures reproducible.
RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
ROOT = bytes(range(32))


@pytest.fixture
def key():
    return Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET)


def test_signing_input_is_the_rfc6962_tree_head_structure(key):
    expected = (
        b"kanalvakt-tree-head-v1\n"
        + bytes([0, 1])  # version v1, signature_type tree_hash
        + (1_700_000_000_123).to_bytes(8, "big")
        + (12345).to_bytes(8, "big")
        + ROOT
    )
    assert signing_input(12345, ROOT, 1_700_000_000_123) == expected
    sth = sign_tree_head(key, 12345, ROOT, 1_700_000_000_123)
    assert sth.key_id == sha256(RFC8032_PUBLIC).digest() == key_id_of(key.public_key())
    key.public_key().verify(sth.signature, expected)  # raises if not signed over these bytes
    assert verify_tree_head(sth, key.public_key())


def test_serialisation_round_trips_and_is_canonical(key):
    sth = sign_tree_head(key, 3, ROOT, 1_700_000_000_000)
    text = sth.to_json()
    assert text.startswith(b'{"key_id":"') and b" " not in text
    assert SignedTreeHead.from_json(text) == sth
    assert sth.timestamp_datetime.isoformat() == "2023-11-14T22:13:20+00:00"


@pytest.mark.parametrize(
    "change",
    [
        {"size": 4},
        {"timestamp": 1_700_000_000_001},
        {"root_hash": EMPTY_ROOT.hex()},
        {"key_id": sha256(b"other key").hexdigest()},
    ],
)
def test_any_changed_field_breaks_the_signature(key, change):
    fields = sign_tree_head(key, 3, ROOT, 1_700_000_000_000).to_dict()
    fields.update(change)
    assert not verify_tree_head(SignedTreeHead.from_dict(fields), key.public_key())


def test_one_flipped_signature_bit_fails(key):
    sth = sign_tree_head(key, 3, ROOT)
    for bit in range(0, 512, 7):
        signature = bytearray(sth.signature)
        signature[bit // 8] ^= 1 << (bit % 8)
        forged = SignedTreeHead(
            sth.size, sth.root_hash, sth.timestamp, bytes(signature), sth.key_id
        )
        assert not verify_tree_head(forged, key.public_key()), bit


def test_another_key_does_not_verify(key):
    sth = sign_tree_head(key, 3, ROOT)
    assert not verify_tree_head(sth, Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"size": "3"},
        {"size": -1},
        {"size": True},
        {"root_hash": "00"},
        {"signature": "not base64!"},
        {"signature": base64.b64encode(b"short").decode()},
        {"extra": 1},
    ],
)
def test_malformed_tree_heads_are_refused(key, fields):
    good = sign_tree_head(key, 3, ROOT).to_dict()
    with pytest.raises(TreeHeadError):
        SignedTreeHead.from_dict({} if not fields else {**good, **fields})
    with pytest.raises(TreeHeadError):
        SignedTreeHead.from_json(b"{not json")


def test_signing_refuses_out_of_range_values(key):
    with pytest.raises(TreeHeadError):
        sign_tree_head(key, 2**64, ROOT)
    with pytest.raises(TreeHeadError):
        sign_tree_head(key, 1, b"short")


# --- key files ---------------------------------------------------------------------------


def test_key_is_created_private_once_and_reused(tmp_path, caplog):
    path = tmp_path / "keys" / "integrity.pem"
    old_umask = os.umask(0o022)
    try:
        created = load_or_create_signing_key(path)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "back it up" in caplog.text
    assert [p.name for p in path.parent.iterdir()] == ["integrity.pem"]  # no temp left
    again = load_or_create_signing_key(path)
    assert public_key_pem(again) == public_key_pem(created)
    sth = sign_tree_head(again, 1, ROOT)
    assert verify_tree_head(sth, load_public_key(public_key_pem(created)))


def test_group_readable_key_is_refused(tmp_path):
    path = tmp_path / "integrity.pem"
    load_or_create_signing_key(path)
    path.chmod(0o640)
    with pytest.raises(InsecureKeyFileError, match="chmod 600"):
        load_or_create_signing_key(path)


def test_missing_key_is_reported_to_load_signing_key(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_signing_key(tmp_path / "absent.pem")


def test_non_ed25519_or_garbage_key_is_refused(tmp_path):
    path = tmp_path / "integrity.pem"
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    path.chmod(0o600)
    with pytest.raises(TreeHeadError):
        load_signing_key(path)
    with pytest.raises(TreeHeadError):
        load_public_key(b"not a key")


# --- RFC 3161 against a local `openssl ts` TSA -----------------------------------------

TSA_CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/ca.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_test_ca(directory: Path) -> None:
    """A throw-away CA and a TSA certificate with the critical timeStamping EKU."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl(
        "req",
        "-x509",
        *ec,
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=Kanalvakt test TSA CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=directory,
    )
    openssl(
        "req",
        *ec,
        "-keyout",
        "tsa.key",
        "-out",
        "tsa.csr",
        "-subj",
        "/CN=Kanalvakt test TSA",
        cwd=directory,
    )
    (directory / "tsa.ext").write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=critical,timeStamping\n"
    )
    openssl(
        "x509",
        "-req",
        "-in",
        "tsa.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-set_serial",
        "2",
        "-days",
        "2",
        "-extfile",
        "tsa.ext",
        "-out",
        "tsa.crt",
        cwd=directory,
    )
    (directory / "serial").write_text("01\n")
    (directory / "tsa.cnf").write_text(TSA_CONFIG.format(dir=directory))


class LocalTsa:
    """`openssl ts -reply` behind a one-thread HTTP server on 127.0.0.1."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.mode = "reply"  # or "error" / "garbage" / "replay"
        self.last_reply = b""
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                query = self.rfile.read(int(self.headers["Content-Length"]))
                if tsa.mode == "error":
                    self.send_error(500, "TSA down")
                    return
                if tsa.mode == "garbage":
                    body = b"<html>maintenance</html>"
                else:
                    body = tsa.last_reply if tsa.mode == "replay" else tsa.reply(query)
                tsa.last_reply = body
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reply(self, query: bytes) -> bytes:
        (self.directory / "query.tsq").write_bytes(query)
        openssl(
            "ts",
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "query.tsq",
            "-out",
            "reply.tsr",
            cwd=self.directory,
        )
        return (self.directory / "reply.tsr").read_bytes()

    def root(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.directory / "ca.crt").read_bytes())


@pytest.fixture(scope="module")
def local_tsa():
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    directory = Path(tempfile.mkdtemp(prefix="kanalvakt-tsa-"))
    make_test_ca(directory)
    tsa = LocalTsa(directory)
    tsa.thread.start()
    yield tsa
    tsa.server.shutdown()
    tsa.server.server_close()
    shutil.rmtree(directory)


def test_tree_head_is_time_stamped_and_verified(local_tsa, key):
    local_tsa.mode = "reply"
    sth = sign_tree_head(key, 8, ROOT)
    token = timestamp_tree_head(sth, local_tsa.url)
    stamped_at = verify_tree_head_timestamp(sth, token, [local_tsa.root()])
    assert abs(stamped_at.timestamp() - sth.timestamp / 1000) < 120
    # openssl itself agrees that the token covers exactly the serialised head.
    (local_tsa.directory / "head.json").write_bytes(sth.to_json())
    (local_tsa.directory / "token.tsr").write_bytes(token)
    openssl(
        "ts",
        "-verify",
        "-in",
        "token.tsr",
        "-data",
        "head.json",
        "-CAfile",
        "ca.crt",
        "-untrusted",
        "tsa.crt",
        cwd=local_tsa.directory,
    )


def test_time_stamp_of_another_head_or_from_an_untrusted_root_fails(local_tsa, key):
    local_tsa.mode = "reply"
    sth = sign_tree_head(key, 8, ROOT)
    token = timestamp_tree_head(sth, local_tsa.url)
    other = sign_tree_head(key, 9, ROOT, sth.timestamp)
    with pytest.raises(TimestampError):
        verify_tree_head_timestamp(other, token, [local_tsa.root()])
    stranger = tempfile.mkdtemp(prefix="kanalvakt-ca-")
    try:
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        openssl("req", "-x509", *ec, "-keyout", "k", "-out", "c", "-subj", "/CN=x", cwd=stranger)
        stranger_root = x509.load_pem_x509_certificate((Path(stranger) / "c").read_bytes())
    finally:
        shutil.rmtree(stranger)
    with pytest.raises(TimestampError):
        verify_tree_head_timestamp(sth, token, [stranger_root])
    with pytest.raises(TimestampError):
        verify_tree_head_timestamp(sth, token[:-5] + b"\x00" * 5, [local_tsa.root()])


def test_failing_or_replaying_tsa_is_reported(local_tsa, key):
    local_tsa.mode = "error"
    with pytest.raises(TimestampError, match="failed"):
        timestamp_tree_head(sign_tree_head(key, 1, ROOT), local_tsa.url)
    local_tsa.mode = "garbage"
    with pytest.raises(TimestampError, match="did not answer with a time-stamp"):
        timestamp_tree_head(sign_tree_head(key, 1, ROOT), local_tsa.url)
    local_tsa.mode = "reply"
    timestamp_tree_head(sign_tree_head(key, 2, ROOT), local_tsa.url)
    local_tsa.mode = "replay"  # an old answer for another head must not be accepted
    with pytest.raises(TimestampError, match="other than this tree head"):
        timestamp_tree_head(sign_tree_head(key, 3, ROOT), local_tsa.url)
    # Even an old answer for this very head is refused: it carries another nonce.
    same_head = sign_tree_head(key, 4, ROOT)
    local_tsa.mode = "reply"
    timestamp_tree_head(same_head, local_tsa.url)
    local_tsa.mode = "replay"
    with pytest.raises(TimestampError, match="nonce"):
        timestamp_tree_head(same_head, local_tsa.url)
