"""Survey exports uploaded in Slack: ``uploads`` checks, downloads, maps and imports them
(the steps a person sees); ``jobs`` runs them in a few threads of their own, each heavy
step in a child process (``child``), within memory and time limits.
"""
