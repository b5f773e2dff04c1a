"""Reference data built in Python for the warehouse (no dagster import)."""
