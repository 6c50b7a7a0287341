"""The gateway's merged OpenAPI description is built once and kept ``openapi_cache_seconds``
(``max_age``); the clock is a stand-in that the tests move."""

from __future__ import annotations

from lotse_gateway.openapi import AggregatedOpenAPI


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Routes:
    """No routes (the description is then only the platform's frame); counts the builds."""

    def __init__(self) -> None:
        self.builds = 0

    def __call__(self) -> list:
        self.builds += 1
        return []


def test_the_description_is_kept_until_it_is_max_age_old():
    clock, routes = Clock(), Routes()
    openapi = AggregatedOpenAPI(routes, max_age=10.0, clock=clock)

    first = openapi.document()
    clock.now += 9.5
    assert openapi.document() is first and routes.builds == 1

    clock.now += 0.5
    assert openapi.document() is not first and routes.builds == 2
    assert openapi.document() is not first and routes.builds == 2


def test_a_max_age_of_zero_builds_it_for_every_request():
    clock, routes = Clock(), Routes()
    openapi = AggregatedOpenAPI(routes, max_age=0, clock=clock)

    openapi.document()
    openapi.document()

    assert routes.builds == 2
