"""The `check-config` command: validate a stack file offline, for pre-commit hooks and CI.

Runs the same validation as the Pulumi program on `stacks/Pulumi.<stack>.yaml`, with no Pulumi and
no network. Prints one line per problem and exits 2, or prints one OK line and exits 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auth0_m2m.cli import app
from auth0_m2m.settings import ConfigError, load_stack_file

EXIT_INVALID = 2
"""Exit status when the stack config has problems."""


@app.command("check-config")
def check_config(
    stack: Annotated[
        str, typer.Option("--stack", "-s", help="Stack name: validates <stacks-dir>/Pulumi.<stack>.yaml.")
    ],
    stacks_dir: Annotated[
        Path,
        typer.Option("--stacks-dir", help="Folder holding the stack files (Pulumi.yaml's stackConfigDir)."),
    ] = Path("stacks"),
) -> None:
    """Validate a stack's configuration without Pulumi or network; exit 2 when it has problems."""
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    try:
        config = load_stack_file(path)
    except ConfigError as error:
        for problem in error.problems:
            typer.echo(problem)
        typer.echo(f"{path}: {len(error.problems)} problem(s)", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(
        f"{path}: OK ({len(config.integrations)} integration(s), {len(config.apis)} API(s), "
        f"{len(config.organizations)} organization(s))"
    )
