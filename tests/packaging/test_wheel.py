"""The package as a user gets it: `python -m build`, the wheel installed in a fresh venv outside the repo.

`python -m build` makes the sdist and builds the wheel from it (so the sdist is complete, and no stale
`build/` folder leaks into the wheel). The wheel must hold the product only, under its own namespace
(`auth0_m2m` and nothing else at the top level: no `components`, a name that would collide in users'
environments; the licence and metadata): every module and data file of the package and nothing of tests,
bench, state or secrets. Then a venv made in a temporary folder installs the wheel (its dependencies
come from the package index, through pip's cache) and, from a folder outside the repository and with
neither the repo's venv nor its engine on PATH, runs `auth0-m2m --help`, `auth0-m2m check-config` on a
sample project, imports every module, and runs `auth0-m2m tenant serve --json` until the tenant answers
over HTTPS, then stops it with SIGTERM. The bootstrap secret that `--json` prints is never shown in a
message."""

from __future__ import annotations

import json
import ssl
import subprocess
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from packaging_harness import REPO, Dist, WheelVenv, outside_repo, run, serve_tenant

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

PRODUCT = ("auth0_m2m",)
# Path parts that must never be in a distribution: test and bench code, state, local tenant, secrets.
FORBIDDEN_PARTS = {
    "tests",
    "bench",
    "stress",
    "resilience",
    ".state",
    ".tenant",
    ".pulumi-home",
    ".engine",
    "out",
}
FORBIDDEN_SUFFIXES = (".env", ".pem", ".key", ".pyc")
FORBIDDEN_NAMES = {"bootstrap-client.json", "creds.json", "rotated.json"}

SAMPLE_PULUMI_YAML = """\
name: acme-auth
runtime: python
stackConfigDir: stacks
"""
SAMPLE_STACK = """\
config:
  auth0:domain: dev-example.us.auth0.com
  auth0-m2m:apis:
    billing:
      identifier: https://api.example.com/billing
      name: Billing API
      scopes:
        read:invoices: Read invoices
  auth0-m2m:organizations:
    acme:
      display_name: Acme Inc
  auth0-m2m:integrations:
    nango-billing:
      api: billing
      scopes: [read:invoices]
      organization: acme
      organization_usage: require
      auth_method: client_secret_post
"""
# The same stack with one mistake: an unknown key under the API (`scope` for `scopes`).
BAD_STACK = SAMPLE_STACK.replace(
    "        read:invoices: Read invoices\n", "        read:invoices: Read invoices\n      scope: {}\n"
)


