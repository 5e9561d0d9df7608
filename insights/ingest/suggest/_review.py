"""What the suggester saw about an export, beside the codebook it suggests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Review:
    """What the suggester saw, kept for the TOML comments and the Slack summary."""

    source: str = ""  # the export's name
    format: str = ""
    export_respondent_id: str | None = None  # the platform's response id column, if any
    scale_comments: dict[str, str] = field(default_factory=dict)  # scale name → comment
    placeholders: frozenset[str] = frozenset()  # scales whose labels are stand-in codes
    segment_values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column → sample
    skipped: dict[str, tuple[str, ...]] = field(default_factory=dict)  # reason → columns
