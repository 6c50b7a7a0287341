"""The platform's Alembic branch (label ``platform``): outbox, inbox and audit log, the tables
every service has in its own database (ADR 0010).

Alembic reads the revision files of this folder through each service's ``version_locations``
(:func:`lotse_platform.db.migrations.alembic_config`) and skips this ``__init__.py``; the folder
is a package so that it is installed with ``lotse_platform``, also without ``-e``. Each service's
first migration ``depends_on`` the branch's base, ``platform_0001``.
"""
