"""bot.views."""
