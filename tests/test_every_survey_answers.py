"""Every answer makes sense for every survey, not only for one shaped like the demo: a
survey of single questions, a lone question declared with a perspective, no segments,
scales with many positive labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import TEAM, CliRun, rows_csv

from insights import Store
from insights.answers.charts import breakdown_chart, gap_chart
from insights.answers.findings import BreakdownReport, GapReport
from insights.answers.reply import ask
from insights.errors import QueryError
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]

AGREE5 = """
[scales.agree5]
labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
positive = ["Agree", "Strongly agree"]
"""

LONE = """
[survey]
name = "lone"
respondent_id = "id"

{agree5}
[[questions]]
column = "Q1"
theme = "care"
perspective = "organization"
scale = "agree5"
text = "My organization cares about customers"
"""

# Two single questions without a perspective, and one segment: no personal/organization pair.
SINGLES = """
[survey]
name = "singles"
respondent_id = "id"

{agree5}
[[questions]]
column = "Q1"
theme = "care"
scale = "agree5"

[[questions]]
column = "Q2"
theme = "speed"
scale = "agree5"

[[segments]]
column = "dept"
"""
LONE, SINGLES = (text.replace("{agree5}", AGREE5) for text in (LONE, SINGLES))


def _import(
    store: Store, tmp_path: Path, codebook: str, header: list[str], rows: list[list]
) -> None:
    path = tmp_path / "w1.csv"
    path.write_text(rows_csv(rows, header), encoding="utf-8")
    import_file(store, path, parse_codebook(codebook), team_id=TEAM, wave="w1", actor="cli:test")


def _lone_rows() -> list[list]:
    # 10 answers, two of each label: 4 agree (Agree, Strongly agree).
    return [[i + 1, AGREE[i % 5]] for i in range(10)]


def _singles_rows() -> list[list]:
    # dept A: rows 0, 2, ..., 18; B: 1, 3, ..., 19. Q1 agrees when i % 5 >= 3;
    # Q2 agrees for every row of dept A and no row of dept B.
    return [
        [i + 1, AGREE[i % 5], "Agree" if i % 2 == 0 else "Disagree", "AB"[i % 2]] for i in range(20)
    ]


def test_a_lone_organization_question_is_shown_as_a_single_question(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, LONE, ["id", "Q1"], _lone_rows())
    text = ask(store, TEAM, "gap").text
    assert "Agree or Strongly agree: 40%† (4 of 10" in text
    assert "Care (organization question)" in text  # the codebook says so
    assert "suppressed" not in text and "hidden" not in text


def test_gap_survey_name_answers_a_lone_organization_question_from_the_command_line(
    run: CliRun, tmp_path: Path
) -> None:
    (tmp_path / "cb.toml").write_text(LONE, encoding="utf-8")
    (tmp_path / "w1.csv").write_text(rows_csv(_lone_rows(), ["id", "Q1"]), encoding="utf-8")
    assert run("import", "w1.csv", "--codebook", "cb.toml").exit_code == 0
    for query in ("gap survey lone", "gap"):
        result = run("ask", query)
        assert result.exit_code == 0, result.output
        assert "40%† (4 of 10" in result.stdout


def test_a_single_question_without_a_perspective_is_not_titled_organization(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, SINGLES, ["id", "Q1", "Q2", "dept"], _singles_rows())
    text = ask(store, TEAM, "gap").text
    assert "organization question" not in text
    assert "Care (single question)" in text
    assert "themes" in ask(store, TEAM, "themes").text.casefold()
    assert "organization question" not in ask(store, TEAM, "themes").text


def test_a_breakdown_of_a_survey_without_pairs_shows_each_groups_share(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, SINGLES, ["id", "Q1", "Q2", "dept"], _singles_rows())
    text = ask(store, TEAM, "gap by dept").text
    assert "no group has a figure" not in text
    # speed: dept A all agree (10 of 10), dept B none (0 of 10).
    assert "100%† (10 of 10" in text
    assert "0%† (0 of 10" in text
    # care: i % 5 in (3, 4) agrees: A holds i = 4, 8, 14, 18 → 4 of 10; B 3, 9, 13, 19 → 4.
    assert text.count("40%† (4 of 10") >= 2


SLIDER = """
[survey]
name = "slider"
respondent_id = "id"

[scales.slider]
labels = [{labels}]
positive = [{positive}]

