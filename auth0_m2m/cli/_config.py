"""The `check-config` command: validate a stack file offline, for pre-commit hooks and CI.

Runs the same validation as the config-driven program (`auth0_m2m.program`) on the stack's file
(`<stackConfigDir>/Pulumi.<stack>.yaml` of the project at or above the working directory, or
`--stacks-dir`), with no Pulumi and no network. Prints one line per problem and exits 2, or prints
one OK line and exits 0. In a project whose program is not the config-driven one it says so in one
line and exits 2: there is no `auth0-m2m:` config to check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auth0_m2m.cli import app
from auth0_m2m.project import PROJECT_NAME, WorkspaceError, open_project
from auth0_m2m.settings import ConfigError, load_stack_file

EXIT_INVALID = 2
"""Exit status when the stack config has problems."""


@app.command("check-config")
def check_config(
    stack: Annotated[
        str, typer.Option("--stack", "-s", help="Stack name: validates <stacks-dir>/Pulumi.<stack>.yaml.")
    ],
    stacks_dir: Annotated[
        Path | None,
        typer.Option(
            "--stacks-dir",
            help="Folder holding the stack files; default: the project's stackConfigDir (Pulumi.yaml).",
        ),
    ] = None,
) -> None:
    """Validate a stack's configuration without Pulumi or network; exit 2 when it has problems."""
    project_name = PROJECT_NAME
    try:
        project = open_project()
    except WorkspaceError as error:
        if stacks_dir is None:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(EXIT_INVALID) from None
    else:
        project_name = project.name
        if stacks_dir is None:
            if not project.runs_config_program(stack):
                where = project.stack_file(stack).name
                typer.echo(
                    f"error: check-config validates the auth0-m2m: keys of auth0_m2m.program, which project "
                    f"{project.name!r} does not use (none in {where}); nothing to check",
                    err=True,
                )
                raise typer.Exit(EXIT_INVALID)
            stacks_dir = _relative(project.stack_config_dir)
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    try:
        config = load_stack_file(path, project=project_name)
    except ConfigError as error:
        for problem in error.problems:
            typer.echo(problem)
        typer.echo(f"{path}: {len(error.problems)} problem(s)", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(
        f"{path}: OK ({len(config.integrations)} integration(s), {len(config.apis)} API(s), "
        f"{len(config.organizations)} organization(s))"
    )


def _relative(path: Path) -> Path:
    """`path` relative to the working directory where it is below it (shorter lines), else as is."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path
