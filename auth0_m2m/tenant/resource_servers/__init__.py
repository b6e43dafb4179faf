"""Resource servers (APIs): `/api/v2/resource-servers`, by id or by escaped identifier."""
