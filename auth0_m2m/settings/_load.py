"""Turn config key/value pairs (a stack file, or the config a Pulumi program receives) into a StackConfig.

`parse_stack_config` is the one entry point: it sorts keys by namespace, fills the `auth0:` connection
from `AUTH0_*` environment variables where the stack leaves it out (pydantic-settings), checks the
shape with pydantic, then the platform rules and the policy checks, and raises `ConfigError` with
every problem it found. `load_stack_file` reads `stacks/Pulumi.<stack>.yaml` without Pulumi: `secure:`
values count as present but are never decrypted, and duplicate YAML keys are reported, not dropped.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from auth0_m2m.settings._adopt import ADOPT_RULES
from auth0_m2m.settings._delivery import delivery_rules
from auth0_m2m.settings._errors import AUTH0_KEYS, ConfigError, key_path, problems_from_validation_error
from auth0_m2m.settings._models import PROJECT, StackConfig
from auth0_m2m.settings._rules import RULES
from auth0_m2m.settings.policy import DEFAULT_CHECKS, PolicyCheck, PolicyContext, run_checks

OBJECT_KEYS = ("apis", "organizations", "integrations", "policy", "deliver")
PROJECT_KEYS = (*OBJECT_KEYS, "protect", "environment", "rate_limit")
SECRET_AUTH0_KEYS = ("clientId", "clientSecret")
ENCRYPTED_PLACEHOLDER = "<secure>"
"""Stands in for a `secure:` value during validation; the ciphertext is never decrypted or shown."""


class SecureValue:
    """A `secure:` (encrypted) value read from a stack file; only its presence is known."""

    def __repr__(self) -> str:
        return "SecureValue(<encrypted>)"


class Auth0Environment(BaseSettings):
    """The `AUTH0_DOMAIN`, `AUTH0_CLIENT_ID` and `AUTH0_CLIENT_SECRET` environment variables."""

    model_config = SettingsConfigDict(env_prefix="AUTH0_", extra="ignore", env_ignore_empty=True)

    domain: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None


def _decode_object(full_key: str, value: Any, problems: list[str]) -> Any:
    """Pulumi hands structured config to programs as JSON text; stack files give it as YAML."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            problems.append(f"{full_key}: must be a mapping (YAML map, or JSON object text)")
            return None
    return value


