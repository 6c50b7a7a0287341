"""HTTP API of the casework service (blueprints and marshmallow schemas)."""
