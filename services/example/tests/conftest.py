"""Tests of the example service (the template): unit/ with in-memory fakes (example_fakes.py);
its PostgreSQL and RabbitMQ paths are exercised by libs/platform/tests."""
