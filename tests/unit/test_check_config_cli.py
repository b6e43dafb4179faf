"""`auth0-m2m check-config`: exit codes and one line per problem."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from auth0_m2m.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_valid_stack_exits_0_with_one_ok_line(clean_env: None) -> None:
    result = runner.invoke(app, ["check-config", "--stack", "prod", "--stacks-dir", str(ROOT / "stacks")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{ROOT / 'stacks' / 'Pulumi.prod.yaml'}: OK (1 integration(s), 1 API(s), 1 organization(s))"
    ]


def test_invalid_stack_exits_2_with_one_line_per_problem(clean_env: None, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.bad.yaml").write_text(
        "config:\n"
        "  auth0:domain: dev-example.us.auth0.com\n"
        "  auth0-m2m:apis:\n"
        "    billing: {identifier: https://api.example.com/b, scopes: {read:invoices: R}}\n"
        "  auth0-m2m:integrations:\n"
        "    nango-billing: {api: billing, scopes: [write:all], organization_usage: allow}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check-config", "--stack", "bad", "--stacks-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "auth0-m2m:integrations.nango-billing.scopes[0]: 'write:all' is not a scope of API 'billing'; "
        "add it to auth0-m2m:apis.billing.scopes or remove it here",
        "auth0-m2m:integrations.nango-billing.organization_usage: only with an organization; "
        "set `organization:` (or `organization_id:`) or remove it",
    ]
    assert "2 problem(s)" in result.stderr


def test_missing_stack_file_exits_2(clean_env: None, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check-config", "--stack", "nope", "--stacks-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "no such stack file" in result.stdout
