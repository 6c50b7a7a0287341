"""The blueprint every service's API is built from: flask-smorest's, with a parser that refuses
a query parameter the operation does not describe.

webargs ignores unknown query parameters by default; a report asked for with ``?date_from=``
instead of ``?from=`` would then answer for all time — a silent default. Here it is a 422 naming
the parameter (``{"field": "date_from", "message": "Unknown field."}``), like an unknown field of
a JSON body."""

from __future__ import annotations

from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser


class StrictQueryParser(FlaskParser):
    """Unknown query parameters are refused (422), as unknown fields of a body are."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
                                   "query": RAISE, "querystring": RAISE}


class Blueprint(SmorestBlueprint):  # type: ignore[misc]  # flask-smorest is untyped
    """flask-smorest's blueprint with :class:`StrictQueryParser`."""

    ARGUMENTS_PARSER = StrictQueryParser()
