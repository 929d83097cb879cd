"""Single sign-on: an IdP login maps to the Kanalvakt user of the same e-mail address.

Users are not created from the IdP (OIDC_CREATE_USER = False): the central office decides
who has a role, so an unknown address is refused rather than given an empty account.
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class MunicipalOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or claims.get("preferred_username") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)
