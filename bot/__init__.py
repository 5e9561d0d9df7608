"""Empathy Gap's Slack edge: the Bolt app, its listeners, serving, and the CLI."""
