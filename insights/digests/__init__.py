"""insights.digests."""
