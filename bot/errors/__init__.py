"""How each edge tells a failure, once per edge kind: ``slack`` (a message in Slack),
``cli`` (a line on stderr and an exit status), ``http`` (a status and a short body).
Library errors (``insights.errors``) carry data; these modules word it. ``references``
gives a failure of ours a reference id instead of a traceback.
"""
