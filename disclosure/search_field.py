"""The stored search column of a published power.

On PostgreSQL the column is a `tsvector` filled in the INSERT itself from the token text
built by disclosure.search.search_tokens: the name's tokens get weight A, the code's B
and the rest C, so ranking can put name hits first. Elsewhere (SQLite) the column keeps
the token text and search falls back to LIKE on the published text.
"""

from django.db import models

# The token text is "<name tokens>|<code tokens>|<body tokens>"; tokens never contain "|".
_VECTOR_SQL = (
    "(SELECT setweight(to_tsvector('simple', split_part(t, '|', 1)), 'A')"
    " || setweight(to_tsvector('simple', split_part(t, '|', 2)), 'B')"
    " || setweight(to_tsvector('simple', split_part(t, '|', 3)), 'C')"
    " FROM (SELECT %s::text AS t) AS tokens)"
)


class SearchVectorField(models.TextField):
    """A tsvector on PostgreSQL, text elsewhere; assign the token text, never read it back."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else super().db_type(connection)

    def get_placeholder(self, value, compiler, connection):
        return _VECTOR_SQL if connection.vendor == "postgresql" else "%s"
