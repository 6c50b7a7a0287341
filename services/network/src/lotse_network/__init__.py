"""The referral network service (*Netzwerk*): the directory of partners and their services, the
referrals of cases to them, cooperation agreements, network meetings and the knowledge base
(issue 11; DOMAIN.md §5, §6)."""


def create_app(settings=None):
    """The network API's Flask app (``gunicorn 'lotse_network:create_app()'``)."""
    from .bootstrap import NetworkService

    return NetworkService(settings).create_app()
