"""The language model reader of these settings, built once per process at an edge."""

from __future__ import annotations

from bot.settings import Settings
from insights.answers import ModelReader, QuestionReader


def reader_from(settings: Settings) -> QuestionReader | None:
    """A reader over LLM_BASE_URL and LLM_MODEL, or None (nothing calls out) unless both
    are set. LLM_API_KEY is optional: local servers such as Ollama need none."""
    if not settings.llm_enabled or settings.llm_base_url is None or settings.llm_model is None:
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return ModelReader(
        settings.llm_base_url,
        settings.llm_model,
        api_key=key or None,
        timeout_seconds=settings.llm_timeout_seconds,
    )
