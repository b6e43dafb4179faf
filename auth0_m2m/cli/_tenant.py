"""`auth0-m2m tenant serve`: run the local Auth0 tenant until SIGTERM/SIGINT.

With `--json` it prints one line when ready, `{"domain", "ca_file", "client_id", "client_secret"}`:
the bootstrap management client for scripts and tests. That line is the only place the bootstrap
secret is shown (the tenant is local-only); without `--json` the secret stays in the state dir's
`bootstrap-client.json` (0600). With a state dir it also writes `<state dir>/env`, which a shell
sources for plain `pulumi` on the `local` stack (`auth0_m2m.project.write_shell_env`).
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from auth0_m2m.cli import app
from auth0_m2m.project import write_shell_env

tenant_app = typer.Typer(name="tenant", help="Run the local Auth0 tenant.", no_args_is_help=True)
app.add_typer(tenant_app, name="tenant")


@tenant_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one).")] = 8443,
    state_dir: Annotated[
        Path, typer.Option("--state-dir", help="Where state, certificates and keys live.")
    ] = Path(".tenant"),
    in_memory: Annotated[bool, typer.Option("--in-memory", help="Keep state in memory only.")] = False,
    rate_limit: Annotated[
        str | None, typer.Option("--rate-limit", help="Token bucket RPS/BURST, e.g. 15/50.")
    ] = None,
    faults: Annotated[
        str | None, typer.Option("--faults", help='Fault injection, e.g. "429=0.2,503=0.05,latency=20ms".')
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON line when ready.")] = False,
) -> None:
    """Serve the local tenant over HTTPS until SIGTERM or SIGINT."""
    from auth0_m2m.tenant import FaultSpec, RateLimit, TenantServer

    try:
        limit = RateLimit.parse(rate_limit) if rate_limit else None
    except ValueError as exc:
        typer.echo(f"--rate-limit: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        fault_spec = FaultSpec.parse(faults) if faults else None
    except ValueError as exc:
        typer.echo(f"--faults: {exc}", err=True)
        raise typer.Exit(2) from None
    server = TenantServer(
        state_dir=None if in_memory else state_dir.resolve(),
        host=host,
        port=port,
        rate_limit=limit,
        faults=fault_spec,
    )
    try:
        server.start()
    except RuntimeError as exc:
        typer.echo(f"tenant serve: {exc} (choose another --port or --host)", err=True)
        raise typer.Exit(1) from None
    env_file = None if in_memory else write_shell_env(state_dir, server.ca_file)
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        if as_json:
            ready = {
                "domain": server.domain,
                "ca_file": str(server.ca_file),
                "client_id": server.bootstrap_client_id,
                "client_secret": server.bootstrap_client_secret.get_secret_value(),
            }
            typer.echo(json.dumps(ready))
        else:
            where = "memory" if in_memory else str(state_dir)
            typer.echo(
                f"Local Auth0 tenant at {server.base_url} (domain {server.domain}, state in {where})\n"
                f"  trust its CA:      SSL_CERT_FILE={server.ca_file} REQUESTS_CA_BUNDLE={server.ca_file}\n"
                f"  bootstrap client:  {server.bootstrap_client_id}"
                + ("" if in_memory else f" (secret in {state_dir / 'bootstrap-client.json'})")
                + (
                    ""
                    if env_file is None
                    else f"\n  plain pulumi:      . {env_file} (then pulumi up --stack local)"
                )
                + "\nStop with Ctrl-C."
            )
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()


@tenant_app.command("env")
def env(
    state_dir: Annotated[
        Path, typer.Option("--state-dir", help="The tenant's state dir (its CA must exist).")
    ] = Path(".tenant"),
) -> None:
    """(Re)write `<state dir>/env` for plain `pulumi` on the `local` stack and print its path.

    `tenant serve` writes it on every start; this command is for a state dir made before that.
    """
    ca_file = state_dir / "ca.pem"
    if not ca_file.is_file():
        typer.echo(f"--state-dir: no {ca_file}; start the tenant once: `auth0-m2m tenant serve`", err=True)
        raise typer.Exit(2)
    typer.echo(str(write_shell_env(state_dir, ca_file)))
