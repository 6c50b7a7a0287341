"""HTTP API of the example service (blueprints and marshmallow schemas)."""
