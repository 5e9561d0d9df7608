"""Every kind of message is valid Block Kit within Slack's limits, and every answer says
which survey, wave, respondents and filters it is about."""

from __future__ import annotations

from typing import Any

import pytest
from support import TEAM, Importer, Writer, assert_valid_blocks

from insights import Store, ask
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file

SLACK_MAX_BLOCKS = 50


def assert_valid(blocks: list[dict[str, Any]]) -> None:
    assert_valid_blocks(blocks, SLACK_MAX_BLOCKS)


def all_text(blocks: list[dict[str, Any]]) -> str:
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [element["text"] for element in block.get("elements", [])]
    return "\n".join(texts)


KINDS = {
    "gap": "gap",
    "one theme": "gap necessity role=in-house",
    "overview": "",
    "breakdown": "gap by region",
    "breakdown of a single theme": "gap measures empathy by seniority",
    "change": "gap vs 2021-pilot",
    "change with filters": "gap role=consultant vs 2021-pilot",
    "themes": "themes",
    "segments": "segments",
    "surveys": "surveys",
    "waves": "waves",
    "help": "help",
}


@pytest.mark.parametrize("text", KINDS.values(), ids=list(KINDS))
def test_every_message_kind_is_valid_block_kit(demo_store: Store, text: str) -> None:
    reply = ask(demo_store, TEAM, text)
    assert_valid(reply.blocks)
    assert reply.blocks[0]["type"] == "header"
    assert reply.text.strip()


@pytest.mark.parametrize(
    ("text", "wave", "filters", "n"),
    [
        ("gap", "2022", "all respondents", "n = 197"),
        ("", "2022", "all respondents", "n = 197"),
        ("gap role=in-house", "2022", "role = In-house", "n = 150"),
        ("gap by seniority role=in-house", "2022", "role = In-house", "n = 150"),
        ("gap wave 2021-pilot", "2021-pilot", "all respondents", "n = 120"),
        ("gap role=consultant vs 2021-pilot", "2022", "role = Consultant", "n = 47"),
    ],
)
def test_every_answer_names_survey_wave_n_and_filters(
    demo_store: Store, text: str, wave: str, filters: str, n: str
) -> None:
    reply = ask(demo_store, TEAM, text)
    for where in (reply.text, all_text(reply.blocks)):
        assert "survey empathy-in-action" in where
        assert f"wave {wave}" in where
        assert filters in where
        assert n in where


def test_change_names_both_bases(demo_store: Store) -> None:
    reply = ask(demo_store, TEAM, "gap vs 2021-pilot")
    assert "n = 197 · 2021-pilot: n = 120" in all_text(reply.blocks)


def test_listings_name_their_survey(demo_store: Store) -> None:
    for text in ("themes", "segments", "waves"):
        assert "Survey empathy-in-action" in all_text(ask(demo_store, TEAM, text).blocks)
    assert "empathy-in-action" in all_text(ask(demo_store, TEAM, "surveys").blocks)


def test_blocks_and_text_agree_on_figures(demo_store: Store) -> None:
    reply = ask(demo_store, TEAM, "gap")
    blocks = all_text(reply.blocks)
    assert "*91%* (179 of 197, 95% CI 86–94%)" in blocks
    assert "91% (179 of 197, 95% CI 86–94%)" in reply.text


def test_help_needs_no_survey(store: Store) -> None:
    reply = ask(store, TEAM, "help")
    assert_valid(reply.blocks)
    assert reply.query is None
    assert "gap by role" in all_text(reply.blocks)


def test_a_breakdown_with_80_groups_is_trimmed_and_valid(
    store: Store, import_rows: Importer
) -> None:
    rows = [
        [f"r{g:02d}{i}", f"Team number {g:02d}", "s1", "Agree", "Disagree", "Yes"]
        for g in range(80)
        for i in range(5)
    ]
    import_rows(rows)
    reply = ask(store, TEAM, "gap by team", min_group_size=5)
    assert_valid(reply.blocks)
    headline, *sections = [b["text"]["text"] for b in reply.blocks if b["type"] == "section"]
    assert headline.startswith("By team, the gap on care is widest for Team number 00")
    assert len(sections) == 1  # one paired theme
    assert "Team number 00" in sections[0]
    assert "more line(s); add a filter to narrow this down." in sections[0]
    # The plain text is not trimmed: every group is there.
    assert reply.text.count("(n = 5)") == 80


def test_a_listing_with_many_values_is_valid(store: Store, import_rows: Importer) -> None:
    rows = [[f"r{g}", f"Value {g:03d} of a long list", "s1", "Agree", "", ""] for g in range(150)]
    import_rows(rows)
    assert_valid(ask(store, TEAM, "segments").blocks)


def test_many_themes_are_cut_to_the_block_limit(store: Store, write_csv: Writer) -> None:
    count = 60
    questions = "".join(
        f'[[questions]]\ncolumn = "q{i}"\ntheme = "theme {i:02d}"\nscale = "yesno"\n\n'
        for i in range(count)
    )
    codebook = parse_codebook(
        '[survey]\nname = "wide"\nrespondent_id = "id"\n'
        '[scales.yesno]\nlabels = ["No", "Yes"]\npositive = ["Yes"]\n\n' + questions
    )
    header = ["id", *(f"q{i}" for i in range(count))]
    path = write_csv([[f"r{r}", *(["Yes"] * count)] for r in range(6)], header=header)
    import_file(store, path, codebook, team_id=TEAM, wave="w1", actor="cli:test")
    reply = ask(store, TEAM, "gap")
    assert_valid(reply.blocks)
    assert len(reply.blocks) <= 45  # room for the edge to add buttons
    assert "more part(s) not shown; narrow the query." in all_text(reply.blocks[-1:])
    assert "Theme 59" in reply.text


def test_long_names_are_trimmed_to_slack_limits(store: Store, write_csv: Writer) -> None:
    long_segment = "s" * 200
    codebook = parse_codebook(
        f'[survey]\nname = "long"\ntitle = "{"T" * 4000}"\nrespondent_id = "id"\n'
        '[scales.yesno]\nlabels = ["No", "Yes"]\npositive = ["Yes"]\n'
        '[[questions]]\ncolumn = "p"\ntheme = "' + "t" * 80 + '"\nperspective = "personal"\n'
        'scale = "yesno"\n'
        '[[questions]]\ncolumn = "o"\ntheme = "' + "t" * 80 + '"\nperspective = "organization"\n'
        'scale = "yesno"\n'
        f'[[segments]]\ncolumn = "seg"\nname = "{long_segment}"\n'
    )
    rows = [[f"r{i}", "x" if i % 2 else "y", "Yes", "No"] for i in range(12)]
    import_file(
        store,
        write_csv(rows, header=["id", "seg", "p", "o"]),
        codebook,
        team_id=TEAM,
        wave="w",
        actor="cli:test",
    )
    for text in ("gap", f"gap by {long_segment}", "themes", "segments"):
        assert_valid(ask(store, TEAM, text).blocks)


def test_render_is_deterministic(demo_store: Store) -> None:
    first = ask(demo_store, TEAM, "gap by role")
    second = ask(demo_store, TEAM, "gap by role")
    assert first == second
    assert first.query == "gap by role"
