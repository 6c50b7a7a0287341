"""The composition of the whole platform for development: what knows every part at once.

``lotse_platform`` is the building blocks and knows no service, gateway or demo; each service
knows only itself and the platform. What needs all of them — embedded mode (``make run``) and
the development token server of ``make up`` without identity — lives here (ADR 0005).
"""
