"""The stored search columns of the public search table (disclosure.search_models).

On PostgreSQL a column is a `tsvector` filled in the INSERT itself from the token text
built by powerlist.search: a weighted column takes "<name>|<code>|<body>" tokens and gives
the name's tokens weight A, the code's B and the rest C; an unweighted one takes plain
token text (the name vector). Elsewhere (SQLite) the column keeps the token text and
search falls back to LIKE on the published text.
"""

from django.db import models

# The token text is "<name tokens>|<code tokens>|<body tokens>"; tokens never contain "|".
_WEIGHTED_SQL = (
    "(SELECT setweight(to_tsvector('simple', split_part(t, '|', 1)), 'A')"
    " || setweight(to_tsvector('simple', split_part(t, '|', 2)), 'B')"
    " || setweight(to_tsvector('simple', split_part(t, '|', 3)), 'C')"
    " FROM (SELECT %s::text AS t) AS tokens)"
)
_PLAIN_SQL = "to_tsvector('simple', %s::text)"


class SearchVectorField(models.TextField):
    """A tsvector on PostgreSQL, text elsewhere; assign the token text, never read it back."""

    def __init__(self, *args, weighted=True, **kwargs):
        self.weighted = weighted
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if not self.weighted:
            kwargs["weighted"] = False
        return name, path, args, kwargs

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else super().db_type(connection)

    def get_placeholder(self, value, compiler, connection):
        if connection.vendor != "postgresql":
            return "%s"
        return _WEIGHTED_SQL if self.weighted else _PLAIN_SQL
