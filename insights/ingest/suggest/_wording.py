"""Reading question wording: whose view a question asks for, and what it is about."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from insights.ingest.codebook import Perspective
from insights.ingest.exports._model import Column


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string (long lists stay readable)."""
    return frozenset(words.split())


_PERSONAL = re.compile(
    r"\b(?:i\s+personally|personally|i\s+(?:believe|think|feel)|"
    r"in\s+my\s+(?:own\s+)?(?:opinion|view))\b",
    re.IGNORECASE,
)
_ORG_NOUN = r"(?:organi[sz]ation|company|employer|firm|workplace)"
_PLACE = r"(?:community|neighbou?rhood|area|town|city|country|workplace|team)"
# The organization side also covers the others a statement is about: leadership, and the
# people around the respondent ("people in my community are doing X"); a codebook has two
# perspectives, and the gap between "me" and "them" is the one a person reads.
_ORGANIZATION = re.compile(
    rf"\b(?:(?:leadership|leaders|management|executives)\s+(?:at|in|of)\s+(?:my|our)\s+"
    rf"{_ORG_NOUN}|(?:my|our)\s+{_ORG_NOUN}(?:'s\s+(?:leadership|leaders|management))?|"
    rf"the\s+{_ORG_NOUN}\s+i\s+work\s+(?:for|at|in)|"
    rf"(?:our\s+|the\s+|senior\s+)?leadership(?:\s+team)?|"
    rf"(?:most\s+)?(?:people|others|everyone|those)\s+(?:in|around|near|close\s+to)\s+"
    rf"(?:me|us|my\s+{_PLACE}|our\s+{_PLACE})|"
    rf"(?:my|our)\s+(?:colleagues|co-?workers|peers|neighbou?rs|community))\b",
    re.IGNORECASE,
)
# A column id or header ending in one of these words names its perspective
# ("necessity_personal", "Necessity (org)") when the wording itself does not.
_SUFFIXES: dict[str, Perspective] = {
    **dict.fromkeys(("personal", "personally", "self", "me", "individual"), "personal"),
    **dict.fromkeys(
        ("organization", "organisation", "organizational", "organisational", "org", "orga"),
        "organization",
    ),
    **dict.fromkeys(("company", "corporate", "employer"), "organization"),
}
_TAG = re.compile(r"(?:[(\[]\s*\w+\s*[)\]]|\s[-–—:/|]\s*\w+)\s*$")
# Where a grid's stem ends and its statement starts, in exports that join the two.
_STEM_END = re.compile(r"(?:\?|:|\s[-–—]|\n)\s")
STOPWORDS = word_set(
    "a about across after all also an and any are as at be been being but by can could did do "
    "does for from had has have how i if in into is it its me more most much my of on or our "
    "ours please should so such than that the their them there these they this those to us "
    "very was we were what when where which while who whom why will with would you your"
)
# Verbs that carry the perspective ("I believe" / "my company thinks") rather than the topic.
_OPINION_VERBS = word_set("believe think feel consider agree view opinion personally")


@dataclass(frozen=True)
class Wording:
    perspective: Perspective | None
    words: tuple[str, ...]  # topic words in order: lowercase, no stopwords or perspective


def statement(column: Column) -> str:
    """The wording that says what a column asks: a grid row's label, else its text, else id."""
    return (column.row or column.text or column.id).strip()


def read_wording(column: Column) -> Wording:
    text = statement(column).replace("\u2019", "'")  # "my company’s" as "my company's"
    found = _phrase(text)
    if found is not None:
        perspective, start, end = found
        return Wording(perspective, topic_words(_drop_stem(text[:start]) + " " + text[end:]))
    for source in (text, column.id):
        words = tokens(source)
        if len(words) > 1 and words[-1] in _SUFFIXES and _tagged(source):
            return Wording(_SUFFIXES[words[-1]], topic_words(" ".join(words[:-1])))
    return Wording(None, topic_words(_drop_stem(text)))


