"""bot.errors."""
