"""Read a raw folder into one articles frame and one quarantine frame.

This is the only place that touches article files. It decides, per file, whether
it can be read as an article; what it cannot read goes to quarantine with a
reason, and the rest of the folder is read as usual.
"""
from orchestration.ingest.articles import ARTICLE_SCHEMA, QUARANTINE_SCHEMA, IngestResult, read_raw_folder

__all__ = ["ARTICLE_SCHEMA", "QUARANTINE_SCHEMA", "IngestResult", "read_raw_folder"]
