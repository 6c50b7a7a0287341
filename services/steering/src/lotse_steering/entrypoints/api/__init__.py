"""HTTP API of the steering service (blueprints and marshmallow schemas)."""
