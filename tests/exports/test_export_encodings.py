"""Decoding text exports: UTF-8 with or without BOM, UTF-16 (with or without BOM), cp1252."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from export_fixtures import write_plain, write_qualtrics

from insights.errors import ImportFailed
from insights.ingest.exports import _decode, open_export

HEADER = ["id", "Région", "comment"]
ROWS = [["r1", "Zürich", "“Great” service, didn’t wait"], ["r2", "Île-de-France", "Ça va"]]
EXPECTED = {
    2: {"id": "r1", "Région": "Zürich", "comment": "“Great” service, didn’t wait"},
    3: {"id": "r2", "Région": "Île-de-France", "comment": "Ça va"},
}


@pytest.mark.parametrize(
    ("encoding", "delimiter", "starts"),
    [
        ("utf-8", ",", b"id,"),
        ("utf-8-sig", ",", codecs.BOM_UTF8),
        ("cp1252", ",", b"id,"),  # Excel's "CSV (Comma delimited)" on Windows
        ("cp1252", ";", b"id;"),  # … with a European list separator
        ("utf-16", "\t", codecs.BOM_UTF16_LE),  # Excel's "Unicode Text"
        ("utf-16-le", "\t", b"i\x00d\x00"),
        ("utf-16-be", ",", b"\x00i\x00d"),
    ],
)
def test_encodings_decode_to_the_same_cells(
    tmp_path: Path, encoding: str, delimiter: str, starts: bytes
) -> None:
    path = write_plain(tmp_path / "wave.csv", HEADER, ROWS, encoding=encoding, delimiter=delimiter)
    assert path.read_bytes().startswith(starts)

    export = open_export(path)

    assert export.layout.ids == HEADER  # no BOM left on the first id
    assert export.frame().to_dict("index") == EXPECTED


def test_utf16_big_endian_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    text = "id\tRégion\r\nr1\tZürich\r\n"
    path.write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))

    assert open_export(path).frame().to_dict("index") == {2: {"id": "r1", "Région": "Zürich"}}


def test_qualtrics_with_bom_is_still_recognised(tmp_path: Path) -> None:
    path = write_qualtrics(tmp_path / "q.csv", encoding="utf-8-sig")

    export = open_export(path)

    assert export.format == "qualtrics"
    assert export.layout.ids[0] == "StartDate"


def test_byte_undefined_in_cp1252_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"id,site\r\nr1,Z\xfcrich\r\nr2,Bad \x81 byte\r\n")

    with pytest.raises(ImportFailed) as failed:
        open_export(path)

    assert str(failed.value) == (
        "File mixed.csv cannot be read as text: the byte 0x81 on line 3 is neither UTF-8 nor "
        "Windows-1252 (Excel's 'CSV'). Save the export as 'CSV UTF-8' and try again."
    )


def test_bad_byte_far_into_a_large_file_is_found_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    lines = [b"id,comment"] + [b"r%d,fine comment number %d" % (i, i) for i in range(60_000)]
    lines.append(b"r-last,broken \x9d here")
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert path.stat().st_size > _decode.CHUNK_BYTES

    with pytest.raises(ImportFailed, match="the byte 0x9d on line 60002 "):
        open_export(path)


def test_decoding_is_chunked_and_multibyte_characters_may_straddle_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_decode, "CHUNK_BYTES", 3)  # splits "é" and "’" across chunks
    path = write_plain(tmp_path / "tiny.csv", ["id", "note"], [["1", "é’é"], ["2", "x"]])
    (tmp_path / "bad.csv").write_bytes(path.read_bytes() + "3,ok\n4,\x81\n".encode("latin-1"))

    assert open_export(path).frame()["note"].tolist() == ["é’é", "x"]
    with pytest.raises(ImportFailed, match="the byte 0x81 on line 5 "):
        open_export(tmp_path / "bad.csv")


def test_utf8_bom_with_a_bad_byte_is_not_taken_for_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"id,site\nr1,Z\xfcrich\n")

    with pytest.raises(ImportFailed) as failed:
        open_export(path)

    assert "it starts as UTF-8 but the byte 0xfc on line 2 is not UTF-8" in str(failed.value)


def test_truncated_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "id\tteam\r\nr1\tSales\r\n".encode("utf-16-le") + b"x")

    with pytest.raises(ImportFailed) as failed:
        open_export(path)

    assert "looks like UTF-16 (Excel's 'Unicode Text') but the byte 0x78 on line 3" in str(
        failed.value
    )


def test_utf8_wins_over_cp1252_when_both_decode(tmp_path: Path) -> None:
    # "Ã©" in cp1252 is "é" in UTF-8: valid UTF-8 must be read as UTF-8.
    path = write_plain(tmp_path / "u.csv", ["id", "site"], [["1", "Rhône-Alpes"]])

    assert open_export(path).frame()["site"].tolist() == ["Rhône-Alpes"]
