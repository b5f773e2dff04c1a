"""Entity resolution: names as written -> one company or investor (no dagster import)."""