[[questions]]
column = "Q1"
theme = "confidence"
scale = "slider"
"""


def test_many_positive_labels_are_summarised_not_listed(store: Store, tmp_path: Path) -> None:
    labels = ", ".join(f'"{i}"' for i in range(101))
    positive = ", ".join(f'"{i}"' for i in range(51, 101))
    codebook = SLIDER.format(labels=labels, positive=positive)
    # 10 answers 0, 10, ..., 90: 60, 70, 80, 90 are above 50.
    _import(store, tmp_path, codebook, ["id", "Q1"], [[i + 1, i * 10] for i in range(10)])
    text = ask(store, TEAM, "gap").text
    assert "51 to 100: 40%† (4 of 10" in text
    assert "51 or 52" not in text


def test_positive_labels_not_in_one_run_name_the_first_few_and_how_many_more() -> None:
    labels = ", ".join(f'"{i}"' for i in range(10))
    codebook = parse_codebook(SLIDER.format(labels=labels, positive='"1", "3", "5", "7", "9"'))
    assert codebook.scales["slider"].positive_text == "1, 3, 5 or 2 more"


def test_a_breakdown_by_a_segment_of_a_survey_without_segments_lists_none(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, LONE, ["id", "Q1"], _lone_rows())
    with pytest.raises(QueryError) as raised:
        ask(store, TEAM, "gap by role")
    said = f"{raised.value} {raised.value.suggestion}"
    assert "Known: ." not in said
    assert "This survey has none." in said


def test_charts_and_theme_lists_name_only_the_perspective_the_codebook_declares(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, SINGLES, ["id", "Q1", "Q2", "dept"], _singles_rows())
    finding = ask(store, TEAM, "gap").finding
    assert isinstance(finding, GapReport)
    assert "care (single question)" in gap_chart(finding).alt_text
    breakdown = ask(store, TEAM, "gap care by dept").finding
    assert isinstance(breakdown, BreakdownReport)
    assert "(single question)" in breakdown_chart(breakdown).title
    themes = ask(store, TEAM, "themes").text
    assert "care — single question" in themes
    assert "“Q1”" not in themes  # a column id is not a question's text


def test_a_lone_organization_questions_chart_keeps_its_declared_perspective(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, LONE, ["id", "Q1"], _lone_rows())
    finding = ask(store, TEAM, "gap").finding
    assert isinstance(finding, GapReport)
    assert (
        "care (organization question): Agree or Strongly agree 40%" in gap_chart(finding).alt_text
    )
    assert "organization question: “My organization cares" in ask(store, TEAM, "themes").text


def test_labels_that_are_numbers_are_read_as_labels_not_as_other_labels_codes(
    store: Store, tmp_path: Path
) -> None:
    # Labels "0" … "6" have the codes 1 … 7 by default: a cell "5" is the label "5".
    labels = ", ".join(f'"{i}"' for i in range(7))
    codebook = SLIDER.format(labels=labels, positive='"5", "6"')
    answers = ["0", "1", "2", "3", "4", "5", "5", "6", "6", "6"]  # 5 of 10 are 5 or 6
    _import(store, tmp_path, codebook, ["id", "Q1"], [[i + 1, a] for i, a in enumerate(answers)])
    assert "5 or 6: 50%† (5 of 10" in ask(store, TEAM, "gap").text


def test_a_ranking_without_any_gap_ranks_the_first_question_by_its_share_and_says_so(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, SINGLES, ["id", "Q1", "Q2", "dept"], _singles_rows())
    rows = [[i + 1, AGREE[4 if i % 2 == 0 else 0], "Agree", "AB"[i % 2]] for i in range(20)]
    _import(store, tmp_path, SINGLES, ["id", "Q1", "Q2", "dept"], rows)  # care: A 10/10, B 0/10
    text = ask(store, TEAM, "gap by dept widest").text
    assert "Ranked by share on care, highest first (the first question with a share" in text
    assert "1. A (n = 10): 100%† (10 of 10" in text
    assert "2. B (n = 10): 0%† (0 of 10" in text
    assert "widest overall" not in text


def test_gap_widest_on_a_survey_without_gaps_is_titled_by_share(
    store: Store, tmp_path: Path
) -> None:
    rows = [[i + 1, AGREE[4 if i % 2 == 0 else 0], "Agree", "AB"[i % 2]] for i in range(20)]
    _import(store, tmp_path, SINGLES, ["id", "Q1", "Q2", "dept"], rows)
    text = ask(store, TEAM, "gap widest").text
    assert "Where the share is highest: care" in text
    assert "Where the gap is" not in text
