"""Every environment variable Kanalvakt reads, in one place, each with its help text.

Settings modules call `config()` once; nothing else in the code reads os.environ for
configuration. `kanalvakt config` prints the reference generated from VARIABLES, so the
documentation cannot drift from the code.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Variable:
    name: str
    help: str
    default: str | None = None


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "DJANGO_SETTINGS_MODULE",
        "Settings profile: kanalvakt.conf.dev (default for the "
        "kanalvakt command), kanalvakt.conf.production or kanalvakt.conf.test.",
        "kanalvakt.conf.dev",
    ),
    Variable(
        "KANALVAKT_VAR_DIR",
        "Data directory: SQLite database, media, generated secret "
        "key, custody and signing keys. Must be writable.",
        "./var",
    ),
    Variable(
        "DATABASE_URL",
        "Database URL, e.g. postgres://user:pass@host:5432/kanalvakt. "
        "Empty: SQLite (WAL mode) at $KANALVAKT_VAR_DIR/kanalvakt.sqlite3.",
    ),
    Variable(
        "SECRET_KEY",
        "Django secret key. Required in production; in development one "
        "is generated on first start and kept in $KANALVAKT_VAR_DIR/secret_key (0600).",
    ),
    Variable(
        "ALLOWED_HOSTS", "Comma-separated host names the site answers to.", "127.0.0.1,localhost"
    ),
    Variable(
        "CSRF_TRUSTED_ORIGINS",
        "Comma-separated origins (https://kanalvakt.osby.se) trusted for CSRF behind a proxy.",
    ),
    Variable("KANALVAKT_DEBUG", "1 to show Django's debug pages. Never in production.", "0"),
    Variable(
        "KANALVAKT_SITE_URL",
        "Public base URL used in e-mails and signed links.",
        "http://127.0.0.1:8000",
    ),
    Variable(
        "KANALVAKT_MEDIA_ROOT",
        "Where captured media and screenshots are stored (local storage).",
        "$KANALVAKT_VAR_DIR/media",
    ),
    Variable(
        "KANALVAKT_STORAGE",
        "File storage: 'local' or 's3' (S3-compatible, via "
        "django-storages; then set the AWS_* variables).",
        "local",
    ),
    Variable("AWS_STORAGE_BUCKET_NAME", "S3 bucket for KANALVAKT_STORAGE=s3."),
    Variable("AWS_S3_ENDPOINT_URL", "S3 endpoint for KANALVAKT_STORAGE=s3 (MinIO, Ceph, …)."),
    Variable("AWS_ACCESS_KEY_ID", "S3 access key for KANALVAKT_STORAGE=s3."),
    Variable("AWS_SECRET_ACCESS_KEY", "S3 secret key for KANALVAKT_STORAGE=s3."),
    Variable(
        "EMAIL_URL",
        "Outgoing mail: smtp://user:pass@host:587?tls=1, or 'console' to "
        "print mails (development default).",
        "console",
    ),
    Variable("DEFAULT_FROM_EMAIL", "Sender address of notifications.", "kanalvakt@osby.se"),
    Variable(
        "KANALVAKT_TASKS_BACKEND",
        "Background tasks: 'db' (default, no broker) or 'rq' (Redis, set REDIS_URL).",
        "db",
    ),
    Variable("REDIS_URL", "Redis for KANALVAKT_TASKS_BACKEND=rq.", "redis://127.0.0.1:6379/0"),
    Variable(
        "OIDC_RP_CLIENT_ID",
        "OpenID Connect client id; setting it switches on single "
        "sign-on (Entra ID or another IdP).",
    ),
    Variable("OIDC_RP_CLIENT_SECRET", "OpenID Connect client secret."),
    Variable(
        "OIDC_OP_DISCOVERY_URL",
        "Base URL of the IdP (its "
        ".well-known/openid-configuration is not fetched at start; set the endpoints).",
    ),
    Variable("OIDC_OP_AUTHORIZATION_ENDPOINT", "IdP authorization endpoint."),
    Variable("OIDC_OP_TOKEN_ENDPOINT", "IdP token endpoint."),
    Variable("OIDC_OP_USER_ENDPOINT", "IdP userinfo endpoint."),
    Variable("OIDC_OP_JWKS_ENDPOINT", "IdP JWKS endpoint (RS256 signatures)."),
    Variable(
        "KANALVAKT_LOGIN_FAILURE_LIMIT", "Failed logins per user and address before a lockout.", "5"
    ),
    Variable(
        "KANALVAKT_LOGIN_COOLOFF_MINUTES", "Lockout length after too many failed logins.", "15"
    ),
    Variable(
        "KANALVAKT_CHROMIUM", "Browser used for screenshots and browser tests.", "/usr/bin/chromium"
    ),
    Variable(
        "KANALVAKT_REQUIREMENTS_COVERAGE",
        "The test run's clause coverage (build/requirements-coverage.json of the release), "
        "shown on the traceability page.",
        "build/requirements-coverage.json",
    ),
    Variable(
        "KANALVAKT_SCREENSHOT_INTERVAL_MONTHS",
        "Months between the screenshots of an account, counted from the last accepted one "
        "(R7.7: every six months).",
        "6",
    ),
    Variable(
        "KANALVAKT_CUSTODY_KEY_PROVIDER",
        "Where the key-encryption key of deposited credentials lives: 'file' (a key file, "
        "the embedded default) or 'vault' (HashiCorp Vault / OpenBao transit; set VAULT_*).",
        "file",
    ),
    Variable(
        "KANALVAKT_CUSTODY_KEY_FILE",
        "Key file for KANALVAKT_CUSTODY_KEY_PROVIDER=file, created 0600 on the first deposit. "
        "Back it up SEPARATELY from the database: without it the deposits cannot be opened.",
        "$KANALVAKT_VAR_DIR/custody.key",
    ),
    Variable("VAULT_ADDR", "Vault / OpenBao address, e.g. https://vault.osby.se:8200."),
    Variable(
        "VAULT_TOKEN",
        "Vault token allowed only encrypt, decrypt and rewrap on the transit key (see "
        "docs/decisions/0103). Never logged.",
    ),
    Variable("VAULT_TRANSIT_KEY", "Name of the transit key holding the KEK.", "kanalvakt"),
    Variable("VAULT_TRANSIT_MOUNT", "Mount point of the transit engine.", "transit"),
    Variable(
        "KANALVAKT_CREDENTIALS_MAX_AGE_MONTHS",
        "A credential deposit older than this many months is flagged as stale (R6.2).",
        "12",
    ),
    Variable(
        "KANALVAKT_META_APP_SECRET",
        "App secret of the Meta (Facebook/Instagram) app: checks the X-Hub-Signature-256 of "
        "every webhook delivery. Empty: Meta webhooks are refused.",
    ),
    Variable(
        "KANALVAKT_META_WEBHOOK_VERIFY_TOKEN",
        "The verify token entered in the Meta app's webhook settings (subscription handshake).",
    ),
    Variable(
        "KANALVAKT_SIGNING_KEY_FILE",
        "Ed25519 key signing the archive's integrity log tree heads, created 0600 on first "
        "use. Back it up SEPARATELY; its public key is published and shipped in exports.",
        "$KANALVAKT_VAR_DIR/archive-signing.pem",
    ),
    Variable(
        "KANALVAKT_TSA_URL",
        "Optional RFC 3161 time-stamping authority for signed tree heads. Empty: none.",
    ),
    Variable(
        "KANALVAKT_ARCHIVAL_CREATOR",
        "The archival creator (arkivbildare) named in e-archive packages.",
        "Osby kommun",
    ),
    Variable(
        "KANALVAKT_ARCHIVAL_CREATOR_ORG_NUMBER",
        "The archival creator's organisation number in e-archive packages.",
        "212000-0951",
    ),
    Variable(
        "KANALVAKT_SUBMISSION_AGREEMENT",
        "Reference of the submission agreement (leveransöverenskommelse) e-archive "
        "packages are delivered under.",
        "Osby kommun LÖ sociala medier",
    ),
    Variable(
        "KANALVAKT_CASE_NUMBER_PATTERN",
        "Regular expression a case number (diarienummer) must match when items are "
        "registered (R7.4). Osby: board prefix, year, serial number.",
        r"^(KS|BUN|MBN|SN|TN) \d{4}/\d{1,5}$",
    ),
    Variable(
        "KANALVAKT_CASE_NUMBER_EXAMPLE",
        "An example case number shown in forms and error messages.",
        "KS 2026/123",
    ),
    Variable(
        "KANALVAKT_REGISTRAR_EMAIL",
        "Where registrations are handed off by e-mail (PDF, JSON and XML attached). Empty: "
        "the people with the Registrator role.",
    ),
)

_BY_NAME = {v.name: v for v in VARIABLES}


def get(name: str) -> str | None:
    """The variable's value, or its documented default."""
    variable = _BY_NAME[name]  # KeyError: every variable must be declared above
    value = os.environ.get(name)
    if value is None or value == "":
        return variable.default
    return value