def _split(
    mapping: Mapping[str, Any], problems: list[str], project_name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    project: dict[str, Any] = {}
    auth0: dict[str, Any] = {}
    camel_to_field = {camel: field for field, camel in AUTH0_KEYS.items()}
    for raw_key, value in mapping.items():
        namespace, sep, name = raw_key.partition(":")
        if not sep:  # Pulumi puts a key without a namespace in the project's own
            namespace, name = project_name, raw_key
        if namespace == project_name != PROJECT:
            continue  # the keys of a team's own project belong to its program, not to ours
        full_key = f"{namespace}:{name}"
        if isinstance(value, SecureValue) and not (namespace == "auth0" and name in SECRET_AUTH0_KEYS):
            problems.append(
                f"{full_key}: must not be a secure value; only auth0:clientId and auth0:clientSecret are"
            )
            continue
        if namespace == PROJECT:
            if name not in PROJECT_KEYS:
                hint = difflib.get_close_matches(name, PROJECT_KEYS, n=1)
                fix = f"did you mean '{PROJECT}:{hint[0]}'?" if hint else "remove it"
                allowed = ", ".join(f"{PROJECT}:{k}" for k in PROJECT_KEYS)
                problems.append(f"{full_key}: unknown key; {fix} (allowed: {allowed})")
            elif name in OBJECT_KEYS:
                project[name] = _decode_object(full_key, value, problems)
            else:
                project[name] = value
        elif namespace == "auth0":
            if name not in camel_to_field:
                allowed = ", ".join(f"auth0:{k}" for k in AUTH0_KEYS.values())
                problems.append(
                    f"{full_key}: not supported by this project; remove it (supported: {allowed})"
                )
            elif isinstance(value, SecureValue):
                auth0[camel_to_field[name]] = ENCRYPTED_PLACEHOLDER
            else:
                auth0[camel_to_field[name]] = value
        elif namespace != "pulumi" and _foreign_namespace_problem(namespace, project_name):
            problems.append(f"{full_key}: unknown namespace '{namespace}'; use {PROJECT}: or auth0: keys")
    return project, auth0


def _foreign_namespace_problem(namespace: str, project_name: str) -> bool:
    """Whether a key of another namespace is a problem: always in an `auth0-m2m` project (its stack
    files hold our keys only); in a team's own project only when it looks like a misspelt `auth0-m2m`
    or `auth0`, since other providers' keys (`aws:region`) belong to the team's program."""
    if project_name == PROJECT:
        return True
    return bool(difflib.get_close_matches(namespace, (PROJECT, "auth0"), n=1, cutoff=0.75))


def _fill_from_environment(auth0: dict[str, Any]) -> None:
    env = Auth0Environment()
    for field in AUTH0_KEYS:
        if auth0.get(field) is None and getattr(env, field) is not None:
            auth0[field] = getattr(env, field)


def parse_stack_config(
    mapping: Mapping[str, Any],
    *,
    stack: str | None = None,
    checks: Iterable[PolicyCheck] = DEFAULT_CHECKS,
    use_env: bool = True,
    require_credentials: bool = False,
    project: str = PROJECT,
) -> StackConfig:
    """Validate config keys such as {"auth0:domain": ..., "auth0-m2m:apis": {...}} into a StackConfig.

    Raises ConfigError listing every problem (shape problems first; the rules run once the shape is
    right). With `require_credentials`, auth0:clientId and auth0:clientSecret (or their AUTH0_*
    variables) must be set, as the program needs them to build the provider. `project` is the Pulumi
    project's name: keys without a namespace are its own, and a project not called `auth0-m2m`
    keeps its own keys (they are ignored here); ours are always the `auth0-m2m:` keys.
    """
    problems: list[str] = []
    values, auth0 = _split(mapping, problems, project)
    if use_env:
        _fill_from_environment(auth0)
    try:
        config = StackConfig.model_validate({"auth0": auth0, **values})
    except ValidationError as error:
        problems.extend(problems_from_validation_error(error))
        raise ConfigError(problems) from None
    for rule in (*RULES, *ADOPT_RULES, delivery_rules):
        problems.extend(rule(config))
    problems.extend(run_checks(config, PolicyContext(stack=stack), checks))
    if require_credentials:
        env_names = {"client_id": "AUTH0_CLIENT_ID", "client_secret": "AUTH0_CLIENT_SECRET"}
        for field, env_name in env_names.items():
            if getattr(config.auth0, field) is None:
                secret = " --secret" if field == "client_secret" else ""
                where = key_path(("auth0", field))
                problems.append(
                    f"{where}: missing; run `pulumi config set{secret} {where} ...` or export {env_name}"
                )
    if problems:
        raise ConfigError(problems)
    return config


class _StackFileLoader(yaml.SafeLoader):
    """A safe YAML loader that records duplicate keys (PyYAML silently keeps the last one)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        self.flatten_mapping(node)
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable):
                if key in seen:
                    self.duplicates.append((key_node.start_mark.line + 1, str(key)))
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _mark_secure(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SecureValue()
        return {k: _mark_secure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark_secure(v) for v in value]
    return value


def stack_name_of(path: Path) -> str | None:
    """`Pulumi.prod.yaml` → `prod`; None when the file name does not follow the pattern."""
    parts = path.name.split(".")
    if len(parts) >= 3 and parts[0] == "Pulumi" and parts[-1] in {"yaml", "yml"}:
        return ".".join(parts[1:-1])
    return None


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` map of a stack file, with `secure:` values replaced by `SecureValue` markers."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such stack file; create it (see docs/config.md)"]) from None
    loader = _StackFileLoader(text)
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError([f"{path}{where}: not valid YAML ({error.problem}); fix the syntax"]) from None
    finally:
        loader.dispose()
    problems = [f"{path}:{line}: duplicate key '{key}'; keep only one" for line, key in loader.duplicates]
    if document is None:
        document = {}
    if not isinstance(document, dict):
        problems.append(f"{path}: must be a YAML mapping with a `config:` key")
        raise ConfigError(problems)
    config = document.get("config") or {}
    if not isinstance(config, dict):
        problems.append(f"{path}: `config:` must be a mapping of keys to values")
    if problems:
        raise ConfigError(problems)
    return {str(k): _mark_secure(v) for k, v in config.items()}


def load_stack_file(
    path: str | Path,
    *,
    checks: Iterable[PolicyCheck] = DEFAULT_CHECKS,
    use_env: bool = True,
    project: str = PROJECT,
) -> StackConfig:
    """Validate `stacks/Pulumi.<stack>.yaml` without Pulumi and without network; raises ConfigError.

    `project` is the name of the Pulumi project the file belongs to (see `parse_stack_config`).
    """
    file = Path(path)
    return parse_stack_config(
        read_stack_file(file), stack=stack_name_of(file), checks=checks, use_env=use_env, project=project
    )
