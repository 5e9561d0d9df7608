"""Suggest a codebook from a survey export, for a person to review before importing.

One pass over the answers (bounded memory) decides what each column is: a question
answered on a known scale (or in numeric codes), a segment to break results down by, or
something to skip. Personal and organization versions of the same statement are paired into
themes. The result is a :class:`Suggestion`: a valid codebook, review notes, commented TOML
and a short summary for a confirmation message.
"""

from insights.ingest.suggest._infer import suggest_codebook
from insights.ingest.suggest._suggestion import Suggestion

__all__ = ["Suggestion", "suggest_codebook"]
