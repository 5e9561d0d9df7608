"""Writers of survey-platform export files, faithful to each platform's layout, for tests.

Imported as ``export_fixtures`` (tests/ is on sys.path). Every writer takes the same small
logical dataset — :class:`Response` objects answering the :data:`SURVEY` questions — and
writes it the way one platform exports it: its header rows, metadata columns, value
conventions (choice text or numeric codes), dates, encoding and delimiter. Tests pick the
responses (or use :data:`RESPONSES`, a mix of kept, preview, test and unfinished ones)
and assert on what a reader makes of the file.

Answers are keyed the way Qualtrics names columns, whatever the platform written:
``Q1``; ``Q2`` plus ``Q2_4_TEXT`` (text typed next to "Other"); ``Q3_1``/``Q3_2`` (the
matrix rows); ``Q4`` (a multiple-answer question: choices joined with ","); ``Q5``
(free text). A missing key is an unanswered question.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

AGREE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")


@dataclass(frozen=True)
class Question:
    """One survey question; ``number`` is its Qualtrics QID number."""

    key: str
    number: int
    text: str
    choices: tuple[str, ...] = ()  # numeric exports write a choice's 1-based position
    rows: tuple[str, ...] = ()  # a matrix: one column per row statement
    multiple: bool = False  # several choices allowed
    other: str | None = None  # the choice that opens a text box


SURVEY = (
    Question(
        "Q1",
        1,
        "How long have you worked with customers in your current role?",
        ("Less than a year", "1–3 years", "More than 3 years"),
    ),
    Question(
        "Q2",
        2,
        "Which region do you work in?",
        ("Région Île-de-France", "Zürich", "São Paulo", "Other"),
        other="Other",
    ),
    Question(
        "Q3",
        3,
        "How much do you agree with the following statements?",
        AGREE,
        rows=(
            "I personally care about our customers’ experience",
            "My organization cares about our customers’ experience",
        ),
    ),
    Question(
        "Q4",
        4,
        "Which channels do you use to talk with customers?",
        ("Email", "Phone", "Chat"),
        multiple=True,
    ),
    Question("Q5", 5, "What is one thing we could do better?\n(optional)"),
)
MATRIX_QUESTION = SURVEY[2].text
MATRIX_ROWS = SURVEY[2].rows


@dataclass(frozen=True)
class Response:
    """One respondent as the platform holds them before export.

    ``status`` is Qualtrics' response type ("IP Address" for a real response, "Survey
    Preview", "Survey Test", "Spam", …); platforms without previews leave previews and
    tests out of their exports.
    """

    answers: Mapping[str, str] = field(default_factory=dict)
    status: str = "IP Address"
    finished: bool = True
    team: str = "Support"  # embedded data (Qualtrics) or custom data (SurveyMonkey)


RESPONSES = (
    Response(
        {
            "Q1": "1–3 years",
            "Q2": "Zürich",
            "Q3_1": "Agree",
            "Q3_2": "Disagree",
            "Q4": "Email,Chat",
            "Q5": 'Pick up the phone faster, please.\nAnd call back when you say "soon", too.',
        }
    ),
    Response(
        {
            "Q1": "More than 3 years",
            "Q2": "Other",
            "Q2_4_TEXT": "Lisboa",
            "Q3_1": "Strongly agree",
            "Q3_2": "Neither agree nor disagree",
            "Q4": "Phone",
        },
        team="Success",
    ),
    Response({"Q1": "Less than a year", "Q3_1": "Agree", "Q3_2": "Agree"}, "Survey Preview"),
    Response({"Q1": "1–3 years", "Q2": "São Paulo", "Q3_1": "Disagree"}, finished=False),
    Response(
        {
            "Q1": "Less than a year",
            "Q2": "Région Île-de-France",
            "Q3_1": "Strongly agree",
            "Q3_2": "Strongly disagree",
            "Q4": "Email,Phone,Chat",
            "Q5": "Fewer surveys, more listening.",
        },
        team="Sales",
    ),
    Response({"Q1": "More than 3 years", "Q3_1": "Agree", "Q3_2": "Agree"}, "Survey Test"),
)
"""Six responses: 1, 2 and 5 are real and finished; 3 a preview, 4 unfinished, 6 a test."""

STATUS_CODES = {
    "IP Address": 0,
    "Survey Preview": 1,
    "Survey Test": 2,
    "Imported": 4,
    "Spam": 8,
    "Offline": 16,
}
CHANNELS = {"IP Address": "anonymous", "Survey Preview": "preview", "Survey Test": "test"}
STARTED = dt.datetime(2024, 3, 1, 9, 15, 12)


def sample_responses(
    count: int, *, preview_every: int = 0, unfinished_every: int = 0
) -> list[Response]:
    """``count`` varied real responses; every n-th is a preview or unfinished (0: none).

    Response ``i`` (1-based) is a preview when ``i % preview_every == 0``, else unfinished
    when ``i % unfinished_every == 0``, so tests can work out the expected counts.
    """
    regions = SURVEY[1].choices[:3]
    made = []
    for i in range(1, count + 1):
        answers = {
            "Q1": SURVEY[0].choices[i % 3],
            "Q2": regions[i % len(regions)],
            "Q3_1": AGREE[i % 5],
            "Q3_2": AGREE[(i * 3) % 5],
            "Q4": ",".join(SURVEY[3].choices[: 1 + i % 3]),
            "Q5": f"Comment {i}, with a comma" if i % 4 == 0 else "",
        }
        preview = bool(preview_every) and i % preview_every == 0
        unfinished = bool(unfinished_every) and i % unfinished_every == 0
        made.append(
            Response(answers, "Survey Preview" if preview else "IP Address", not unfinished)
        )
    return made


def _code(question: Question, answer: str) -> str:
    """A choice answer as Qualtrics' numeric export writes it ("1,3" for several)."""
    if not answer or not question.choices:
        return answer
    if question.multiple:
        return ",".join(str(question.choices.index(a) + 1) for a in answer.split(","))
    return str(question.choices.index(answer) + 1)


