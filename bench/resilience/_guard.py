"""R5: the tenant's own guard refuses every Management API request without a valid, sufficient token.

Tokens are obtained the way an attacker or a misconfigured client would hold them: real tokens
from the tenant's `/oauth/token` (for another API's audience, or for the Management API with too
few scopes), tokens signed with the tenant's key but expired or from another issuer, tokens signed
by another key, unsigned (`alg: none`), HMAC-signed with the tenant's public key (algorithm
confusion), tampered after signing, malformed, or absent. Each is sent over HTTPS to reads and
writes of every resource family. Refused means 401 (authentication) or 403 (missing scope); a
valid full token on the same routes is the control and must get through. Afterwards the tenant
must hold exactly what it held before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from auth0.management.types import ResourceServerScope
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.resilience._sandbox import Sandbox


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass(frozen=True)
class Probe:
    """One request with one kind of token, and the status it got."""

    case: str
    method: str
    path: str
    status: int

    @property
    def refused(self) -> bool:
        """401 or 403."""
        return self.status in (401, 403)


@dataclass
class GuardResult:
    """R5 over every case and route."""

    probes: list[Probe] = field(default_factory=list)
    control: list[int] = field(default_factory=list)
    """Statuses the valid full token got on the same routes (must all be 2xx)."""
    unchanged: bool = False

    @property
    def refused(self) -> int:
        """Probes refused."""
        return sum(p.refused for p in self.probes)

    @property
    def ok(self) -> bool:
        """Every probe refused, the control let through, the tenant unchanged."""
        control_ok = bool(self.control) and all(200 <= s < 300 for s in self.control)
        return self.refused == len(self.probes) and control_ok and self.unchanged

    def line(self) -> str:
        """The figures line `make stress` prints."""
        statuses = Counter(p.status for p in self.probes)
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        cases = len({p.case for p in self.probes})
        control = "passed" if self.control and all(200 <= s < 300 for s in self.control) else "FAILED"
        return (
            f"R5 tenant guard: refused {self.refused}/{len(self.probes)} requests "
            f"({cases} kinds of bad token x reads and writes; {shown}); valid-token control {control}; "
            f"tenant unchanged: {'yes' if self.unchanged else 'NO'}"
        )


class _Tokens:
    """Builds the bad tokens of each case against one tenant."""

    def __init__(self, sandbox: Sandbox, http: httpx.Client) -> None:
        self.sandbox = sandbox
        self.http = http
        tenant = sandbox.server.tenant
        self.audience = tenant.management_audience
        self.issuer = tenant.issuer
        self.key = tenant.signing_key

    def claims(self, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": f"{self.sandbox.server.bootstrap_client_id}@clients",
            "aud": self.audience,
            "iat": now,
            "exp": now + 600,
            "scope": "read:clients create:clients read:client_grants update:resource_servers "
            "delete:organizations",
            "gty": "client-credentials",
        }
        claims.update(changes)
        return claims

    def oauth(self, client_id: str, secret: str, audience: str, scope: str | None = None) -> str:
        body = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        body["audience"] = audience
        if scope:
            body["scope"] = scope
        response = self.http.post(f"https://{self.sandbox.server.domain}/oauth/token", json=body)
        response.raise_for_status()
        return str(response.json()["access_token"])

    def bootstrap(self, scope: str | None = None) -> str:
        server = self.sandbox.server
        secret = server.bootstrap_client_secret.get_secret_value()
        return self.oauth(server.bootstrap_client_id, secret, self.audience, scope)

    def other_key(self) -> str:
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return jwt.encode(self.claims(), other, algorithm="RS256", headers={"kid": self.key.kid})

    def hmac_with_public_key(self) -> str:
        public = self.key.jwks()["keys"][0]
        pem = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(public))
        assert isinstance(pem, rsa.RSAPublicKey)  # noqa: S101 - a JWKS of the tenant is always RSA
        secret = pem.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": self.key.kid}).encode())
        body = _b64(json.dumps(self.claims()).encode())
        signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{_b64(signature)}"

    def tampered(self) -> str:
        head, _, signature = self.bootstrap("read:client_grants").split(".")
        body = _b64(json.dumps(self.claims()).encode())  # scopes widened after signing
        return f"{head}.{body}.{signature}"

    def unsigned(self) -> str:
        head = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        return f"{head}.{_b64(json.dumps(self.claims()).encode())}."


def _setup(sandbox: Sandbox, tokens: _Tokens) -> tuple[dict[str, str], str, str]:
    """A probe API, organization and app (made as the bootstrap client); returns ids and a token."""
    with sandbox.management() as mgmt:
        api = mgmt.resource_servers.create(
            identifier="https://api.guard.test/probe",
            name="guard probe",
            scopes=[ResourceServerScope(value="read:x")],
        )
        org = mgmt.organizations.create(name="guard-probe")
        app = mgmt.clients.create(
            name="guard-app", app_type="non_interactive", grant_types=["client_credentials"]
        )
        mgmt.client_grants.create(
            client_id=str(app.client_id), audience=str(api.identifier), scope=["read:x"]
        )
        limited = mgmt.clients.create(
            name="guard-limited", app_type="non_interactive", grant_types=["client_credentials"]
        )
        mgmt.client_grants.create(
            client_id=str(limited.client_id), audience=tokens.audience, scope=["read:client_grants"]
        )
    other_audience = tokens.oauth(str(app.client_id), str(app.client_secret), str(api.identifier))
    limited_token = tokens.oauth(str(limited.client_id), str(limited.client_secret), tokens.audience)
    return {"api": str(api.id), "org": str(org.id)}, other_audience, limited_token


def _snapshot(sandbox: Sandbox) -> str:
    data = sandbox.server.tenant.dump()
    return json.dumps({k: v for k, v in data.items() if k != "domain"}, sort_keys=True, default=str)


def run_guard(sandbox: Sandbox) -> GuardResult:
    """R5: every bad token on reads and writes of every family; the control; the tenant unchanged."""
    sandbox.reset()
    sandbox.set_faults(None)
    result = GuardResult()
    with httpx.Client(verify=sandbox.server.ssl_context(), timeout=30) as http:
        tokens = _Tokens(sandbox, http)
        ids, other_audience, limited = _setup(sandbox, tokens)
        routes: list[tuple[str, str, dict[str, Any] | None]] = [
            ("GET", "clients", None),
            ("POST", "clients", {"name": "guard-intruder", "app_type": "non_interactive"}),
            ("GET", "client-grants", None),
            ("PATCH", f"resource-servers/{ids['api']}", {"name": "renamed by an intruder"}),
            ("DELETE", f"organizations/{ids['org']}", None),
        ]
        server = sandbox.server
        basic = base64.b64encode(
            f"{server.bootstrap_client_id}:{server.bootstrap_client_secret.get_secret_value()}".encode()
        ).decode()
        cases: dict[str, Callable[[], str | None]] = {
            "no token": lambda: None,
            "bearer scheme without a token": lambda: "Bearer",
            "client credentials instead of a token": lambda: f"Basic {basic}",
            "not a JWT": lambda: "Bearer not-a-jwt",
            "expired": lambda: "Bearer " + tokens.key.sign(tokens.claims(iat=1, exp=int(time.time()) - 60)),
            "another audience (real token of another API)": lambda: f"Bearer {other_audience}",
            "another issuer": lambda: "Bearer " + tokens.key.sign(tokens.claims(iss="https://evil.example/")),
            "signed by another key": lambda: f"Bearer {tokens.other_key()}",
            "unsigned (alg none)": lambda: f"Bearer {tokens.unsigned()}",
            "HS256 with the public key": lambda: f"Bearer {tokens.hmac_with_public_key()}",
            "tampered after signing": lambda: f"Bearer {tokens.tampered()}",
        }
        scoped: dict[str, Callable[[], str | None]] = {
            "bootstrap token without the scope": lambda: "Bearer " + tokens.bootstrap("read:client_grants"),
            "app granted read:client_grants only": lambda: f"Bearer {limited}",
        }
        before = _snapshot(sandbox)
        base = f"https://{server.domain}/api/v2/"
        for name, make in {**cases, **scoped}.items():
            for method, path, body in routes:
                if name in scoped and path == "client-grants":
                    continue  # that scope is granted: this route is the token's legitimate use
                header = make()
                headers = {"Authorization": header} if header is not None else {}
                response = http.request(method, base + path, json=body, headers=headers)
                result.probes.append(Probe(name, method, path, response.status_code))
        result.unchanged = _snapshot(sandbox) == before
        good = {"Authorization": f"Bearer {tokens.bootstrap()}"}
        for method, path in (
            ("GET", "clients"),
            ("GET", "client-grants"),
            ("GET", f"organizations/{ids['org']}"),
        ):
            result.control.append(http.request(method, base + path, headers=good).status_code)
    return result
