"""The data map of the console (Art. 30 GDPR, ADR 0100): every column of its own tables with its
class of data, purpose, retention class and legal basis. The platform's shared tables are
classified in :mod:`lotse_platform.datamap.platform_map`. ``make data-map`` writes
``docs/data-map/console.md`` from it.

The console owns no domain data: what it shows it reads from the services with the user's token.
It keeps a user's login session (her tokens, which name her) and the key its forms' CSRF tokens
are signed with."""

from __future__ import annotations

from lotse_platform.datamap import NOT_PERSONAL, PERSONAL, DataMap, Table, personal

DATA_MAP = DataMap([
    Table("console_keys", "Schlüssel der Konsole (CSRF-Signatur)",
          "the console's keys (CSRF signing)",
          "security", "public_task", {
              "name": NOT_PERSONAL,
              "secret": NOT_PERSONAL,
          }),
    Table("console_sessions", "Anmeldesitzungen der Nutzenden (Tokens serverseitig)",
          "the users' login sessions (tokens kept on the server)",
          "security", "public_task", {
              "id": personal(note="the SHA-256 of the session cookie: it leads to a user"),
              "data": personal(note="the user's tokens (her id, roles, organisation); no "
                                    "client data"),
              "created_at": PERSONAL,
              "expires_at": PERSONAL,
          }),
])
