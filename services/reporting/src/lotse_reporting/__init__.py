"""The reporting service (*Berichtswesen*): read models only, built from the events of every other
service — an append-only store of the events it consumes and the projections built from it, for
the coordinating office and the steering group (issue 12; DOMAIN.md §7). It holds no names and
never reads another service's tables."""


def create_app(settings=None):
    """The reporting API's Flask app (``gunicorn 'lotse_reporting:create_app()'``)."""
    from .bootstrap import ReportingService

    return ReportingService(settings).create_app()
