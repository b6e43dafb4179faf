"""Run the component package's provider plugin: `python -m auth0_m2m.package <engine address>`."""

from __future__ import annotations

from auth0_m2m.package import serve

if __name__ == "__main__":
    serve()
