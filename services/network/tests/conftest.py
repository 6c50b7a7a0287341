"""Tests of the network service: unit/ with in-memory fakes (network_fakes.py), integration/
against the real PostgreSQL and RabbitMQ (fixtures of lotse_platform.testing)."""
