"""Settings shared by every profile. Values that vary come from kanalvakt.conf.env only."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kanalvakt.conf import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env.var_dir()

DEBUG = env.get_bool("KANALVAKT_DEBUG")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env.get("KANALVAKT_SITE_URL").rstrip("/")

DOMAIN_APPS = [
    "kanalvakt.core",
    "kanalvakt.audit",
    "kanalvakt.organisation",
    "kanalvakt.registry",
    "kanalvakt.custody",
    "kanalvakt.capture",
    "kanalvakt.archive",
    "kanalvakt.moderation",
    "kanalvakt.dialog",
    "kanalvakt.records",
    "kanalvakt.screenshots",
    "kanalvakt.exports",
    "kanalvakt.public",
    "kanalvakt.api",
    "kanalvakt.compliance",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kanalvakt.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kanalvakt.urls"
WSGI_APPLICATION = "kanalvakt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kanalvakt.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.database(VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SECRET_KEY = env.secret_key(VAR_DIR, required=False)

# Login: Django's own accounts, throttled by django-axes; OIDC added when configured.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = env.get_int("KANALVAKT_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = env.get_int("KANALVAKT_LOGIN_COOLOFF_MINUTES") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OIDC_RP_CLIENT_ID = env.get("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("kanalvakt.organisation.oidc.MunicipalOIDCBackend")
    OIDC_RP_CLIENT_SECRET = env.get("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.get("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.get("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.get("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.get("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it even before collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get("KANALVAKT_MEDIA_ROOT").replace("$KANALVAKT_VAR_DIR", str(VAR_DIR)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env.get("KANALVAKT_STORAGE") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.get("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.get("AWS_S3_ENDPOINT_URL"),
            "access_key": env.get("AWS_ACCESS_KEY_ID"),
            "secret_key": env.get("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
# Serve collected static files with WhiteNoise; in tests and dev finders are used directly.
WHITENOISE_USE_FINDERS = True

globals().update(env.email(env.get("EMAIL_URL")))
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if env.get("KANALVAKT_TASKS_BACKEND") == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env.get("REDIS_URL")}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

KANALVAKT_CHROMIUM = env.get("KANALVAKT_CHROMIUM")
KANALVAKT_REQUIREMENTS_COVERAGE = Path(env.get("KANALVAKT_REQUIREMENTS_COVERAGE"))
SCREENSHOT_INTERVAL_MONTHS = env.get_int("KANALVAKT_SCREENSHOT_INTERVAL_MONTHS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        name: {"level": "WARNING"} for name in ("django.db.backends", "weasyprint", "fontTools")
    },
}

# Custody of deposited credentials (R6.2, kanalvakt.custody.keys). The Vault token lives in
# a setting whose name Django's error reports already mask (…TOKEN).
CUSTODY_KEY_PROVIDER = env.get("KANALVAKT_CUSTODY_KEY_PROVIDER").strip().lower()
CUSTODY_KEY_FILE = Path(
    env.get("KANALVAKT_CUSTODY_KEY_FILE").replace("$KANALVAKT_VAR_DIR", str(VAR_DIR))
)
CUSTODY_VAULT_ADDR = env.get("VAULT_ADDR")
CUSTODY_VAULT_TOKEN = env.get("VAULT_TOKEN")
CUSTODY_VAULT_TRANSIT_KEY = env.get("VAULT_TRANSIT_KEY")
CUSTODY_VAULT_TRANSIT_MOUNT = env.get("VAULT_TRANSIT_MOUNT")
CUSTODY_MAX_AGE_MONTHS = env.get_int("KANALVAKT_CREDENTIALS_MAX_AGE_MONTHS")
_custody_problem = (
    "KANALVAKT_CUSTODY_KEY_PROVIDER must be 'file' or 'vault'."
    if CUSTODY_KEY_PROVIDER not in {"file", "vault"}
    else "KANALVAKT_CUSTODY_KEY_PROVIDER=vault needs VAULT_ADDR and VAULT_TOKEN."
    if CUSTODY_KEY_PROVIDER == "vault" and not (CUSTODY_VAULT_ADDR and CUSTODY_VAULT_TOKEN)
    else "KANALVAKT_CREDENTIALS_MAX_AGE_MONTHS must be at least 1."
    if CUSTODY_MAX_AGE_MONTHS < 1
    else ""
)
if _custody_problem:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(_custody_problem)

# Capture webhooks (kanalvakt.capture.webhooks): Meta signs deliveries with the app secret.
META_APP_SECRET = env.get("KANALVAKT_META_APP_SECRET") or ""
META_WEBHOOK_VERIFY_TOKEN = env.get("KANALVAKT_META_WEBHOOK_VERIFY_TOKEN") or ""

# Archive integrity log (kanalvakt.archive.integrity, docs/decisions/0102).
ARCHIVE_SIGNING_KEY_FILE = Path(
    env.get("KANALVAKT_SIGNING_KEY_FILE").replace("$KANALVAKT_VAR_DIR", str(VAR_DIR))
)
ARCHIVE_TSA_URL = env.get("KANALVAKT_TSA_URL") or ""

# E-archive packages (kanalvakt.exports.sip): who delivers them, under which agreement.
ARCHIVAL_CREATOR_NAME = env.get("KANALVAKT_ARCHIVAL_CREATOR")
ARCHIVAL_CREATOR_ORG_NUMBER = env.get("KANALVAKT_ARCHIVAL_CREATOR_ORG_NUMBER")
SUBMISSION_AGREEMENT = env.get("KANALVAKT_SUBMISSION_AGREEMENT")

# Registration (diarieföring, R7.4): the case-number format and the registrar's address.
RECORDS_CASE_NUMBER_PATTERN = env.get("KANALVAKT_CASE_NUMBER_PATTERN")
RECORDS_CASE_NUMBER_EXAMPLE = env.get("KANALVAKT_CASE_NUMBER_EXAMPLE")
RECORDS_REGISTRAR_EMAIL = env.get("KANALVAKT_REGISTRAR_EMAIL") or ""
