"""Who the municipality is. Osby's values are the defaults until settings say otherwise."""

from django.conf import settings

DEFAULTS = {
    "municipality_name": "Osby kommun",
    "municipality_website": "https://www.osby.se",
    "municipality_org_number": "",  # set KANALVAKT_MUNICIPALITY_ORG_NUMBER in settings
    "accessibility_email": "kommunen@osby.se",
}


def municipality_context() -> dict:
    return {
        key: getattr(settings, "KANALVAKT_" + key.upper(), value) for key, value in DEFAULTS.items()
    }
