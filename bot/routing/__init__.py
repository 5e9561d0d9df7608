"""What people type, read once for every entry point (``/empathy``, mentions, DMs, the
console): ``router`` decides whether the text is an action or a question and answers it;
``actions`` reads an action's words; ``forget`` and ``subscribe`` are the admin and channel
actions. A new action typed as text goes here; a new statistic does not (it is the
library's, ``insights/answers/stats.py``).
"""
