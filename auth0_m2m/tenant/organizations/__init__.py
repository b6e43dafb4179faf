"""Organizations and their client-grant associations (M2M access for organizations)."""
