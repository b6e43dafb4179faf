"""Benchmarks of auth0-m2m on the real engine and the local tenant (`make bench`; see bench/README.md).

`python -m bench` runs four scenarios and prints one table: P1 `up` against a rate-limited tenant,
P2 no-op `up`/`preview` and the same resources declared by a plain pulumi-auth0 program
(`plain_program.py`), P3 the tenant alone under load, P4 `verify`. Each run is saved as JSON in
`bench/results/` (ignored by git).
"""
