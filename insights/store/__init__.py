"""insights.store.database."""
