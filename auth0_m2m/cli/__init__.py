"""The `auth0-m2m` command line: a thin typer shell around tested functions.

Each sub-command lives in its own private module and registers itself on `app` when imported;
this module only assembles them and provides the console-script entry point.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="auth0-m2m",
    help="Auth0 machine-to-machine credentials as code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    cwd: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--cwd",
            help="Run as if started in this folder (as `pulumi -C`): its project; relative paths from it.",
        ),
    ] = None,
) -> None:
    """Auth0 machine-to-machine credentials as code."""  # keeps sub-commands even when only one exists
    if cwd is not None:
        if not cwd.is_dir():
            typer.echo(f"error: -C {cwd}: no such folder; give a Pulumi project's folder", err=True)
            raise typer.Exit(2)
        os.chdir(cwd)


# Modules that define commands on `app`; importing them registers their commands.
_COMMAND_MODULES: tuple[str, ...] = (
    "_config",
    "_tenant",
    "_stack",
    "_consumers",
    "_rotate",
    "_deliver",
    "_recover",
    "_provider",
    "_package",
)

for _module in _COMMAND_MODULES:
    importlib.import_module(f"auth0_m2m.cli.{_module}")


CWD_FLAGS = ("-C", "--cwd")


def _hoist_cwd(args: list[str]) -> list[str]:
    """Move `-C DIR` / `--cwd DIR` given after the sub-command to the front, where the root takes it.

    `pulumi -C` is accepted anywhere on the line; so is ours.
    """
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if index > 0 and arg in CWD_FLAGS and index + 1 < len(args):
            return [arg, args[index + 1], *args[:index], *args[index + 2 :]]
        if index > 0 and arg.startswith("--cwd="):
            return [arg, *args[:index], *args[index + 1 :]]
    return args


def main() -> None:
    """Run the command line (the `auth0-m2m` console script)."""
    args = _hoist_cwd(sys.argv[1:])
    if args and args[-1] in CWD_FLAGS:
        typer.echo(f"error: {args[-1]} needs a folder: {args[-1]} DIR", err=True)
        sys.exit(2)
    try:
        app(args=args, prog_name="auth0-m2m")
    except Exception as error:  # a bug, not bad input: still one line, the traceback only on request
        if os.environ.get("AUTH0_M2M_DEBUG"):
            raise
        typer.echo(
            f"error: unexpected {type(error).__name__}: {error} (a bug in auth0-m2m; "
            "AUTH0_M2M_DEBUG=1 shows the traceback)",
            err=True,
        )
        sys.exit(1)
