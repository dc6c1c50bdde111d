"""The OpenID Connect authorisation code flow with PKCE, state and nonce, against one
organisation's provider, built on mozilla-django-oidc's backend (token request, JWKS lookup,
nonce check) with the checks it leaves out added: audience, issuer and a fixed algorithm.

Nothing here touches the database: `services.py` decides who, if anyone, is signed in."""

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]
from mozilla_django_oidc.utils import generate_code_challenge  # type: ignore[import-untyped]

from learning_reviews.single_sign_on.models import SignOnProvider

TIMEOUT_SECONDS = 10
# Clocks differ a little between servers; an ID token is used within seconds of being issued.
LEEWAY_SECONDS = 30
ALGORITHM = "RS256"  # what Microsoft Entra ID signs with; "none" and HMAC are never accepted
SCOPES = "openid email profile"


class ProviderUnreachable(Exception):
    """The provider did not answer, or answered with something that is not OpenID Connect."""


class InvalidToken(Exception):
    """The provider refused the code, or its ID token failed a check."""


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    jwks: str


@dataclass(frozen=True)
class Attempt:
    """What is kept in the session between sending a person away and their return."""

    state: str
    nonce: str
    code_verifier: str


def new_attempt() -> Attempt:
    return Attempt(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),
    )


def discover(provider: SignOnProvider) -> Endpoints:
    """The provider's endpoints from its discovery document, whose issuer must be ours."""
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
        if document["issuer"] != provider.issuer:
            raise ProviderUnreachable(f"{url} names another issuer: {document['issuer']!r}")
        return Endpoints(
            authorization=str(document["authorization_endpoint"]),
            token=str(document["token_endpoint"]),
            jwks=str(document["jwks_uri"]),
        )
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise ProviderUnreachable(f"{url}: {error}") from error


def authorisation_url(
    provider: SignOnProvider,
    endpoints: Endpoints,
    attempt: Attempt,
    *,
    redirect_uri: str,
    login_hint: str,
) -> str:
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPES,
        "state": attempt.state,
        "nonce": attempt.nonce,
        "code_challenge": generate_code_challenge(attempt.code_verifier, "S256"),
        "code_challenge_method": "S256",
        "login_hint": login_hint,
    }
    separator = "&" if "?" in endpoints.authorization else "?"
    return f"{endpoints.authorization}{separator}{urlencode(query)}"


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, set up from one organisation's provider instead of from
    settings. Never listed in AUTHENTICATION_BACKENDS: it only exchanges and checks tokens."""

    _SETTINGS: dict[str, Any] = {
        "OIDC_TIMEOUT": TIMEOUT_SECONDS,
        "OIDC_VERIFY_SSL": True,
        "OIDC_PROXY": None,
        "OIDC_TOKEN_USE_BASIC_AUTH": False,
        "OIDC_USE_NONCE": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
    }

    def __init__(self, provider: SignOnProvider, endpoints: Endpoints) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token
        self.OIDC_OP_USER_ENDPOINT = None
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    @classmethod
    def get_settings(cls, attr: str, *args: Any) -> Any:
        return cls._SETTINGS.get(attr, args[0] if args else None)

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        # The library checks the signature and expiry only; an ID token is also bound to its
        # issuer and to this client (OpenID Connect Core §3.1.3.7).
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[ALGORITHM],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.provider.client_id:
            raise SuspiciousOperation("ID token refused: issued to another party (azp)")
        return claims


def check_id_token(
    provider: SignOnProvider, endpoints: Endpoints, id_token: str, *, nonce: str
) -> dict[str, Any]:
    """The ID token's claims once its signature (from the provider's JWKS), issuer, audience,
    expiry and nonce have been checked."""
    try:
        claims: dict[str, Any] = ProviderBackend(provider, endpoints).verify_token(
            id_token, nonce=nonce
        )
        return claims
    except requests.RequestException as error:
        raise ProviderUnreachable(str(error)) from error
    except (SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError, TypeError) as error:
        raise InvalidToken(str(error)) from error


def claims_from_code(
    provider: SignOnProvider, attempt: Attempt, *, code: str, redirect_uri: str
) -> dict[str, Any]:
    """Exchange the code (with the PKCE verifier) for tokens; the checked ID token's claims."""
    endpoints = discover(provider)
    try:
        tokens = ProviderBackend(provider, endpoints).get_token(
            {
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": attempt.code_verifier,
            }
        )
    except requests.HTTPError as error:
        # The token endpoint answered, and refused (a used, expired or stolen code).
        raise InvalidToken(str(error)) from error
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnreachable(str(error)) from error
    id_token = tokens.get("id_token") if isinstance(tokens, dict) else None
    if not isinstance(id_token, str):
        raise InvalidToken("The token response carries no ID token.")
    return check_id_token(provider, endpoints, id_token, nonce=attempt.nonce)
