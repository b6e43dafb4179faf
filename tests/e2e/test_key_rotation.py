"""The two-key rotation of a private_key_jwt integration, measured: which token requests fail, per step.

On the real engine and the local tenant, an integration with `auth_method: private_key_jwt` starts
with one public key. A loop in a thread requests tokens all along, the way a consumer does (a client
assertion signed with a private key, `POST /oauth/token`), with the old key and with the new one,
through the three steps of docs/consumers.md ("Zero downtime"):

1. add the new key as a second entry of `public_keys`, `up`;
2. move the consumers to the new key (no change to the stack);
3. remove the old key, `up`.

Every request is recorded with its step, its key and its status. The test checks what the steps
promise (the old key works until step 3, the new one from step 1 on, the old one is refused after
step 3) and prints the failed requests per step; docs/consumers.md gives the figures.
"""

from __future__ import annotations

import ssl
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from e2e_harness import Project

from auth0_m2m.tenant import TenantServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AUDIENCE = "https://api.rotation.test/ledger"
NAME = "ledger-sync"


@dataclass(frozen=True)
class Key:
    """A key pair: the private half signs assertions, the public half goes into the stack."""

    name: str
    private: rsa.RSAPrivateKey = field(repr=False)

    @property
    def public_pem(self) -> str:
        return (
            self.private.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )


def _key(name: str) -> Key:
    return Key(name, rsa.generate_private_key(public_exponent=65537, key_size=2048))


def _config(*keys: Key) -> dict[str, Any]:
    return {
        "auth0:domain": "set-by-the-harness.example.com",
        "auth0-m2m:apis": {"ledger": {"identifier": AUDIENCE, "scopes": {"read:ledger": "Read the ledger"}}},
        "auth0-m2m:integrations": {
            NAME: {
                "api": "ledger",
                "scopes": ["read:ledger"],
                "auth_method": "private_key_jwt",
                "public_keys": [
                    {"pem": key.public_pem, "algorithm": "RS256", "name": key.name} for key in keys
                ],
            }
        },
    }


@dataclass
class Consumer:
    """Requests tokens in a loop with the keys it is told to use; records (step, key, status)."""

    tenant: TenantServer
    client_id: str
    keys: list[Key]
    step: str = "start"
    records: list[tuple[str, str, int, float]] = field(default_factory=list)
    """(step, key, status, monotonic time) of every request."""
    _stop: threading.Event = field(default_factory=threading.Event)

    def request(self, key: Key, http: httpx.Client) -> int:
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": f"https://{self.tenant.domain}/oauth/token",
            "iat": now,
            "exp": now + 60,
            "jti": uuid.uuid4().hex,
        }
        assertion = jwt.encode(claims, key.private, algorithm="RS256")
        body = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "audience": AUDIENCE,
        }
        return http.post(f"https://{self.tenant.domain}/oauth/token", json=body).status_code

    def run(self) -> None:
        context = ssl.create_default_context(cafile=str(self.tenant.ca_file))
        with httpx.Client(verify=context, timeout=10) as http:
            while not self._stop.is_set():
                for key in list(self.keys):
                    status = self.request(key, http)
                    self.records.append((self.step, key.name, status, time.monotonic()))
                time.sleep(0.02)

    def stop(self) -> None:
        self._stop.set()

    def failures(self, step: str, key: str) -> tuple[int, int]:
        """(failed, all) requests of one step with one key."""
        mine = [status for s, k, status, _ in self.records if s == step and k == key]
        return sum(status != 200 for status in mine), len(mine)

    def window(self, step: str, key: str) -> float:
        """Seconds from the first failed request of a step with a key to the next one that succeeded."""
        mine = [(at, status) for s, k, status, at in self.records if s == step and k == key]
        failed = [at for at, status in mine if status != 200]
        if not failed:
            return 0.0
        after = [at for at, status in mine if status == 200 and at > failed[0]]
        return (after[0] if after else mine[-1][0]) - failed[0]


@pytest.fixture(scope="module")
def keys() -> tuple[Key, Key]:
    return _key("old"), _key("new")


@pytest.fixture(scope="module")
def rotation(project: Project, tenant: TenantServer, keys: tuple[Key, Key]) -> Iterator[Consumer]:
    """The three steps, with the consumer's loop running throughout; yields the consumer's record."""
    old, new = keys
    project.write_stack("local", _config(old))
    result = project.up("local")
    client_id = result.outputs["integrations"].value[NAME]["client_id"]
    consumer = Consumer(tenant, client_id, keys=[old, new])
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        consumer.step = "1 add the new key"
        project.write_stack("local", _config(old, new))
        project.up("local")
        consumer.step = "2 move to the new key"
        time.sleep(1.0)
        consumer.step = "3 remove the old key"
        project.write_stack("local", _config(new))
        project.up("local")
        consumer.step = "after"
        time.sleep(0.5)
    finally:
        consumer.stop()
        thread.join(timeout=30)
    yield consumer
    _report(consumer)


def _report(consumer: Consumer) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    failed: Counter[tuple[str, str]] = Counter()
    for step, key, status, _ in consumer.records:
        counts[step, key] += 1
        failed[step, key] += status != 200
    for step, key in sorted(counts):
        window = consumer.window(step, key) * 1000
        line = (
            f"{step:24} key {key}: {failed[step, key]} of {counts[step, key]} failed, window {window:.0f} ms"
        )
        print(line)  # noqa: T201 - the figures docs/consumers.md reports


def test_the_old_key_works_until_it_is_removed(rotation: Consumer) -> None:
    assert rotation.failures("start", "old") == (0, rotation.failures("start", "old")[1])
    assert rotation.failures("2 move to the new key", "old")[0] == 0


def test_the_new_key_works_once_added(rotation: Consumer) -> None:
    failed, total = rotation.failures("2 move to the new key", "new")
    assert total > 0 and failed == 0
    failed, total = rotation.failures("after", "new")
    assert total > 0 and failed == 0


def test_the_old_key_is_refused_after_removal(rotation: Consumer) -> None:
    failed, total = rotation.failures("after", "old")
    assert total > 0 and failed == total


def test_the_new_key_is_refused_before_it_is_added(rotation: Consumer) -> None:
    failed, total = rotation.failures("start", "new")
    assert total > 0 and failed == total


def test_a_step_that_replaces_the_keys_leaves_a_short_window_for_a_key_that_stays(rotation: Consumer) -> None:
    """Steps 1 and 3 replace the app's `ClientCredentials` delete-first (the stand-in, as the program
    asks: `delete_before_replace`), so a key that stays is refused for a moment: docs/consumers.md
    gives the figures and the change that would remove the window. Here it is bounded: once the step's
    `up` ends, the kept key works again, and the window is shorter than a second."""
    for step, kept in (("1 add the new key", "old"), ("3 remove the old key", "new")):
        failed, total = rotation.failures(step, kept)
        assert failed < total / 2, (step, failed, total)
        assert rotation.window(step, kept) < 1.0, (step, rotation.window(step, kept))
