"""HTTP API of the network service (blueprints and marshmallow schemas)."""
