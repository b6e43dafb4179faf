"""The `auth0-m2m` command line: a thin typer shell around tested functions.

Each sub-command lives in its own private module and registers itself on `app` when imported;
this module only assembles them and provides the console-script entry point.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="auth0-m2m",
    help="Auth0 machine-to-machine credentials as code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Auth0 machine-to-machine credentials as code."""  # keeps sub-commands even when only one exists


# Modules that define commands on `app`; importing them registers their commands.
_COMMAND_MODULES: tuple[str, ...] = ("_config", "_tenant", "_stack", "_consumers", "_recover", "_provider")

for _module in _COMMAND_MODULES:
    importlib.import_module(f"auth0_m2m.cli.{_module}")


def main() -> None:
    """Run the command line (the `auth0-m2m` console script)."""
    app()
