"""insights.ingest."""