def qualtrics_columns() -> list[tuple[str, str, str]]:
    """(column id, row-2 text, row-3 JSON) of every question column, as Qualtrics writes them.

    Matrix rows are ``Q3_1`` over "Question - Row" over ``{"ImportId":"QID3_1"}``; a choice
    with a text box adds ``Q2_4_TEXT``; a free-text question's ImportId ends in ``_TEXT``.
    """
    columns = []
    for q in SURVEY:
        qid = f"QID{q.number}"
        if q.rows:
            for i, row in enumerate(q.rows, start=1):
                columns.append((f"{q.key}_{i}", f"{q.text} - {row}", f"{qid}_{i}"))
        elif q.other:
            position = q.choices.index(q.other) + 1
            columns.append((q.key, f"{q.text} - Selected Choice", qid))
            columns.append(
                (
                    f"{q.key}_{position}_TEXT",
                    f"{q.text} - {q.other} - Text",
                    f"{qid}_{position}_TEXT",
                )
            )
        else:
            columns.append((q.key, q.text, qid if q.choices else f"{qid}_TEXT"))
    return [(key, text, f'{{"ImportId":"{import_id}"}}') for key, text, import_id in columns]


def _answer(response: Response, key: str, numeric: bool) -> str:
    """A response's answer in one Qualtrics column, coded if the export is numeric."""
    answer = response.answers.get(key, "")
    question = next(q for q in SURVEY if key.split("_")[0] == q.key)
    if not numeric or key.endswith("_TEXT"):
        return answer
    return _code(question, answer)


QUALTRICS_METADATA = (
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"America/Denver"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"America/Denver"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"America/Denver"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
)
QUALTRICS_EMBEDDED = (("Team", "Team", '{"ImportId":"Team"}'),)


def response_id(index: int) -> str:
    """The Qualtrics response id written for the ``index``-th (0-based) response."""
    return f"R_3kTq{index:011d}"


def _qualtrics_metadata(index: int, response: Response, numeric: bool) -> list[str]:
    started = STARTED + dt.timedelta(minutes=7 * index)
    seconds = 200 + 13 * index
    ended = (started + dt.timedelta(seconds=seconds)).isoformat(sep=" ")
    status = str(STATUS_CODES[response.status]) if numeric else response.status
    finished = ("1" if numeric else "True") if response.finished else ("0" if numeric else "False")
    real = response.status == "IP Address"
    return [
        started.isoformat(sep=" "),
        ended,
        status,
        f"203.0.113.{10 + index % 200}" if real else "",
        "100" if response.finished else "40",
        str(seconds),
        finished,
        ended,
        response_id(index),
        "",
        "",
        "",
        "",
        "39.7392" if real else "",
        "-104.9903" if real else "",
        CHANNELS.get(response.status, "anonymous"),
        "EN",
    ]


