"""HTTP API of the reporting service (read-only blueprints and marshmallow schemas)."""
