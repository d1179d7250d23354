"""The SQLite store: schema, migrations and queries that return dataclasses. Knows nothing of
Textual."""
