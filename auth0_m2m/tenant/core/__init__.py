"""Shared machinery of the local tenant: errors, store, routing, auth, limits, faults, stats, app, server."""
