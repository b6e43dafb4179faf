"""Applications: `/api/v2/clients`, their secret, rotation and the credentials list."""
