"""Full-text search over every public content model, in English and Chinese, on PostgreSQL and SQLite.

- `text`: words to terms (stems, Chinese pairs), for documents, queries and highlighting alike.
- `index`: the registry of searchable models and the SearchEntry rows kept for each object.
- `ranking`: which rows match a query and how well (`SearchableQuerySet.search()`).
- `highlight`: passages with the matched words in <mark>.
"""
