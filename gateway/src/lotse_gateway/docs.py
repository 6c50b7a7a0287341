"""The control plane's HTTP side: the aggregated OpenAPI and a Swagger UI that works offline.

HAProxy routes ``/openapi.json``, ``/docs`` and ``/docs/…`` here, without a token. The Swagger UI
assets come from the ``swagger-ui-bundle`` package, the page and its start script are ours, and a
Content-Security-Policy of ``'self'`` keeps the browser from loading anything from elsewhere (no
CDN, no validator badge): the docs work on a machine without internet access.

``/status`` (on this port only, not routed by HAProxy) is what the control loop last did.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import swagger_ui_bundle
from flask import Flask, Response, jsonify, redirect, send_from_directory

from lotse_platform.http.problems import register_problem_handlers

from .openapi import AggregatedOpenAPI

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
SERVED_ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png",
                           "favicon-16x16.png"})
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' "
                           "'unsafe-inline'; script-src 'self'; connect-src 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")

INDEX = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Lotse API</title>
  <link rel="stylesheet" href="assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="assets/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="assets/swagger-ui-bundle.js"></script>
  <script src="start.js"></script>
</body>
</html>
"""

# separate file, not inline: the Content-Security-Policy allows scripts from 'self' only
START = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "../openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""


class OpenAPISource(Protocol):
    def document(self) -> dict: ...


def create_app(openapi: AggregatedOpenAPI, status: Callable[[], dict]) -> Flask:
    app = Flask("lotse_gateway")
    register_problem_handlers(app)
    register_docs(app, openapi)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/status")
    def gateway_status():
        return jsonify(status())

    return app


def register_docs(app: Flask, openapi: OpenAPISource) -> None:
    """``/openapi.json`` (``openapi.document()``) and the Swagger UI under ``/docs/`` on ``app``,
    every answer of ``app`` with the Content-Security-Policy above. The gateway's control plane
    serves them, and so does embedded mode (``make run``) for its mounted services."""

    @app.after_request
    def protect(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.get("/openapi.json")
    def openapi_json():
        body = json.dumps(openapi.document(), ensure_ascii=False)
        return Response(body, mimetype="application/json",
                        headers={"Cache-Control": "no-cache"})

    @app.get("/docs")
    def docs_root():
        return redirect("/docs/", code=308)

    @app.get("/docs/")
    def docs_index():
        return Response(INDEX, mimetype="text/html")

    @app.get("/docs/start.js")
    def docs_start():
        return Response(START, mimetype="text/javascript")

    @app.get("/docs/assets/<name>")
    def docs_asset(name: str):
        if name not in SERVED_ASSETS:
            from lotse_platform.errors import NotFound

            raise NotFound("no such asset")
        return send_from_directory(ASSETS, name, max_age=86_400)
