"""Lotse shared building blocks.

Only infrastructure lives here (settings, database and tenancy, outbox/inbox, bus, contracts
runtime, HTTP, auth, metrics, logging, audit). Domain models never do.
"""
