"""bot.imports."""
