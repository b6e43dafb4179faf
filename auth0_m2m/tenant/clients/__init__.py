"""Applications: `/api/v2/clients`, their secret, rotation and their private-key credentials."""
