"""Every bad input is refused with a message that says where the problem is, and the
database is left exactly as it was."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support import TEAM, TINY_CODEBOOK, TINY_COLUMNS, Importer, Writer, dump, rows_csv

from insights import CodebookError, ImportFailed, Store
from insights.ingest.codebook import Codebook, load_codebook, parse_codebook
from insights.ingest.importer import import_file

GOOD = [
    ["r1", "A", "s1", "Agree", "Disagree", "Yes"],
    ["r2", "B", "s1", "3", "1", "2"],
]


@pytest.fixture
def seeded(store: Store, import_rows: Importer) -> Iterator[Store]:
    """A store with one good wave in it, and a check that a failure changed nothing."""
    import_rows(GOOD, wave="w1")
    before = dump(store)
    yield store
    assert dump(store) == before


def refuse(store: Store, path: Path, codebook: Codebook) -> str:
    with pytest.raises(ImportFailed) as caught:
        import_file(store, path, codebook, team_id=TEAM, wave="w2", actor="cli:test")
    message = str(caught.value)
    assert "\n" not in message  # one paragraph
    return message


def test_missing_file(seeded: Store, tiny_codebook: Codebook, tmp_path: Path) -> None:
    message = refuse(seeded, tmp_path / "nope.csv", tiny_codebook)
    assert message.endswith("nope.csv does not exist.")


def test_a_folder_is_not_a_file(seeded: Store, tiny_codebook: Codebook, tmp_path: Path) -> None:
    assert "is a folder, not a file" in refuse(seeded, tmp_path, tiny_codebook)


def test_undecodable_bytes_name_the_row(
    seeded: Store, tiny_codebook: Codebook, tmp_path: Path
) -> None:
    # Neither UTF-8 nor Windows-1252, where 0x81 means nothing: the bytes are unreadable.
    path = tmp_path / "garbled.csv"
    path.write_bytes(rows_csv(GOOD).encode() + b"r3,Caf\x81,s1,Agree,Agree,Yes\n")
    message = refuse(seeded, path, tiny_codebook)
    assert "0x81" in message
    assert "line 4" in message
    assert "CSV UTF-8" in message


def test_unknown_answer_label_names_row_and_column(
    seeded: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    path = write_csv(
        [
            *GOOD,
            ["r3", "A", "s1", "Agreee", "Disagree", "Yes"],
            ["r4", "A", "s1", "Agree", "9", "Maybe"],
        ]
    )
    message = refuse(seeded, path, tiny_codebook)
    assert "row 4, column 'p': 'Agreee' is not an answer on scale 'agree3'" in message
    assert "(expected one of: Disagree, Neutral, Agree; or a code 1–3)" in message
    assert "row 5, column 'o': '9' is not an answer" in message
    assert "row 5, column 'm': 'Maybe' is not an answer on scale 'yesno'" in message
    assert message.endswith("Nothing was imported.")


def test_the_same_bad_label_on_many_rows_is_listed_once(
    seeded: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    rows = [[f"r{i}", "A", "s1", "Sure", "Agree", "Yes"] for i in range(10)]
    message = refuse(seeded, write_csv(rows), tiny_codebook)
    assert "rows 2, 3, 4, 5, 6 (and 5 more), column 'p': 'Sure'" in message


def test_missing_columns(seeded: Store, tiny_codebook: Codebook, write_csv: Writer) -> None:
    path = write_csv([["r1", "A", "Agree"]], header=["id", "team", "p"])
    message = refuse(seeded, path, tiny_codebook)
    for column in ("site", "o", "m"):
        assert f"column {column!r} named in the codebook is missing from the file" in message
    assert "'team'" not in message


def test_repeated_header_column(seeded: Store, tiny_codebook: Codebook, write_csv: Writer) -> None:
    # pandas would quietly rename the second 'm' to 'm.1' and import the first one.
    path = write_csv(
        [["r1", "A", "s1", "Agree", "Agree", "Yes", "No"]], header=[*TINY_COLUMNS, "m"]
    )
    assert "'m' names columns F and G" in refuse(seeded, path, tiny_codebook)


def test_trailing_blank_header_cells_are_not_repeats(
    store: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    path = write_csv(
        [["r1", "A", "s1", "Agree", "Agree", "Yes", "", ""]], header=[*TINY_COLUMNS, "", ""]
    )
    assert (
        import_file(
            store, path, tiny_codebook, team_id=TEAM, wave="w", actor="cli:test"
        ).respondents
        == 1
    )


def test_duplicate_respondent_ids_name_the_rows(
    seeded: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    path = write_csv([*GOOD, ["r1", "A", "s1", "Agree", "Agree", "Yes"]])
    message = refuse(seeded, path, tiny_codebook)
    assert "rows 2, 4, column 'id': respondent id 'r1' is repeated" in message


def test_blank_respondent_id(seeded: Store, tiny_codebook: Codebook, write_csv: Writer) -> None:
    path = write_csv([*GOOD, ["", "A", "s1", "Agree", "Agree", "Yes"]])
    assert "row 4, column 'id': respondent id is empty" in refuse(seeded, path, tiny_codebook)


def test_empty_file(seeded: Store, tiny_codebook: Codebook, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    message = refuse(seeded, path, tiny_codebook)
    assert message == "File empty.csv is empty: there is no header row and no respondents."


def test_header_only_file(seeded: Store, tiny_codebook: Codebook, write_csv: Writer) -> None:
    message = refuse(seeded, write_csv([]), tiny_codebook)
    assert message == "File wave.csv has a header row but no respondents."


def test_ragged_rows(seeded: Store, tiny_codebook: Codebook, tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(rows_csv(GOOD) + "r3,A,s1,Agree,Agree,Yes,extra,extra\n", encoding="utf-8")
    message = refuse(seeded, path, tiny_codebook)
    assert message.startswith("File ragged.csv, row 4: the row has 8 cells")


def test_every_problem_is_reported_at_once(
    seeded: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    path = write_csv(
        [["r1", "A", "s1", "Agree", "Nah", "Yes"], ["r1", "A", "s1", "Agree", "Agree", "Perhaps"]]
    )
    with pytest.raises(ImportFailed) as caught:
        import_file(seeded, path, tiny_codebook, team_id=TEAM, wave="w2", actor="cli:test")
    assert len(caught.value.problems) == 3
    assert caught.value.exit_code == 3


def test_bad_toml_codebook(tmp_path: Path) -> None:
    path = tmp_path / "codebook.toml"
    path.write_text("[survey\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"is not valid TOML: .*line 1"):
        load_codebook(path)


def test_bad_yaml_codebook(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text("survey: [\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="is not valid YAML"):
        load_codebook(path)


def test_yaml_codebook_that_is_a_list(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"must be a table with \[survey\]"):
        load_codebook(path)


def test_missing_codebook(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="does not exist"):
        load_codebook(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('positive = ["Agree"]', 'positive = ["Agreed"]'), "positive answers ['Agreed']"),
        (('scale = "yesno"', 'scale = "yn"'), "uses scale 'yn', which is not defined"),
        (('column = "o"', 'column = "p"'), "columns used twice: p"),
        (('perspective = "organization"', 'perspective = "personal"'), "has two personal"),
        (('perspective = "organization"', 'perspective = "company"'), "questions.1.perspective"),
        (('respondent_id = "id"', 'respondent = "id"'), "survey.respondent: Extra inputs"),
        (('labels = ["No", "Yes"]', 'labels = ["No", "no"]'), "scale labels must be distinct"),
    ],
)
def test_invalid_codebook(change: tuple[str, str], problem: str) -> None:
    old, new = change
    assert old in TINY_CODEBOOK
    with pytest.raises(CodebookError) as caught:
        parse_codebook(TINY_CODEBOOK.replace(old, new, 1), name="tiny.toml")
    assert str(caught.value).startswith("Codebook tiny.toml is invalid: ")
    assert problem in str(caught.value)


def test_yaml_and_toml_codebooks_are_the_same(tmp_path: Path, tiny_codebook: Codebook) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tomllib.loads(TINY_CODEBOOK)), encoding="utf-8")
    assert load_codebook(path) == tiny_codebook