def grid_wordings(columns: Sequence[Column]) -> list[Wording]:
    """Each column's wording, a grid row's without the words every row of its grid shares.

    Rows of one grid repeat a frame ("… is a necessary precaution", "people in my community
    are …"); what a row is about is the rest, and the rest is what pairs it across grids.
    """
    read = [read_wording(column) for column in columns]
    rows: dict[str, list[int]] = {}
    for k, column in enumerate(columns):
        if column.question and column.row:
            rows.setdefault(column.question, []).append(k)
    for members in rows.values():
        if len(members) < 2:
            continue
        shared = set.intersection(*(set(map(stem, read[k].words)) for k in members))
        for k in members:
            kept = tuple(w for w in read[k].words if stem(w) not in shared)
            if kept:
                read[k] = Wording(read[k].perspective, kept)
    return read


def _tagged(source: str) -> bool:
    """Whether the last word is a tag ("value_org", "Value (personal)"), not prose.

    Prose such as "…support from my employer" must not read as a perspective.
    """
    return " " not in source.strip() or bool(_TAG.search(source))


def _phrase(text: str) -> tuple[Perspective, int, int] | None:
    """The earliest perspective phrase: "I personally believe my company…" is personal."""
    patterns: tuple[tuple[re.Pattern[str], Perspective], ...] = (
        (_PERSONAL, "personal"),
        (_ORGANIZATION, "organization"),
    )
    found: list[tuple[int, int, Perspective]] = []
    for pattern, perspective in patterns:
        match = pattern.search(text)
        if match:
            found.append((match.start(), match.end(), perspective))
    if not found:
        return None
    start, end, perspective = min(found)
    return perspective, start, end


def _drop_stem(text: str) -> str:
    """Text after a question stem ("How far do you agree? - I believe…" → "I believe…")."""
    ends = list(_STEM_END.finditer(text))
    return text[ends[-1].end() :] if ends else text


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # [text](target): the text is the wording
_URL = re.compile(r"(?:https?://|www\.)\S+")


def tokens(text: str) -> list[str]:
    """Lowercase words; snake_case and camelCase headers split into words too. A link is
    not wording: a Markdown link keeps its text, a bare address goes."""
    text = _URL.sub(" ", _LINK.sub(r"\1", text))
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).replace("_", " ")
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", spaced.casefold().replace("\u2019", "'"))


def topic_words(text: str) -> tuple[str, ...]:
    words = (w.removesuffix("'s") for w in tokens(text))
    kept = (w for w in words if w not in STOPWORDS and stem(w) not in _OPINION_VERBS)
    return tuple(dict.fromkeys(kept))


def stem(word: str) -> str:
    """Crude singular/third-person folding so "believes"/"values" match "believe"/"value"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Jaccard similarity of the stemmed word sets (0 when either is empty)."""
    left, right = {stem(w) for w in a}, {stem(w) for w in b}
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


# Words that frame a demographic question rather than name it ("Which region do you work in?").
_QUESTION_WORDS = word_set(
    "best choose current currently describe describes following indicate many select "
    "work primary main"
)
_DEMOGRAPHIC = word_set(
    "role region country seniority level department team function tenure age gender industry "
    "size location title position experience years job employees sector type group"
)


def segment_name(column: Column) -> str:
    """Short lowercase name: "What is your role?" → "role", "Job level" → "job level"."""
    words = [w for w in tokens(statement(column)) if w not in STOPWORDS | _QUESTION_WORDS]
    name = " ".join(words[:3])
    return name or " ".join(tokens(column.id)) or column.id.strip().lower()


def looks_demographic(column: Column) -> bool:
    """Whether a numerically coded column is more likely a segment than a rating."""
    words = set(tokens(statement(column))) | set(tokens(column.id))
    return bool(words & _DEMOGRAPHIC) and read_wording(column).perspective is None


class Names:
    """Names handed out from one set (``taken``, which grows): each new one lowercased, and
    numbered ("role 2", "role 3") when already taken.

    The number each name reached is remembered, so a thousand themes named alike cost a
    thousand steps, not half a million.
    """

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self._reached: dict[str, int] = {}

    def unique(self, name: str) -> str:
        base = name.strip().lower()[:76] or "unnamed"
        n = self._reached.get(base, 1)
        unique = base if n == 1 else f"{base} {n}"
        while unique in self.taken:
            n += 1
            unique = f"{base} {n}"
        self._reached[base] = n
        self.taken.add(unique)
        return unique
