"""The Dagster assets: thin wrappers that read, call a pure library, and write DuckDB tables."""
