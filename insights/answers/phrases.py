"""The everyday words of questions about a survey, by what they mean to the parser.

These are ordinary English words for *kinds* of question (excluding a group, comparing,
ranking, change over time, counting, asking about individuals), never a survey's own names:
those come from its catalogue (:class:`insights.answers.query.Vocabulary`).
"""

from __future__ import annotations

# "everyone but consultants", "excluding Europe", "non-consultants", "not counting staff".
NEGATIONS = frozenset(
    {"not", "except", "excluding", "exclude", "excludes", "excl", "without", "minus", "ignoring",
     "ignore", "besides", "sans", "w/o", "omitting", "omit", "outside", "non"}
)  # fmt: skip
NEGATION_PAIRS = frozenset(
    {("other", "than"), ("apart", "from"), ("aside", "from"), ("leaving", "out"),
     ("leave", "out"), ("outside", "of"), ("but", "not"), ("except", "for")}
)  # fmt: skip
# "but" excludes only after a word for everybody: "everyone but consultants".
EVERYBODY = frozenset({"everyone", "everybody", "all", "anyone", "anybody", "everything"})
# Words between a negation and what it excludes: "not counting the consultants".
AFTER_NEGATION = frozenset(
    {"the", "any", "for", "counting", "including", "in", "from", "of", "those", "people",
     "folks", "respondents", "our", "us", "them", "who", "are", "is", "were", "a", "an",
     "with", "have", "has", "been", "all", "everyone", "anyone", "based", "working"}
)  # fmt: skip
# Verbs that exclude only when a group follows ("drop the consultants"); otherwise they
# are other words ("did it drop?").
EXCLUDING_VERBS = frozenset({"drop", "remove", "leave", "skip", "exclude", "take"})
# "the whole company": everyone, whatever the thread filtered.
WHOLE = frozenset(
    {"company", "org", "organisation", "organization", "team", "survey", "population",
     "sample", "thing", "business", "group"}
)  # fmt: skip
# Words that take named values together ("treat A and B as one group", "lumped together").
COMBINE = frozenset(
    {"together", "combined", "combine", "lumped", "lump", "pooled", "pool", "merged", "treat",
     "one", "group", "as", "single"}
)  # fmt: skip
# "which departments are in the data / are there / do we have": a listing of values.
LISTING_CUES = frozenset({"data", "exist", "available", "included", "covered", "there"})
# Between values taken together: "Europe and North America", "staff or middle managers".
JOINERS = frozenset({"and", "or", "nor", "&", "plus", ",", "+", "/"})

COMPARISONS = frozenset(
    {"vs", "vs.", "v", "versus", "against", "compare", "compared", "comparing", "comparison",
     "contrast", "contrasted", "contrasting", "differ", "differs", "difference", "differences",
     "relative", "than", "stack", "stacks"}
)  # fmt: skip
# After a comparison word and before what it compares with: "compared to the first wave".
AFTER_COMPARISON = frozenset(
    {"to", "with", "the", "between", "and", "how", "does", "do", "is", "are", "of", "wave",
     "waves", "round", "survey", "results", "for"}
)  # fmt: skip

WIDEST = frozenset(
    {"widest", "biggest", "largest", "greatest", "highest", "worst", "deepest", "wider",
     "bigger", "larger", "greater", "higher", "maximum", "max", "furthest", "farthest"}
)  # fmt: skip
NARROWEST = frozenset(
    {"narrowest", "smallest", "lowest", "least", "best", "tightest", "closest", "narrower",
     "smaller", "lower", "minimum", "min", "fewest"}
)  # fmt: skip
# Comparatives compare the groups named ("bigger for consultants or in-house?"); with no
# two groups named, they rank.
COMPARATIVES = frozenset(
    {"wider", "bigger", "larger", "greater", "higher", "narrower", "smaller", "lower"}
)
RANKINGS = frozenset(
    {"rank", "ranked", "ranking", "rankings", "order", "ordered", "sort", "sorted"}
)
# What "most" / "least" qualify: alignment narrows the gap, disconnection widens it.
ALIGNED = frozenset(
    {"aligned", "alignment", "agreement", "consistent", "sync", "same", "together", "united",
     "line", "step", "tune"}
)  # fmt: skip
DISCONNECTED = frozenset(
    {"disconnected", "disconnect", "misaligned", "misalignment", "divided", "split", "gap",
     "gaps", "pronounced", "severe", "extreme", "apart", "distant"}
)  # fmt: skip
# A ranking is of groups ("where", "who", "which team"), or else of themes ("what's our
# biggest gap" is answered by the overview, whose first sentence names the widest theme).
GROUP_WORDS = frozenset(
    {"where", "who", "whom", "group", "groups", "segment", "segments", "team", "teams",
     "people", "somewhere"}
)  # fmt: skip
NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip

