"""bot.entrypoints."""
