"""HTTP API of the identity service: the OAuth endpoints and the administration API."""
