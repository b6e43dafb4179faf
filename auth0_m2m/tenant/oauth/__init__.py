"""The Authentication API subset: `POST /oauth/token` (client credentials), JWKS and OIDC discovery."""
