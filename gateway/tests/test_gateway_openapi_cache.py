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


def _route(name: str, upstream: str):
    from lotse_gateway.routes import EffectiveRoute, HealthCheck, Timeouts

    return EffectiveRoute(name=name, prefix=f"/api/v1/{name}", upstreams=(upstream,), public=(),
                          blocked=(), timeouts=Timeouts(), health=HealthCheck(),
                          max_body_bytes=1_000_000, openapi=True)


def test_the_descriptions_are_fetched_over_one_kept_connection_and_a_silent_service_is_named():
    from lotse_platform.testing import JsonHandler, LocalServer

    class Service(JsonHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.answer(200, {"openapi": "3.0.3", "paths": {"/notes": {}}})

    with LocalServer(Service) as gone:
        down = gone.url.removeprefix("http://")  # nothing listens there any more
    with LocalServer(Service, keep_alive=True) as service:
        routes = [_route("example", service.url.removeprefix("http://")), _route("gone", down)]
        openapi = AggregatedOpenAPI(lambda: routes, max_age=0)
        try:
            for _ in range(2):
                document = openapi.document()
                assert "/api/v1/example/notes" in document["paths"]
                assert document["x-lotse-unavailable"] == ["gone"]
        finally:
            openapi.close()
        assert service.connections == 1
