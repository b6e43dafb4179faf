"""Run the stand-in auth0 provider plugin: `python -m auth0_m2m.provider <engine address>`."""

from __future__ import annotations

from auth0_m2m.provider._server import main

if __name__ == "__main__":
    main()
