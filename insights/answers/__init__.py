"""insights.answers."""