# Waves named by their place: "the latest wave", "last time", "since the first survey".
LATEST = frozenset({"latest", "newest", "current", "recent", "this", "now", "today"})
PREVIOUS = frozenset({"previous", "prior", "earlier", "preceding", "before", "past"})
FIRST = frozenset({"first", "earliest", "original", "baseline", "initial", "oldest"})
WAVE_NOUNS = frozenset(
    {"wave", "waves", "round", "rounds", "survey", "time", "quarter", "year", "pulse", "one",
     "edition", "run", "cycle", "results", "period"}
)  # fmt: skip
# Change over time: read as a comparison with an earlier wave ("since …", else the previous).
CHANGES = frozenset(
    {"improved", "improving", "better", "worse", "worsened", "worsening", "shrink",
     "shrinking", "shrunk", "shrank", "shrinks", "narrowed", "narrowing", "closing", "closed",
     "widened", "widening", "grown", "grew", "changed", "changing", "moved", "progressed",
     "declined", "declining", "dropped", "drop", "rose", "risen", "increased", "decreased",
     "shifted", "since"}
)  # fmt: skip
# "growing" is a change only when nothing follows it ("is the gap growing?"); before a
# group or a theme it is developing ("growing managers' empathy").
GROWING = frozenset({"growing", "grow", "grows"})
TRENDS = frozenset(
    {"trend", "trends", "history", "historical", "trajectory", "overtime", "evolution",
     "evolved", "evolving", "progression", "timeline"}
)  # fmt: skip
TREND_PAIRS = frozenset(
    {("over", "time"), ("across", "waves"), ("every", "wave"), ("all", "waves"),
     ("each", "wave"), ("year", "over"), ("through", "time"), ("over", "the")}
)  # fmt: skip

COUNTS = frozenset(
    {"count", "headcount", "sample", "respondents", "responses", "participation", "n"}
)
COUNT_PAIRS = frozenset(
    {("how", "many"), ("number", "of"), ("sample", "size"), ("response", "count")}
)  # fmt: skip

OVERVIEW = frozenset(
    {"overview", "summary", "summarise", "summarize", "headline", "headlines", "results",
     "findings", "highlights", "snapshot", "picture", "numbers", "stats", "statistics",
     "doing", "status", "state", "scores", "tldr", "tl;dr", "takeaways", "insights",
     "overall", "general", "recap", "going", "look", "looking", "stand", "main", "key"}
)  # fmt: skip
LISTINGS = {
    "segments": "segments", "segment": "segments", "groups": "segments",
    "dimensions": "segments", "demographics": "segments", "filters": "segments",
    "breakdowns": "segments", "themes": "themes", "theme": "themes", "topics": "themes",
    "questions": "themes", "areas": "themes", "statements": "themes", "waves": "waves",
    "rounds": "waves", "surveys": "surveys", "datasets": "surveys",
}  # fmt: skip
HELP = frozenset({"help", "usage", "commands", "examples", "instructions", "manual"})
# "what can you do", "what can I ask", "how does this work".
HELP_PHRASES = (("can", "you", "do"), ("can", "i", "ask"), ("does", "this", "work"),
                ("do", "i", "use"), ("should", "i", "ask"), ("can", "you", "answer"),
                ("do", "you", "know"), ("can", "i", "type"))  # fmt: skip

# Asking about individuals: never answered, whatever else is asked.
INDIVIDUAL_VERBS = frozenset(
    {"answered", "said", "responded", "replied", "voted", "wrote", "chose", "picked",
     "submitted", "filled", "disagreed", "agreed", "answer", "say", "put", "ticked", "selected",
     "thinks", "think", "believes", "believe", "feels", "rated", "scored", "gave"}
)  # fmt: skip
PERSON_NOUNS = frozenset(
    {"respondents", "respondent", "individuals", "individual", "names", "name", "emails",
     "email", "users", "persons", "person", "people", "employees", "ids", "id", "who"}
)  # fmt: skip
LISTING_VERBS = frozenset(
    {"list", "export", "download", "identify", "dump", "name", "reveal", "unmask", "see",
     "show", "give", "send", "print"}
)  # fmt: skip
# Verbs that hand over data: with "everyone" or any answers, a request about individuals.
EXPORT_VERBS = frozenset({"list", "export", "download", "dump", "identify", "unmask", "send"})
FILE_WORDS = frozenset({"csv", "spreadsheet", "excel", "xlsx", "file", "dataset", "sheet"})
# Before an action word, politeness: "pls unsubscribe", "please show the misses".
POLITE = frozenset(
    {"please", "pls", "plz", "hey", "hi", "ok", "okay", "can", "could", "would", "you", "show",
     "me", "the", "my", "us", "run", "do", "kindly", "lets", "let's", "open", "see"}
)  # fmt: skip
# Words that say a question is about the survey's figures ("how do staff feel about it").
TOPIC_WORDS = frozenset(
    {"gap", "gaps", "disconnect", "empathy", "belief", "beliefs", "believe", "think", "feel",
     "feels", "say", "says", "agree", "agrees", "score", "scores", "aligned", "alignment",
     "misaligned", "survey", "pulse", "results", "answers", "sentiment", "view", "views",
     "perspective", "see", "doing", "look", "looking", "going", "compare", "figures"}
)  # fmt: skip
# Questions that start like these are about people's own business, not the survey.
# "who's on call" is not a ranking; "who has the widest gap" is.
SEGMENT_SYNONYMS = {
    "seniority": ("level", "levels", "grade", "grades"),
    "department": ("dept", "depts", "function", "functions"),
    "region": ("geo", "geos", "geography", "geographies"),
    "office": ("site", "sites", "location", "locations"),
    "location": ("site", "sites", "office", "offices"),
    "role": ("job", "jobs"),
}
RAW_WORDS = frozenset({"raw", "individual", "verbatim", "row-level", "unaggregated", "each"})
RAW_NOUNS = frozenset(
    {"answers", "responses", "data", "rows", "results", "replies", "submissions", "records",
     "answer", "response"}
)  # fmt: skip