def _legacy_rows(responses: Sequence[Response], numeric: bool) -> list[list[str]]:
    """Legacy layout: V1…V10 ids over ResponseID… labels, numeric status, Finished 1/0."""
    questions = qualtrics_columns()
    location = ["LocationLatitude", "LocationLongitude", "LocationAccuracy"]
    labels = "ResponseID ResponseSet Name ExternalDataReference EmailAddress IPAddress"
    labels += " Status StartDate EndDate Finished"
    rows = [
        [f"V{i}" for i in range(1, 11)] + [c[0] for c in questions] + location,
        labels.split() + [c[1] for c in questions] + location,
    ]
    for index, r in enumerate(responses):
        started = STARTED + dt.timedelta(minutes=7 * index)
        meta = [response_id(index), "Default Response Set", "Anonymous", "", ""]
        meta += [f"203.0.113.{10 + index % 200}", str(STATUS_CODES[r.status])]
        meta += [started.isoformat(sep=" "), (started + dt.timedelta(minutes=4)).isoformat(sep=" ")]
        meta.append("1" if r.finished else "0")
        answers = [_answer(r, c[0], numeric) for c in questions]
        rows.append(meta + answers + ["39.7392", "-104.9903", "-1"])
    return rows


def _qualtrics_rows(responses: Sequence[Response], numeric: bool) -> list[list[str]]:
    """Ids, texts and ImportIds over metadata, answers and the embedded "Team" field."""
    questions = qualtrics_columns()
    columns = [*QUALTRICS_METADATA, *questions, *QUALTRICS_EMBEDDED]
    rows = [[c[i] for c in columns] for i in range(3)]
    for index, r in enumerate(responses):
        answers = [_answer(r, c[0], numeric) for c in questions]
        rows.append([*_qualtrics_metadata(index, r, numeric), *answers, r.team])
    return rows


def _write_text(
    path: Path, rows: Iterable[Sequence[object]], encoding: str, delimiter: str
) -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def _write_xlsx(path: Path, rows: Iterable[Sequence[object]], title: str = "Sheet1") -> Path:
    """A one-sheet workbook; saved like Excel saves it, with the sheet's <dimension>."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_qualtrics(
    path: Path,
    responses: Sequence[Response] = RESPONSES,
    *,
    numeric: bool = False,
    tsv: bool = False,
    legacy: bool = False,
    encoding: str = "utf-8-sig",
) -> Path:
    """A Qualtrics export of ``responses``: "Download data table" as CSV or TSV.

    Three header rows (ids; question texts, matrix rows as "Question - Row"; ImportId
    JSON), the 17 standard metadata columns, the questions, then an embedded-data "Team"
    column. ``numeric`` writes choice codes, Status codes and Finished 1/0 instead of
    text; previews, tests and unfinished responses are written as Qualtrics marks them.
    ``legacy`` writes the pre-2017 two-row layout (V1…V10, ResponseID…) instead.
    Qualtrics itself writes UTF-8 with a BOM for CSV and UTF-16 for TSV: pass
    ``encoding="utf-16"`` with ``tsv=True`` for the latter.
    """
    rows = _legacy_rows(responses, numeric) if legacy else _qualtrics_rows(responses, numeric)
    return _write_text(path, rows, encoding, "\t" if tsv else ",")


SURVEYMONKEY_METADATA = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
)


def _surveymonkey_header() -> list[list[str]]:
    """Question text over a question's first column only; row 2 names each column."""
    top, labels = list(SURVEYMONKEY_METADATA), [""] * len(SURVEYMONKEY_METADATA)
    for q in SURVEY:
        if q.rows or q.multiple:
            parts = list(q.rows or q.choices)
        elif q.other:
            parts = ["Response", "Other (please specify)"]
        else:
            parts = ["Response" if q.choices else "Open-Ended Response"]
        top += [q.text] + [""] * (len(parts) - 1)
        labels += parts
    return [top, labels]


