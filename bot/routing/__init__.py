"""bot.routing."""
