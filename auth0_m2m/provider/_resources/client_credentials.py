"""`auth0:index/clientCredentials:ClientCredentials`: a client's authentication method and secret.

The resource id is the client id. Calls, as upstream (`auth0-facts.md`, section 3):
- create/update: `GET /clients/{id}?fields=client_id&include_fields=true` (the client must exist);
  then by method:
  - `client_secret_post`/`client_secret_basic`/`none`: `PATCH {"token_endpoint_auth_method"}` when
    the method is new or changed, then `PATCH {"client_secret"}` when the program sets a secret
    that is new or changed (not for `none`);
  - `private_key_jwt` (create; a change to a credential's name, type, pem, algorithm or
    parseExpiryFromCert, or to their number, replaces the resource, as upstream's ForceNew; a
    changed `expiresAt` is `PATCH /clients/{id}/credentials/{cid} {"expires_at"}`): `POST
    /clients/{id}/credentials` per credential, then `PATCH {"client_authentication_methods":
    {"private_key_jwt": {"credentials": [{"id"}]}}, "token_endpoint_auth_method": null}`;
  then the read.
- read: `GET /clients/{id}`; with private-key credentials attached, `GET
  /clients/{id}/credentials/{cid}` for each. `clientSecret` is returned as a secret;
  `authenticationMethod` is `token_endpoint_auth_method`, `private_key_jwt` when credentials are
  attached, else the app type's default. `pem` is not read back (kept from the program).
- delete: `GET /clients/{id}?fields=client_id,app_type&include_fields=true`, `GET
  /clients/{id}/credentials?include_totals=true&per_page=50` (a bare array); none: `PATCH` the
  app type's default method; some: `PATCH` the default method with
  `client_authentication_methods: null`, then `DELETE` each credential.
Not implemented: `tlsClientAuth`, `selfSignedTlsClientAuth`, `signedRequestObject`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from auth0_m2m.provider._client import ManagementClient, path
from auth0_m2m.provider._exceptions import Auth0Error, Auth0NotFound, PartialCreate
from auth0_m2m.provider._resources._base import Field, ResourceType
from auth0_m2m.provider._resources.client_credentials_checks import check_credentials
from auth0_m2m.provider._values import Secret

_CREDENTIAL_FORCE_NEW = frozenset(
    f"credentials[].{key}" for key in ("name", "credentialType", "pem", "algorithm", "parseExpiryFromCert")
)
"""Upstream v1.39.1 marks these credential attributes ForceNew; only `expiresAt` updates in place."""
_STATE_IDS = "__stateCredentialIds"
_CREDENTIAL_KEYS = {"credentialType": "credential_type", "name": "name", "pem": "pem", "algorithm": "alg"}


def default_method(app_type: str | None) -> str:
    """The method Auth0 gives a client of `app_type` when none is configured."""
    if app_type in ("native", "spa"):
        return "none"
    if app_type in ("regular_web", "non_interactive"):
        return "client_secret_post"
    return "client_secret_basic"


class ClientCredentials(ResourceType):
    """How a client authenticates to the token endpoint, and its secret."""

    pulumi_type: ClassVar[str] = "auth0:index/clientCredentials:ClientCredentials"
    secret_outputs: ClassVar[frozenset[str]] = frozenset({"clientSecret"})
    fields: ClassVar[tuple[Field, ...]] = (
        Field("clientId", replace=True),
        Field("authenticationMethod", computed=True),
        Field("clientSecret", computed=True),
        Field(
            "privateKeyJwt",
            replace_paths=_CREDENTIAL_FORCE_NEW,
            computed_paths=frozenset(
                f"credentials[].{key}" for key in ("id", "keyId", "createdAt", "updatedAt", "expiresAt")
            ),
        ),
    )

    def check(self, inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Validate the method and the private-key credentials (see `client_credentials_checks`)."""
        return check_credentials(inputs)

    def fill_defaults(self, inputs: dict[str, Any]) -> list[str]:
        """Each private-key credential's `algorithm` defaults to RS256 (upstream schema default)."""
        private_key_jwt = inputs.get("privateKeyJwt")
        credentials = private_key_jwt.get("credentials") if isinstance(private_key_jwt, dict) else None
        if isinstance(credentials, list):
            private_key_jwt = dict(private_key_jwt or {})
            private_key_jwt["credentials"] = [
                {**c, "algorithm": "RS256"} if isinstance(c, dict) and c.get("algorithm") is None else c
                for c in credentials
            ]
            inputs["privateKeyJwt"] = private_key_jwt
        return []

    def planned(
        self, olds: dict[str, Any], news: dict[str, Any], old_outputs: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """A left-out `authenticationMethod` is the state's, before and after (upstream `data.Get`).

        The state's credential ids go along (under a reserved key) for an expiry update.
        """
        state_creds = (old_outputs.get("privateKeyJwt") or {}).get("credentials") or []
        olds = {**olds, _STATE_IDS: [str(c.get("id") or "") for c in state_creds if isinstance(c, Mapping)]}
        state_method = old_outputs.get("authenticationMethod")
        if not news.get("authenticationMethod") and state_method:
            news = {**news, "authenticationMethod": state_method}
            if not olds.get("authenticationMethod"):
                olds = {**olds, "authenticationMethod": state_method}
        return olds, news

    async def create(self, api: ManagementClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Check the client exists, set the method (and secret or credentials), read."""
        client_id = str(inputs["clientId"])
        await api.get(path("clients", client_id), {"fields": "client_id", "include_fields": "true"})
        try:
            return client_id, await self._apply(api, client_id, {}, inputs, checked=True)
        except Auth0Error as exc:
            raise PartialCreate(client_id, dict(inputs), exc) from exc

    async def update(
        self, api: ManagementClient, resource_id: str, olds: Mapping[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """Same calls as create, limited to what changed."""
        return await self._apply(api, resource_id, olds, news)

    async def _apply(
        self,
        api: ManagementClient,
        client_id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        checked: bool = False,
    ) -> dict[str, Any]:
        if not checked:
            await api.get(path("clients", client_id), {"fields": "client_id", "include_fields": "true"})
        method = str(news.get("authenticationMethod") or "")
        if method == "private_key_jwt":
            if not olds:
                await self._attach_credentials(api, client_id, news)
            else:
                await self._update_expiries(api, client_id, olds, news)
        elif method:
            if olds.get("authenticationMethod") != method:
                await api.patch(path("clients", client_id), {"token_endpoint_auth_method": method})
            secret = news.get("clientSecret")
            if method != "none" and secret and secret != olds.get("clientSecret"):
                await api.patch(path("clients", client_id), {"client_secret": secret})
        outputs = await self.read(api, client_id, news)
        if outputs is None:
            raise Auth0NotFound(404, "Not Found", f"client {client_id} is gone", "GET", "clients")
        return outputs

    async def _update_expiries(
        self, api: ManagementClient, client_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> None:
        """PATCH `expires_at` of each changed credential that has one (every other change replaces).

        The credential ids come from the state, as upstream's; only without a state (a direct
        call) are they read from the client.
        """
        old_creds = (olds.get("privateKeyJwt") or {}).get("credentials") or []
        new_creds = (news.get("privateKeyJwt") or {}).get("credentials") or []
        changed = [
            (index, cred)
            for index, cred in enumerate(new_creds)
            if index < len(old_creds) and cred != old_creds[index] and cred.get("expiresAt")
        ]
        if not changed:
            return
        ids = olds.get(_STATE_IDS)
        if ids is None:
            client = await api.get(path("clients", client_id))
            methods = client.get("client_authentication_methods") or {}
            ids = [str(c["id"]) for c in (methods.get("private_key_jwt") or {}).get("credentials") or []]
        for index, cred in changed:
            if index < len(ids) and ids[index]:
                credential_id = ids[index]
                await api.patch(
                    path("clients", client_id, "credentials", credential_id),
                    {"expires_at": cred["expiresAt"]},
                )

    async def _attach_credentials(
        self, api: ManagementClient, client_id: str, inputs: Mapping[str, Any]
    ) -> None:
        ids = []
        for credential in inputs["privateKeyJwt"]["credentials"]:
            body = {
                api_key: credential[key] for key, api_key in _CREDENTIAL_KEYS.items() if credential.get(key)
            }
            body.setdefault("alg", "RS256")
            for key in ("parseExpiryFromCert", "expiresAt"):
                if credential.get(key) is not None:
                    body["parse_expiry_from_cert" if key == "parseExpiryFromCert" else "expires_at"] = (
                        credential[key]
                    )
            created = await api.post(path("clients", client_id, "credentials"), body)
            ids.append({"id": created["id"]})
        body = {
            "client_authentication_methods": {"private_key_jwt": {"credentials": ids}},
            "token_endpoint_auth_method": None,
        }
        await api.patch(path("clients", client_id), await _internal_body(api, client_id, body))

    async def read(
        self, api: ManagementClient, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """GET the client (and its attached private-key credentials)."""
        client = await api.find(path("clients", resource_id))
        if client is None:
            return None
        methods = client.get("client_authentication_methods") or {}
        listed = (methods.get("private_key_jwt") or {}).get("credentials")
        attached = listed or []
        if isinstance(listed, list):  # upstream: a credentials list, even empty, means private_key_jwt
            method = "private_key_jwt"
        elif client.get("token_endpoint_auth_method"):
            method = str(client["token_endpoint_auth_method"])
        else:
            method = default_method(client.get("app_type"))
        outputs: dict[str, Any] = {
            "clientId": client.get("client_id", resource_id),
            "authenticationMethod": method,
            "clientSecret": Secret(client.get("client_secret") or ""),
        }
        if attached:
            configured = ((inputs.get("privateKeyJwt") or {}).get("credentials")) or []
            credentials = []
            for index, ref in enumerate(attached):
                cred = await api.get(path("clients", resource_id, "credentials", str(ref["id"])))
                given = configured[index] if index < len(configured) else {}
                credentials.append(_credential_output(cred, given))
            outputs["privateKeyJwt"] = {"credentials": credentials}
        return outputs

    async def delete(self, api: ManagementClient, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """Reset the client to its app type's default method and drop its credentials."""
        try:
            client = await api.get(
                path("clients", resource_id), {"fields": "client_id,app_type", "include_fields": "true"}
            )
            credentials = await api.get(
                path("clients", resource_id, "credentials"), {"include_totals": "true", "per_page": "50"}
            )
        except Auth0NotFound:
            return
        method = default_method(client.get("app_type"))
        if not credentials:
            await api.patch(path("clients", resource_id), {"token_endpoint_auth_method": method})
            return
        body = {
            "client_authentication_methods": None,
            "signed_request_object": None,
            "token_endpoint_auth_method": method,
        }
        await api.patch(path("clients", resource_id), await _internal_body(api, resource_id, body))
        for credential in credentials:
            try:
                await api.delete(path("clients", resource_id, "credentials", str(credential["id"])))
            except Auth0NotFound:
                continue

    def inputs_from_outputs(
        self, outputs: Mapping[str, Any], old_inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Refresh keeps the program's shape; import records client id and method only."""
        if old_inputs:
            return super().inputs_from_outputs(outputs, old_inputs)
        return {k: outputs[k] for k in ("clientId", "authenticationMethod") if k in outputs}


async def _internal_body(api: ManagementClient, client_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Upstream reads the app type before each attach or detach PATCH and reshapes the body for
    `express_configuration` apps: no `signed_request_object` or `token_endpoint_auth_method`, and
    an empty private-key credentials list instead of a null `client_authentication_methods`."""
    client = await api.get(
        path("clients", client_id), {"fields": "client_id,app_type", "include_fields": "true"}
    )
    if client.get("app_type") != "express_configuration":
        return body
    body = {k: v for k, v in body.items() if k not in ("signed_request_object", "token_endpoint_auth_method")}
    if body.get("client_authentication_methods") is None:
        body["client_authentication_methods"] = {"private_key_jwt": {"credentials": []}}
    return body


def _credential_output(cred: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": cred.get("id"),
        "name": cred.get("name"),
        "keyId": cred.get("kid"),
        "credentialType": cred.get("credential_type"),
        "algorithm": cred.get("alg"),
        "createdAt": cred.get("created_at"),
        "updatedAt": cred.get("updated_at"),
        "expiresAt": cred.get("expires_at"),
        "pem": given.get("pem"),
        "parseExpiryFromCert": given.get("parseExpiryFromCert"),
    }
    return {k: v for k, v in out.items() if v is not None}
