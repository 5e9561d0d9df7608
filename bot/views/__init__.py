"""Block Kit views of the edge: the buttons and decorations around the library's answers
(``answers``), the admin replies (``admin``) and the import forms (``imports``). Pure
functions of data: no Slack calls, no store.
"""
