"""Registers the end-to-end fixtures, which live in harness.py with the helpers tests import
(``import conftest`` would be ambiguous: every suite has a conftest.py)."""

from harness import (
    fake_slack,
    import_web,
    slack,
    start_another_web,
    uploads,
    web,
    web_control,
    workspaces_fake,
)

__all__ = [
    "fake_slack",
    "import_web",
    "slack",
    "start_another_web",
    "uploads",
    "web",
    "web_control",
    "workspaces_fake",
]
