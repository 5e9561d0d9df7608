"""The optional language model through the real web process: a mention the rules cannot
read is read by the (fake) model into a strict query and answered by the engine, and a
model that fails leaves the usual reply; the API key never reaches the logs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fake_llm import FakeModel, failure, says
from harness import SlackClient, WebProcess, demo_database, start_web, stop_web

if TYPE_CHECKING:
    from harness import FakeSlack

API_KEY = "sk-e2e-language-model-key-0123456789"
UNREAD = "split it up by where people sit in the world"


@pytest.fixture(scope="module")
def model() -> Iterator[FakeModel]:
    with FakeModel(API_KEY) as fake:
        yield fake


@pytest.fixture(scope="module")
def model_web(
    tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack, model: FakeModel
) -> Iterator[WebProcess]:
    directory = tmp_path_factory.mktemp("model-web")
    settings = {
        "LLM_BASE_URL": model.base_url,
        "LLM_API_KEY": API_KEY,
        "LLM_MODEL": "fake-model",
        # Generous: a loaded 2-core machine must not turn the fake's answer into a timeout.
        "LLM_TIMEOUT_SECONDS": "20",
    }
    web = start_web(directory, fake_slack, demo_database(directory), settings)
    yield web
    stop_web(web)


def test_a_mention_the_rules_cannot_read_is_answered_as_the_model_reads_it(
    model_web: WebProcess, fake_slack: FakeSlack, model: FakeModel
) -> None:
    slack = SlackClient(model_web.url, fake_slack)
    model.script(says("gap by region"), failure(500))
    channel = slack.unique("C")

    assert slack.mention(UNREAD, channel=channel, ts="1700009100.000100").status == 200
    [reply] = fake_slack.posted_in(channel, "1700009100.000100")
    text = reply.payload["text"]
    assert "Read with the language model as: gap by region" in text
    assert "North America" in text and "Europe" in text
    [call] = model.wait_for(1)
    assert call.header("Authorization") == f"Bearer {API_KEY}"
    assert UNREAD in call.prompt
    assert "UBOTE2E" not in call.prompt  # Slack's mention of the bot is not sent

    # The model fails: the person gets the usual reply, in words.
    slack.mention(UNREAD, channel=channel, ts="1700009200.000100")
    [failed] = fake_slack.posted_in(channel, "1700009200.000100")
    assert "about the survey" in failed.payload["text"]
    assert "language model" not in failed.payload["text"]
    assert len(model.wait_for(2)) == 2
    assert API_KEY not in model_web.log_text()
