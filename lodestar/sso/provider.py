"""Our OpenID Connect provider for django-allauth: allauth's own, except for how an ID token
is trusted. allauth skips the signature when it fetched the token itself over TLS (the
specification allows it) and cannot read a token whose header names no key id. We always
check the signature against the keys the provider publishes, by key id when the token names
one, else against each published key; only public-key signatures count (never `none`, never
a shared-secret HMAC whose "secret" would be the public key)."""

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.urls import reverse

from lodestar.links import absolute

PROVIDER = "lodestar_oidc"
SIGNATURES = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]


class SignedTokensAdapter(OpenIDConnectOAuth2Adapter):
    def published_keys(self) -> list[jwt.PyJWK]:
        with get_adapter().get_requests_session() as session:
            answer = session.get(self.openid_config["jwks_uri"])
            answer.raise_for_status()
        try:
            return jwt.PyJWKSet.from_dict(answer.json()).keys
        except (ValueError, jwt.PyJWTError) as error:
            raise OAuth2Error("The provider's published keys cannot be read.") from error

    def _decode_id_token(self, app, id_token: str) -> dict:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as error:
            raise OAuth2Error("The ID token is not a signed token.") from error
        algorithm, key_id = header.get("alg"), header.get("kid")
        if algorithm not in SIGNATURES:
            raise OAuth2Error(f"The ID token is signed with {algorithm!r}, which is refused.")
        keys = [key for key in self.published_keys() if key_id in (None, key.key_id)]
        for key in keys:
            try:
                claims = jwt.decode(
                    id_token,
                    key=key.key,
                    algorithms=[algorithm],
                    audience=app.client_id,
                    issuer=self.openid_config["issuer"],
                    options={"require": REQUIRED_CLAIMS},
                )
            except jwt.InvalidSignatureError:
                continue  # another of the published keys may have signed it
            except jwt.PyJWTError as error:
                raise OAuth2Error(f"The ID token is refused: {error}.") from error
            jwtkit.verify_jti(claims)  # a token seen before is not taken twice
            return claims
        raise OAuth2Error("No key the provider publishes signed this ID token.")

    def get_callback_url(self, request, app) -> str:
        # From SITE_URL, like every link we hand out, never from the Host the request named.
        return absolute(reverse(f"{PROVIDER}_callback", kwargs={"provider_id": self.provider_id}))


class LodestarOIDCProvider(OpenIDConnectProvider):
    id = PROVIDER
    oauth2_adapter_class = SignedTokensAdapter


provider_classes = [LodestarOIDCProvider]
