"""TypeScript with the component package: the generated Node.js SDK and examples/typescript type-check.

The schema comes from the installed plugin (`pulumi package get-schema auth0-m2m`); the SDK is generated
by `make engine`'s `pulumi-sdkgen-nodejs` (the CLI's own Node.js code generator), because `pulumi package
gen-sdk --language nodejs` needs the Node.js language host, which cannot be built here (the test checks
that the CLI says so). `tsc` from the npm registry (typescript 4.9.5 with @pulumi/pulumi 3.270.0 and
@types/node, installed once into a folder of the engine cache, outside the repo) checks the SDK with its
own tsconfig and the example program against it, and rejects a program that passes a number where the
schema says string. Needs `make engine` and `npm` with its registry: skipped without them, failed in CI.
Running the program needs the Node.js language host too, which is why there is no `pulumi up` here.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_harness import ENGINE_BIN, REPO, require_engine

from auth0_m2m.package import install_package_plugin

pytestmark = [pytest.mark.e2e]

EXAMPLE = REPO / "examples" / "typescript"
NPM_PACKAGES = ("@pulumi/pulumi@3.270.0", "typescript@4.9.5", "@types/node@20.19.0")
"""What the type check installs from the npm registry (the example's package.json pins the same)."""


def _cache() -> Path:
    root = Path(os.environ.get("AUTH0_M2M_ENGINE_CACHE", Path.home() / ".cache" / "auth0-m2m" / "engine"))
    return root / "node-typecheck"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """typescript, @pulumi/pulumi and @types/node from the npm registry, once, in the engine cache."""
    npm = shutil.which("npm")
    if npm is None:
        _missing("npm not found: install Node.js and npm to type-check the TypeScript SDK")
    folder = _cache()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        wanted = " ".join(NPM_PACKAGES)
        stamp = folder / "installed"
        if not stamp.exists() or stamp.read_text() != wanted:
            (folder / "package.json").write_text('{"private": true}\n')
            done = subprocess.run(  # noqa: S603 - npm from PATH with fixed, pinned packages
                [
                    npm,
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--ignore-scripts",
                    "--save-exact",
                    *NPM_PACKAGES,
                ],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode != 0:
                _missing(f"npm install {wanted} failed (no registry?): {done.stderr[-1000:]}")
            stamp.write_text(wanted)
    return folder / "node_modules"


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Plain `pulumi`'s environment with the component package in a plugin home of its own."""
    require_engine("pulumi-sdkgen-nodejs")
    home = tmp_path_factory.mktemp("ts-pulumi-home")
    install_package_plugin(home, python=sys.executable)
    return {
        **os.environ,
        "PATH": os.pathsep.join([str(ENGINE_BIN), os.environ.get("PATH", "")]),
        "PULUMI_HOME": str(home),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }


@pytest.fixture(scope="module")
def sdk(plugin_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Node.js SDK generated from the plugin's schema."""
    root = tmp_path_factory.mktemp("ts-sdk")
    schema = subprocess.run(  # noqa: S603 - make engine's pulumi, fixed arguments
        [str(ENGINE_BIN / "pulumi"), "package", "get-schema", "auth0-m2m"],
        env=plugin_env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    (root / "schema.json").write_text(schema)
    subprocess.run(  # noqa: S603 - make engine's generator, fixed arguments
        [str(ENGINE_BIN / "pulumi-sdkgen-nodejs"), str(root / "schema.json"), str(root / "sdk")],
        check=True,
        timeout=120,
    )
    return root / "sdk"


def _tsc(node_modules: Path, project: Path) -> subprocess.CompletedProcess[str]:
    """`tsc -p PROJECT` with the cached node_modules linked beside the project's folder."""
    link = project.parent / "node_modules"
    if not link.exists():
        link.symlink_to(node_modules, target_is_directory=True)
    return subprocess.run(  # noqa: S603 - the pinned tsc from the cache
        [str(node_modules / ".bin" / "tsc"), "-p", str(project)],
        cwd=project.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_gen_sdk_needs_the_nodejs_language_host(plugin_env: dict[str, str], tmp_path: Path) -> None:
    if (Path(os.path.realpath(ENGINE_BIN / "pulumi")).parent / "pulumi-language-nodejs").exists():
        pytest.skip("this pulumi ships the Node.js language host: gen-sdk works with it")
    done = subprocess.run(  # noqa: S603 - make engine's pulumi, fixed arguments
        [
            str(ENGINE_BIN / "pulumi"),
            "package",
            "gen-sdk",
            "auth0-m2m",
            "--language",
            "nodejs",
            "--out",
            "sdk",
        ],
        cwd=tmp_path,
        env=plugin_env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode != 0
    assert "no language plugin 'pulumi-language-nodejs' found" in done.stderr


def test_the_generated_sdk_type_checks(sdk: Path, node_modules: Path) -> None:
    package = json.loads((sdk / "package.json").read_text())
    assert package["name"] == "@pulumi/auth0-m2m"
    assert package["pulumi"] == {"resource": True, "name": "auth0-m2m", "version": package["version"]}

    done = _tsc(node_modules, sdk / "tsconfig.json")

    assert done.returncode == 0, done.stdout[-3000:]
    declared = (sdk / "integration.ts").read_text()
    for output in ("clientId", "clientSecret", "hostname", "audience", "tokenUrl", "scopes", "connection"):
        assert f"readonly {output}: pulumi.Output<" in declared, output


def _program(root: Path, sdk: Path, source: str) -> Path:
    """A copy of the example program in `root`, its `@pulumi/auth0-m2m` import mapped to the generated SDK."""
    shutil.copytree(sdk, root / "sdk", dirs_exist_ok=True)
    (root / "index.ts").write_text(source)
    config = {
        "extends": str(EXAMPLE / "tsconfig.json"),
        "compilerOptions": {"baseUrl": ".", "paths": {"@pulumi/auth0-m2m": ["sdk/index.ts"]}},
        "files": ["index.ts"],
    }
    (root / "tsconfig.json").write_text(json.dumps(config))
    return root / "tsconfig.json"


def test_the_example_program_type_checks_against_it(sdk: Path, node_modules: Path, tmp_path: Path) -> None:
    source = (EXAMPLE / "index.ts").read_text()

    done = _tsc(node_modules, _program(tmp_path / "good", sdk, source))

    assert done.returncode == 0, done.stdout[-3000:]


def test_a_program_with_a_wrong_type_does_not(sdk: Path, node_modules: Path, tmp_path: Path) -> None:
    source = (
        (EXAMPLE / "index.ts").read_text().replace('organizationUsage: "require"', "organizationUsage: 3")
    )

    done = _tsc(node_modules, _program(tmp_path / "bad", sdk, source))

    assert done.returncode != 0
    assert "Type 'number' is not assignable to type 'string'" in done.stdout