def _surveymonkey_answers(response: Response) -> list[str]:
    a = response.answers
    other = a.get("Q2") == "Other"
    chosen = a.get("Q4", "").split(",")
    return [
        a.get("Q1", ""),
        "" if other else a.get("Q2", ""),
        a.get("Q2_4_TEXT", ""),
        a.get("Q3_1", ""),
        a.get("Q3_2", ""),
        *(choice if choice in chosen else "" for choice in SURVEY[3].choices),
        a.get("Q5", ""),
    ]


def surveymonkey_respondent_id(index: int) -> int:
    """The SurveyMonkey respondent id written for the ``index``-th (0-based) written row."""
    return 114253876021 + 17 * index


def write_surveymonkey(
    path: Path,
    responses: Sequence[Response] = RESPONSES,
    *,
    xlsx: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """A SurveyMonkey "All responses data" export, expanded columns, as CSV or XLSX.

    Row 1: the metadata columns then each question's text above its first column only;
    row 2: "Response" (or "Open-Ended Response") under single-answer questions, else each
    column's row or choice label ("Other (please specify)" for an Other text box). A chosen
    option is written as its label in its own column. SurveyMonkey has no previews or
    tests, so those responses are left out; unfinished ones are kept (partial responses).
    In XLSX, ids are numbers and dates real dates; in CSV, dates read "03/01/2024 09:15:12 AM".
    """
    rows: list[list[object]] = [list(r) for r in _surveymonkey_header()]
    kept = [r for r in responses if r.status not in ("Survey Preview", "Survey Test")]
    for index, r in enumerate(kept):
        started = STARTED + dt.timedelta(minutes=7 * index)
        ended = started + dt.timedelta(minutes=4, seconds=index)
        dates: list[object] = [started, ended]
        if not xlsx:
            dates = [d.strftime("%m/%d/%Y %I:%M:%S %p") for d in (started, ended)]
        meta = [surveymonkey_respondent_id(index), 431234567, *dates, f"198.51.100.{index % 250}"]
        rows.append([*meta, "", "", "", r.team, *_surveymonkey_answers(r)])
    if xlsx:
        return _write_xlsx(path, rows)
    return _write_text(path, rows, encoding, ",")


def write_google_forms(
    path: Path,
    responses: Sequence[Response] = RESPONSES,
    *,
    encoding: str = "utf-8",
) -> Path:
    """A Google Forms response sheet downloaded as CSV.

    One header row: "Timestamp", "Email address", then each question's title; a grid
    question has one column per row, titled "Question [Row]". Checkbox answers are joined
    with ", "; a typed "Other" answer replaces the choice. Forms only stores submitted
    responses, so previews, tests and unfinished ones are left out.
    """
    header = ["Timestamp", "Email address"]
    for q in SURVEY:
        header += [f"{q.text} [{row}]" for row in q.rows] if q.rows else [q.text]
    rows = [header]
    sent = [r for r in responses if r.status == "IP Address" and r.finished]
    for index, r in enumerate(sent):
        a = r.answers
        stamp = STARTED + dt.timedelta(minutes=7 * index)
        region = a.get("Q2_4_TEXT", "") if a.get("Q2") == "Other" else a.get("Q2", "")
        rows.append(
            [
                f"{stamp.month}/{stamp.day}/{stamp.year} {stamp:%H:%M:%S}",
                f"agent{index + 1}@example.com",
                a.get("Q1", ""),
                region,
                a.get("Q3_1", ""),
                a.get("Q3_2", ""),
                a.get("Q4", "").replace(",", ", "),
                a.get("Q5", ""),
            ]
        )
    return _write_text(path, rows, encoding, ",")


def write_plain(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    xlsx: bool = False,
) -> Path:
    """A plain table: one header row, then ``rows`` as given (one per respondent).

    As CSV/TSV (any ``encoding``, e.g. "cp1252" for Excel's Windows "CSV", "utf-16" for
    "Unicode Text" with ``delimiter="\\t"``) or, with ``xlsx``, as a one-sheet workbook
    where cells keep their Python types (ints, floats, datetimes, None for blank).
    """
    table: list[list[object]] = [list(header), *(list(r) for r in rows)]
    if xlsx:
        return _write_xlsx(path, table)
    return _write_text(path, table, encoding, delimiter)
