"""P3's load generator: concurrent aiohttp clients on loopback against the tenant, one kind at a time.

Run as its own process (`python -m bench._loadgen`, pinned to a core the tenant is not on): it reads one
JSON job from stdin (where to connect, the tokens and ids to use, how many connections, how long),
keeps `concurrency` keep-alive HTTPS connections busy until `duration` seconds or `max_requests`
have passed, and prints one JSON line: requests, errors, requests/s, p50/p99 latency (ms), and the
generator's own CPU time (when it nears the wall time, the generator and not the tenant is the limit).
Secrets come in on stdin, never on the command line, and are never printed.

aiohttp, not httpx: httpx's pure-Python client cost ~3.5 ms of CPU per request here, so an httpx
generator on one core saturated at ~250 requests/s and measured itself, not the tenant.
"""

from __future__ import annotations

import asyncio
import json
import resource
import ssl
import sys
import time
from typing import Any

import aiohttp


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile of `values` by nearest rank (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def _request(job: dict[str, Any], n: int) -> tuple[str, str, dict[str, Any]]:
    kind, base = job["kind"], job["base_url"]
    if kind == "reads":
        return "GET", f"{base}/api/v2/clients/{job['client_id']}", {}
    if kind == "writes":
        return "PATCH", f"{base}/api/v2/clients/{job['client_id']}", {"json": {"description": f"load {n}"}}
    if kind == "tokens":
        form = {
            "grant_type": "client_credentials",
            "client_id": job["client_id"],
            "client_secret": job["client_secret"],
            "audience": job["audience"],
        }
        return "POST", f"{base}/oauth/token", {"data": form}
    raise ValueError(f"kind: {kind!r} is not reads, writes or tokens")


async def run(job: dict[str, Any]) -> dict[str, Any]:
    """Drive the tenant with `job` and return the figures."""
    concurrency = int(job["concurrency"])
    duration = float(job["duration"])
    max_requests = int(job.get("max_requests", 1_000_000))
    context = ssl.create_default_context(cafile=job["ca_file"])
    headers = {"Authorization": f"Bearer {job['management_token']}"} if job["kind"] != "tokens" else {}
    connector = aiohttp.TCPConnector(limit=concurrency, ssl=context)
    latencies: list[float] = []
    errors = 0
    sent = 0
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, headers=headers, timeout=timeout) as client:

        async def fetch(method: str, url: str, **extra: Any) -> int:
            async with client.request(method, url, **extra) as response:
                await response.read()
                return response.status

        warm = [fetch("GET", f"{job['base_url']}/.well-known/jwks.json") for _ in range(concurrency)]
        await asyncio.gather(*warm)  # open every connection (TLS handshakes) before timing
        deadline = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal errors, sent
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                method, url, extra = _request(job, sent)
                started = time.perf_counter()
                status = await fetch(method, url, **extra)
                latencies.append(time.perf_counter() - started)
                if status >= 400:
                    errors += 1

        cpu_start = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
        cpu_end = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_end.ru_utime + cpu_end.ru_stime) - (cpu_start.ru_utime + cpu_start.ru_stime)
    return {
        "kind": job["kind"],
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "wall_s": wall,
        "rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "generator_cpu_s": cpu,
    }


def main() -> None:
    """Read the job from stdin, run it, print the result as one JSON line."""
    job = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(run(job))))


if __name__ == "__main__":
    main()
