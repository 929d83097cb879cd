"""Production: a real secret is required, HTTPS everywhere, no debug pages."""

from kanalvakt.conf import env
from kanalvakt.conf.base import *  # noqa: F403
from kanalvakt.conf.base import VAR_DIR

DEBUG = False
SECRET_KEY = env.secret_key(VAR_DIR, required=True)
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
WHITENOISE_USE_FINDERS = False
