"""A survey whose every name is a Slack control sequence or an escape, for the tests that
check nothing from the data becomes markup (tests/e2e/test_escaping.py and the renderers'
unit tests). Imported as ``hostile_survey``; tests/ is on sys.path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from insights import Store
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import ImportSummary, import_file

SURVEY = "<#C0123>-pulse"
TITLE = "<!channel> & <https://evil.example|Quarterly> pulse"
WAVES = ("w1 <!channel>", "w2 &lt;forged&gt;")
DEPT = "<!subteam^S1>"  # a segment; stored lower-cased, as every segment name
SITE = "<@U0123> & co"
DEPT_VALUES = ("<!channel>", "<!here>", "&amp;forged", "x > y")
SITE_VALUES = ("<#C0123>", "<https://evil.example|click>")
NECESSITY = "<!channel> necessity"
VALUE = "<https://evil.example|click> value"
MEASURED = "&lt;forged&gt; measured"
AGREE = ("<!here> no", "&lt;forged&gt; meh", "Agree > all")
YES_NO = ("<!here> nope", "<@U0123> yes")
HOSTILE_CODEBOOK = f"""
[survey]
name = "{SURVEY}"
title = "{TITLE}"
respondent_id = "id"

[scales.agree]
labels = {list(AGREE)!r}
positive = ["Agree > all"]

[scales.yesno]
labels = {list(YES_NO)!r}
positive = ["<@U0123> yes"]

[[questions]]
column = "p"
theme = "{NECESSITY}"
perspective = "personal"
scale = "agree"
text = "I personally <!channel> believe it"

[[questions]]
column = "o"
theme = "{NECESSITY}"
perspective = "organization"
scale = "agree"
text = "My organization <!here> believes it"

[[questions]]
column = "p2"
theme = "{VALUE}"
perspective = "personal"
scale = "agree"
text = "It creates value <https://evil.example|click>"

[[questions]]
column = "o2"
theme = "{VALUE}"
perspective = "organization"
scale = "agree"
text = "My organization sees value &amp; more"

[[questions]]
column = "m"
theme = "{MEASURED}"
scale = "yesno"
text = "We measure it <!subteam^S1> & <#C0123>"

[[segments]]
column = "dept"
name = "{DEPT}"

[[segments]]
column = "site"
name = "{SITE}"
"""
# Names as people type them: the parser ignores case and everything but letters and digits.
DEPT_Q, SITE_Q = "subteams1", "u0123co"
# What Slack would show had a data entity been sent unescaped (shown as "<forged>", "&forged").
FORGED = ("<forged>", "&forged")


def hostile_csv(wave: int) -> str:
    """24 respondents: six per department, twelve per site; answers vary by wave."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "dept", "site", "p", "o", "p2", "o2", "m"])
    for i in range(24):
        answers = [AGREE[(i + wave + k) % 3] for k in range(4)]
        writer.writerow(
            [i + 1, DEPT_VALUES[i % 4], SITE_VALUES[i % 2], *answers, YES_NO[(i + wave) % 2]]
        )
    return out.getvalue()


def import_hostile(store: Store, team_id: str, directory: Path) -> list[ImportSummary]:
    """Both waves of the survey, imported into ``store`` for ``team_id`` (files in
    ``directory``)."""
    codebook = parse_codebook(HOSTILE_CODEBOOK)
    summaries = []
    for index, label in enumerate(WAVES, start=1):
        path = directory / f"hostile{index}.csv"
        path.write_text(hostile_csv(index), encoding="utf-8")
        summaries.append(
            import_file(store, path, codebook, team_id=team_id, wave=label, actor="cli:test")
        )
    return summaries
