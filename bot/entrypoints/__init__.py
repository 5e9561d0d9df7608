"""Ways to run the app: ``server`` (the Procfile's web process) serving ``web`` (the ASGI
edge), ``socket`` (Socket Mode), ``console`` (Slack without Slack, for ``make run``),
``cli`` (the ``empathy`` command) with ``digest_cli`` (its ``digests`` group) and
``progress`` (its progress bar).
"""
