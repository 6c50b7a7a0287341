"""The Lotse API gateway: HAProxy as the data plane, this package as its control plane.

``lotse-gateway run`` renders HAProxy's configuration from the route table (``routes.yaml``) and
the trusted issuers' keys, starts HAProxy in master-worker mode, serves the aggregated OpenAPI
and Swagger UI, and reloads HAProxy when keys or routes change. See docs/gateway.md.
"""