def get_bool(name: str) -> bool:
    return (get(name) or "").strip().lower() in {"1", "true", "yes", "on"}


def get_list(name: str) -> list[str]:
    return [part.strip() for part in (get(name) or "").split(",") if part.strip()]


def get_int(name: str) -> int:
    raw = get(name) or ""
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None


def var_dir() -> Path:
    """The data directory, created if needed; an unusable one stops start-up."""
    path = Path(get("KANALVAKT_VAR_DIR") or "./var").expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"KANALVAKT_VAR_DIR {path} is not writable ({exc.strerror}); "
            "set KANALVAKT_VAR_DIR to a writable directory."
        ) from None
    return path


def database(var: Path) -> dict:
    """Django DATABASES['default'] from DATABASE_URL, or embedded SQLite in WAL mode."""
    url = get("DATABASE_URL")
    if not url:
        return sqlite_database(var / "kanalvakt.sqlite3")
    import dj_database_url

    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL has an unsupported scheme {scheme!r}: use postgres://… or sqlite:///…"
        )
    try:
        parsed = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    if parsed["ENGINE"].endswith("sqlite3"):
        return sqlite_database(Path(parsed["NAME"]))
    if not parsed.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database (postgres://host/NAME).")
    return parsed


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Opening a connection costs about as much as serving a cached page; keep it.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # WAL lets the web server read while the worker writes; IMMEDIATE takes the
            # write lock at BEGIN so concurrent writers queue instead of failing mid-way.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def secret_key(var: Path, *, required: bool) -> str:
    """SECRET_KEY from the environment, else (not in production) a generated one kept 0600."""
    key = get("SECRET_KEY")
    if key:
        if required and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")):
            raise ImproperlyConfigured(
                "SECRET_KEY is too weak for production: use at least 50 random characters."
            )
        return key
    if required:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    path = var / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        path.chmod(0o600)
    return path.read_text().strip()


def email(url: str | None) -> dict:
    """Django e-mail settings from EMAIL_URL."""
    if not url or url == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:pass@host:587?tls=1 or be 'console'."
        )
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": parts.username or "",
        "EMAIL_HOST_PASSWORD": parts.password or "",
        "EMAIL_USE_TLS": query.get("tls") == "1",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_TIMEOUT": 20,
    }


def reference() -> str:
    """The configuration reference, as Markdown."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for v in VARIABLES:
        lines.append(f"| `{v.name}` | {('`' + v.default + '`') if v.default else ''} | {v.help} |")
    return "\n".join(lines)
