"""Survey-platform exports (Qualtrics, SurveyMonkey, Google Forms, plain) read as one model.

:func:`open_export` recognises the layout from the header and returns an :class:`Export`
that streams respondents in chunks, within :class:`Limits`; everything else is private.
"""

from insights.ingest.exports._limits import DEFAULT_LIMITS, Limits
from insights.ingest.exports._model import FORMATS, Column, Export, Format, Layout, Progress
from insights.ingest.exports._open import open_export

__all__ = [
    "DEFAULT_LIMITS",
    "FORMATS",
    "Column",
    "Export",
    "Format",
    "Layout",
    "Limits",
    "Progress",
    "open_export",
]
