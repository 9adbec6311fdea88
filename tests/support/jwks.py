"""An identity provider made in the test: signing keys (Ed25519, P-256, RSA), tokens signed with
them, and a JWKS endpoint on a loopback port whose answer the test changes at will (keys, a
status, any body, no answer at all) and which counts the fetches."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from tests.support.polling import TEST_EVENT_POLL
from tutopanda.settings import Settings, load_settings

ISSUER = "https://id.example.test"
AUDIENCE = "tutopanda-api"


def segment(value: dict[str, Any] | bytes) -> str:
    """A JWT segment: base64url without padding of a JSON object (or of raw bytes)."""
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signing_input(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{segment(header)}.{segment(claims)}"


def hand_made(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    """A token written by hand, with whatever header and signature a test wants."""
    return f"{signing_input(header, claims)}.{segment(signature)}"


def hs256_confusion(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """The classic confusion: `header` made HS256, "signed" with a public key as the secret."""
    confused = {**header, "alg": "HS256"}
    digest = hmac.new(secret, signing_input(confused, claims).encode(), hashlib.sha256).digest()
    return hand_made(confused, claims, digest)


@dataclass(frozen=True)
class SigningKey:
    """A private key, its `kid`, and the algorithm it signs with."""

    algorithm: str
    private: Any
    kid: str = field(default_factory=lambda: uuid.uuid4().hex)

    def jwk(self) -> dict[str, Any]:
        """The public half as a JWK, as a provider publishes it."""
        public = self.private.public_key()
        if self.algorithm == "EdDSA":
            document = OKPAlgorithm.to_jwk(public, as_dict=True)
        elif self.algorithm == "ES256":
            document = ECAlgorithm.to_jwk(public, as_dict=True)
        else:
            document = RSAAlgorithm.to_jwk(public, as_dict=True)
        return {**document, "kid": self.kid, "alg": self.algorithm, "use": "sig"}

    def token(
        self,
        subject: str = "provider-user-1",
        *,
        ttl: float = 900,
        header: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """A token of this key: `sub`, the issuer and audience, `iat` now and `exp` after `ttl`
        (each overridable by `claims`; a claim given as None is left out)."""
        now = int(time.time())
        payload = {
            "sub": subject,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + ttl,
            **claims,
        }
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(
            payload,
            self.private,
            algorithm=self.algorithm,
            headers={"kid": self.kid, **(header or {})},
        )


def new_key(algorithm: str) -> SigningKey:
    """A fresh key for EdDSA (Ed25519), ES256 (P-256) or RS256 (2048-bit RSA)."""
    private: Any
    if algorithm == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
    elif algorithm == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
    else:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(algorithm, private)


class JwksEndpoint:
    """What the endpoint answers next: a key set, or a status and a raw body; `fetches` counts."""

    def __init__(self) -> None:
        self.status = 200
        self.body = b'{"keys": []}'
        self.content_type = "application/json"
        self.delay = 0.0
        self.fetches = 0
        self._lock = threading.Lock()
        self.url = ""

    def publish(self, *keys: SigningKey | dict[str, Any]) -> None:
        """Answer 200 with these keys (JWK dicts are published as given)."""
        documents = [key.jwk() if isinstance(key, SigningKey) else key for key in keys]
        self.answer(200, json.dumps({"keys": documents}).encode())

    def answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        """Answer this status and raw body from now on."""
        with self._lock:
            self.status, self.body, self.content_type = status, body, content_type

    def _counted(self) -> tuple[int, bytes, str]:
        with self._lock:
            self.fetches += 1
            return self.status, self.body, self.content_type


@contextmanager
def jwks_endpoint() -> Iterator[JwksEndpoint]:
    """A JWKS endpoint on 127.0.0.1 (`endpoint.url`), served until the block ends."""
    endpoint = JwksEndpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body, content_type = endpoint._counted()
            if endpoint.delay:
                time.sleep(endpoint.delay)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests count the fetches."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}/api/auth/jwks"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def provider_settings(
    home: Path, jwks_url: str, issuer: str, audience: str, **extra: str
) -> Settings:
    """The API's settings with this identity provider and no development secret (`extra`
    settings by variable name), a home of its own and a short connect timeout."""
    return load_settings(
        {
            "TUTOPANDA_HOME": str(home / "home"),
            "TUTOPANDA_JWT_JWKS_URL": jwks_url,
            "TUTOPANDA_JWT_ISSUER": issuer,
            "TUTOPANDA_JWT_AUDIENCE": audience,
            "TUTOPANDA_CONNECT_TIMEOUT": "1",
            **extra,
            **TEST_EVENT_POLL,
        }
    )
