"""Reporting takes no commands through its API (every operation is a read); its writes are the
consumer's (events) and the rebuild's."""
