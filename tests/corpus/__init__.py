"""The question corpus: how people type questions in Slack, and the strict query each must
be read as (``questions.toml``), over the demo survey and a second one (``pulse/``).
``measure`` reads it and reports the share read right; ``tests/test_corpus.py`` gates on it.
"""
