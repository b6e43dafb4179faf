"""AWS Secrets Manager target (`aws-sm:NAME`): create the JSON secret, or put a new version if it exists.

The secret's value is the document of `_common` (flat for one integration). New secrets are
tagged `auth0-m2m:stack` and `auth0-m2m:integrations`. Endpoint and region come from
`AUTH0_M2M_AWS__*`; credentials from boto3's own chain, never from us.

`holds` reads the current version (`GetSecretValue`, so the caller also needs
`secretsmanager:GetSecretValue`) and compares its parsed JSON with the document `write` would store;
description, tags and KMS key are set on create only and are not compared.
See: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any

from auth0_m2m.consumers._exceptions import SinkError, redact
from auth0_m2m.consumers._logs import redacted_logs
from auth0_m2m.consumers._settings import AwsSettings
from auth0_m2m.consumers._sinks._common import document, one_line, secret_values
from auth0_m2m.outputs import IntegrationOutputs


def _client(settings: AwsSettings) -> Any:
    try:
        boto3 = importlib.import_module("boto3")
    except ImportError:
        raise SinkError("aws-sm: boto3 is not installed; install auth0-m2m[sinks]") from None
    try:
        return boto3.client("secretsmanager", endpoint_url=settings.endpoint_url, region_name=settings.region)
    except Exception as exc:  # botocore.exceptions.NoRegionError and other configuration errors
        if type(exc).__name__ == "NoRegionError":
            raise SinkError("aws-sm: no AWS region; set AUTH0_M2M_AWS__REGION (or AWS_REGION)") from None
        raise SinkError(f"aws-sm: cannot set up the AWS client: {exc}") from None


@dataclass
class AwsSecretsManagerSink:
    """Create or update one Secrets Manager secret holding the exported fields as JSON."""

    secret_name: str
    settings: AwsSettings = field(default_factory=AwsSettings)
    mapping: dict[str, str] = field(default_factory=dict)
    name: str = "aws-sm"

    def _store(
        self, client: Any, payload: str, outputs: list[IntegrationOutputs], *, stack: str
    ) -> tuple[Any, str]:
        args: dict[str, Any] = {
            "Name": self.secret_name,
            "SecretString": payload,
            "Description": f"auth0-m2m credentials of stack {stack}",
            "Tags": [
                {"Key": "auth0-m2m:stack", "Value": stack},
                {"Key": "auth0-m2m:integrations", "Value": " ".join(item.name for item in outputs)[:256]},
            ],
        }
        if self.settings.kms_key_id:
            args["KmsKeyId"] = self.settings.kms_key_id
        try:
            return client.create_secret(**args), "created"
        except client.exceptions.ResourceExistsException:
            return client.put_secret_value(SecretId=self.secret_name, SecretString=payload), "updated"

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        """Store the secret; return its name and version id."""
        payload = json.dumps(document(outputs, self.mapping))
        client = _client(self.settings)
        try:
            with redacted_logs(secret_values(outputs)):
                answer, action = self._store(client, payload, outputs, stack=stack)
        except Exception as exc:  # boto3's errors (ClientError, NoCredentialsError, EndpointConnectionError)
            detail = redact(str(exc), secret_values(outputs))
            raise SinkError(f"aws-sm: cannot write secret {self.secret_name}: {detail}") from None
        region = client.meta.region_name
        return f"aws-sm: {action} secret {self.secret_name} in {region}, version {answer.get('VersionId')}"

    def holds(self, outputs: list[IntegrationOutputs], *, stack: str) -> bool:
        """Whether the secret's current value is, parsed, the document `write` would store.

        A missing secret, a binary secret or one whose value is not JSON does not hold it.
        """
        expected = document(outputs, self.mapping)
        client = _client(self.settings)
        hidden = secret_values(outputs)
        try:
            with redacted_logs(hidden, withhold_responses=True):
                answer = client.get_secret_value(SecretId=self.secret_name)
        except client.exceptions.ResourceNotFoundException:
            return False
        except Exception as exc:  # boto3's errors (ClientError, NoCredentialsError, EndpointConnectionError)
            detail = one_line(redact(str(exc), hidden))
            raise SinkError(f"aws-sm: cannot read secret {self.secret_name}: {detail}") from None
        stored = answer.get("SecretString")
        if not isinstance(stored, str):
            return False
        try:
            current = json.loads(stored)
        except json.JSONDecodeError:
            return False
        return bool(current == expected)
