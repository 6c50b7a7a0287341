"""Fixtures of the console's tests."""