@dataclass(frozen=True)
class Installed:
    """A fresh venv outside the repository with the wheel installed, and a folder to run in."""

    bin: Path
    env: dict[str, str]
    workdir: Path

    def run(self, program: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run one of the venv's programs in the sample project folder, with the venv's environment."""
        return run([self.bin / program, *args], timeout=timeout, cwd=self.workdir, env=self.env)


@pytest.fixture(scope="module")
def installed(wheel_venv: WheelVenv, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    workdir = tmp_path_factory.mktemp("fresh") / "project"
    outside_repo(workdir)
    (workdir / "stacks").mkdir(parents=True)
    (workdir / "Pulumi.yaml").write_text(SAMPLE_PULUMI_YAML)
    (workdir / "stacks" / "Pulumi.dev.yaml").write_text(SAMPLE_STACK)
    (workdir / "stacks" / "Pulumi.broken.yaml").write_text(BAD_STACK)
    return Installed(bin=wheel_venv.bin, env=wheel_venv.env, workdir=workdir)


def _source_files(package: str) -> set[str]:
    """Every file of a product package in the source tree (caches aside)."""
    return {
        p.relative_to(REPO).as_posix()
        for p in (REPO / package).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix in {".py", ".typed", ".json"}
    }


def _forbidden(names: list[str]) -> list[str]:
    bad = []
    for name in names:
        parts = name.split("/")
        if (
            FORBIDDEN_PARTS & set(parts)
            or name.endswith(FORBIDDEN_SUFFIXES)
            or parts[-1] in FORBIDDEN_NAMES
            or "secret" in parts[-1].lower()
        ):
            bad.append(name)
    return bad


def test_the_wheel_holds_every_product_module_and_nothing_else(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        licence = wheel.read(next(n for n in names if n.endswith(".dist-info/licenses/LICENSE")))
        entry_points = wheel.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        ).decode()
    info = {n for n in names if n.split("/")[0].endswith(".dist-info")}
    product = set(names) - info
    assert {n.split("/")[0] for n in product} == set(PRODUCT)
    top_level = [n for n in names if n.endswith(".dist-info/top_level.txt")]
    if top_level:  # setuptools may leave it out; when it is there it names our namespace alone
        with zipfile.ZipFile(dist.wheel) as wheel:
            assert wheel.read(top_level[0]).decode().split() == list(PRODUCT)
    assert product == set().union(*(_source_files(p) for p in PRODUCT))
    assert "auth0_m2m/py.typed" in product
    assert _forbidden(names) == []
    assert licence == (REPO / "LICENSE").read_bytes()
    assert "License-Expression: Apache-2.0" in metadata
    assert "Requires-Dist: pulumi-auth0==3.37.1" in metadata
    assert "auth0-m2m = auth0_m2m.cli:main" in entry_points


def test_the_sdist_holds_the_product_sources_and_no_tests_state_or_secrets(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as sdist:
        names = [m.name.split("/", 1)[1] for m in sdist.getmembers() if m.isfile()]
    assert {"LICENSE", "README.md", "pyproject.toml", "PKG-INFO"} <= set(names)
    assert _source_files("auth0_m2m") <= set(names)
    assert _forbidden(names) == []


def test_auth0_m2m_help_runs_outside_the_repo(installed: Installed) -> None:
    done = installed.run("auth0-m2m", "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    for command in ("check-config", "tenant", "up", "verify", "rotate", "recover"):
        assert command in done.stdout


def test_every_module_imports_from_the_installed_wheel(installed: Installed) -> None:
    # Fails when the wheel misses a module or a dependency that a module imports.
    script = (
        "import importlib, importlib.util, pkgutil, json, auth0_m2m\n"
        "assert importlib.util.find_spec('components') is None, 'a top-level components is installed'\n"
        "names = []\n"
        "for pkg in (auth0_m2m,):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if not m.name.endswith('__main__'):\n"
        "            importlib.import_module(m.name); names.append(m.name)\n"
        "print(json.dumps({'files': [auth0_m2m.__file__], 'modules': names}))\n"
    )
    done = installed.run("python", "-c", script, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    venv = installed.bin.parent
    assert all(Path(f).is_relative_to(venv) for f in report["files"]), report["files"]
    expected = {
        "auth0_m2m.program",
        "auth0_m2m.provider",
        "auth0_m2m.tenant",
        "auth0_m2m.components.integration",
    }
    assert expected <= set(report["modules"])
    assert not any(".stress" in m or "resilience" in m for m in report["modules"])


def test_check_config_validates_a_sample_project(installed: Installed) -> None:
    good = installed.run("auth0-m2m", "check-config", "--stack", "dev")
    bad = installed.run("auth0-m2m", "check-config", "--stack", "broken")

    assert good.returncode == 0, good.stdout + good.stderr[-2000:]
    assert "OK (1 integration(s), 1 API(s), 1 organization(s))" in good.stdout
    assert bad.returncode == 2, bad.stdout + bad.stderr[-2000:]
    assert "auth0-m2m:apis.billing.scope" in bad.stdout


@pytest.fixture
def serving(installed: Installed, tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """`auth0-m2m tenant serve --json` on a free port; yields its ready line (parsed) and state dir."""
    state = tmp_path / "tenant"
    with serve_tenant(installed.bin, state, cwd=installed.workdir, env=installed.env) as info:
        yield info, state


def test_tenant_serve_json_answers_over_https_and_stops(serving: tuple[dict[str, str], Path]) -> None:
    info, state = serving
    assert set(info) == {"domain", "ca_file", "client_id", "client_secret"}
    assert info["domain"].startswith("localhost:")
    assert Path(info["ca_file"]).is_relative_to(state)
    context = ssl.create_default_context(cafile=info["ca_file"])
    with httpx.Client(base_url=f"https://{info['domain']}", verify=context, timeout=10) as http:
        jwks = http.get("/.well-known/jwks.json")
        token = http.post(
            "/oauth/token",
            json={
                "grant_type": "client_credentials",
                "client_id": info["client_id"],
                "client_secret": info["client_secret"],
                "audience": f"https://{info['domain']}/api/v2/",
            },
        )
    assert jwks.status_code == 200 and jwks.json()["keys"], jwks.status_code
    assert token.status_code == 200 and token.json()["access_token"], token.status_code  # no body: a token
    assert (state / "bootstrap-client.json").stat().st_mode & 0o777 == 0o600
