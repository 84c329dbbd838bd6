"""The public portal's search words: the tokenizer and query builder live in
powerlist.search (the staff lists use the same search); this module keeps the names
disclosure code imports."""

from powerlist.search import (  # noqa: F401
    MAX_QUERY_LENGTH,
    MAX_QUERY_TERMS,
    SYNONYMS,
    capped_count,
    highlight_spans,
    like_needles,
    query_groups,
    search_tokens,
    snippet,
    text_tokens,
    tsquery,
)
