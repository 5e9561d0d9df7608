"""Ingest: survey exports in, checked and coded respondents out, written to the store at once.

* ``exports/`` reads each platform's layout (Qualtrics, SurveyMonkey, Google Forms, plain
  CSV or Excel) as one streamed model, within limits; a new export layout goes there.
* ``suggest/`` proposes a codebook from an export, for a person to review.
* ``codebook`` says how an export's columns map onto themes, scales and segments.
* ``checks`` and ``column_builder`` check and code each chunk, and collect the wave's columns.
* ``importer`` runs an import: all or nothing, its audit entry in the same transaction.
* ``pending`` keeps an upload waiting for its go-ahead; ``demo`` is the bundled survey.

The edge imports the names below and nothing else from this package.
"""

from insights.ingest.checks import missing_columns
from insights.ingest.codebook import Codebook, load_codebook, parse_codebook
from insights.ingest.demo_loader import load_demo
from insights.ingest.exports import (
    DEFAULT_LIMITS,
    FORMATS,
    Export,
    Format,
    Limits,
    Progress,
    open_export,
)
from insights.ingest.importer import ImportSummary, import_export, import_file
from insights.ingest.pending import CodebookFormat, PendingImport
from insights.ingest.pending import cancel as cancel_pending
from insights.ingest.pending import claim as claim_pending
from insights.ingest.pending import create as create_pending
from insights.ingest.pending import delete as delete_pending
from insights.ingest.pending import get as get_pending
from insights.ingest.pending import in_thread as pending_in_thread
from insights.ingest.pending import release as release_pending
from insights.ingest.pending import update as update_pending
from insights.ingest.suggest import Suggestion, suggest_codebook

__all__ = [
    "DEFAULT_LIMITS",
    "FORMATS",
    "Codebook",
    "CodebookFormat",
    "Export",
    "Format",
    "ImportSummary",
    "Limits",
    "PendingImport",
    "Progress",
    "Suggestion",
    "cancel_pending",
    "claim_pending",
    "create_pending",
    "delete_pending",
    "get_pending",
    "import_export",
    "import_file",
    "load_codebook",
    "load_demo",
    "missing_columns",
    "open_export",
    "parse_codebook",
    "pending_in_thread",
    "release_pending",
    "suggest_codebook",
    "update_pending",
]
