"""Client grants: `/api/v2/client-grants` (which client may call which API with which scopes)."""
