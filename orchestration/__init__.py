"""fundwatch: press articles about funding rounds → a DuckDB warehouse.

- `orchestration.ingest`: read the raw folder into an articles frame (files, encodings, metadata).
- `orchestration.parsing`: the pure polars extraction engine (no dagster import).
- `orchestration.reference`, `orchestration.resolution`: ECB rates and entity names.
- `orchestration.assets`, `orchestration.definitions`: the thin Dagster layer.
"""
