"""Numbers in news text, read with what they count: "about 60 homes", "7 pints of blood",
"twelve people", "a 34-year-old", "down 9%", "$1.2 million".

Each quantity keeps its value (spelled-out numbers and scale words resolved), whether it is
approximate ("about", "nearly", "more than", or a round figure next to a precise one), its
unit (the noun it counts, lightly stemmed and mapped to a synonym class: homes = households),
what it is a measure of ("pints of blood" -> blood), and the words around it, so two sources'
figures can be compared only when they count the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from newsweave.analyze.numerals import local_digits
from newsweave.analyze.temporal import MONTHS

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "m": 1_000_000, "bn": 1_000_000_000, "k": 1_000,
    "mn": 1_000_000, "tn": 1_000_000_000_000,
}  # fmt: skip
VAGUE = {"several": None, "dozens": None, "hundreds": None, "thousands": None, "a few": None}
LOWER_BOUND = re.compile(
    r"(?:more than|over|at least|upwards of|in excess of|above|no fewer than|no less than)\s*$",
    re.IGNORECASE,
)
UPPER_BOUND = re.compile(
    r"(?:up to|fewer than|less than|under|below|at most|no more than)\s*$", re.IGNORECASE
)
APPROX = re.compile(
    r"(?:about|around|approximately|roughly|nearly|almost|some|more than|over|at least|"
    r"up to|fewer than|less than|under|an estimated|estimated|close to|upwards of|~)\s*$",
    re.IGNORECASE,
)
_WORD_NUM = "|".join(sorted(SMALL, key=len, reverse=True))
NUMBER = re.compile(
    r"(?P<cur>[$£€])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|(?:(?:" + _WORD_NUM + r")(?:[- ](?:" + _WORD_NUM + r"))?)"
    r"|a dozen|a hundred|a thousand|dozens|hundreds|thousands|several|a few|no one|nobody)"
    r"(?:\s?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn|m|k)\b)?"
    r"(?P<pct>\s?(?:%|per ?cent\b))?",
    re.IGNORECASE,
)
AGE = re.compile(r"^-?year-old\b|^\s?years? old\b", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_][\w'-]*")  # a word in any alphabet ("años", "Plätzen")
# Words between a number and the noun it counts.
MODIFIERS = frozenset(
    [
        "more",
        "other",
        "additional",
        "new",
        "further",
        "extra",
        "young",
        "old",
        "local",
        "foreign",
        "injured",
        "seriously",
        "critically",
        "badly",
        "minor",
        "full",
        "part-time",
        "confirmed",
        "suspected",
        "registered",
        "eligible",
        "separate",
        "per",
        "the",
        "a",
        "an",
    ]
)
FUNCTION = frozenset(
    [
        "and",
        "or",
        "but",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "that",
        "which",
        "who",
        "than",
        "this",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "it",
        "they",
        "we",
        "he",
        "she",
        "per",
        "cent",
        "percent",
        "after",
        "before",
        "since",
        "when",
        "while",
        "during",
        "because",
        "including",
        "into",
        "over",
        "about",
        "had",
        "have",
        "has",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
    ]
)
# Words after a number that are verbs, not what it counts ("three remain underground").
VERBS = frozenset(
    [
        "remain",
        "remained",
        "remains",
        "said",
        "say",
        "says",
        "died",
        "die",
        "left",
        "leave",
        "fled",
        "stay",
        "stayed",
        "stays",
        "were",
        "is",
        "are",
        "was",
        "have",
        "has",
        "had",
        "will",
        "would",
        "could",
        "did",
        "do",
        "does",
        "got",
        "get",
        "gets",
        "went",
        "go",
        "goes",
        "came",
        "come",
        "took",
        "take",
        "made",
        "make",
        "saw",
        "see",
    ]
)
NOUNS_ED = frozenset(["hundred", "bed", "shed"])
# A measure named before its number: "magnitude 6.1", "a rate of 4%".
MEASURES = frozenset(
    [
        "magnitude",
        "level",
        "rate",
        "score",
        "temperature",
        "speed",
        "height",
        "depth",
        "grade",
        "index",
        "scale",
    ]
)
# Counted nouns that name the same thing.
SYNONYMS = {
    "household": "home", "house": "home", "property": "home", "dwelling": "home",
    "residence": "home", "homes": "home", "person": "people", "individual": "people",
    "resident": "people", "death": "dead", "fatality": "dead", "victim": "dead",
    "life": "dead", "killed": "dead", "died": "dead", "casualty": "injured",
    "injury": "injured", "wounded": "injured", "hurt": "injured", "percent": "%",
    "per cent": "%", "kilometre": "km", "kilometer": "km", "metre": "m", "meter": "m",
    "kilogram": "kg", "tonne": "t", "ton": "t", "dollar": "$", "pound": "£", "euro": "€",
    "child": "children", "kid": "children", "man": "men", "woman": "women",
}  # fmt: skip
# Counts that change as a story unfolds: a later, different figure is an update.
# What happened to the people or things counted, read from the words of the number's clause.
STATES = {
    "dead": "dead died killed killing death deaths fatalities fatality toll lives perished",
    "injured": "injured injuring hurt wounded injuries treated hospitalised hospitalized casualties hospital",
    "missing": "missing unaccounted",
    "trapped": "trapped stranded underground",
    "rescued": "rescued saved freed",
    "evacuated": "evacuated evacuation evacuees displaced homeless fled",
    "arrested": "arrested detained arrests charged",
    "infected": "infected infections sick ill",
    "affected": "affected exposed stolen compromised breached accessed",
    "power": "power electricity outage outages",
    "sold": "sold sales",
    "recalled": "recalled recall",
}
STATE_OF = {w: state for state, words in STATES.items() for w in words.split()}
CHANGING_STATES = frozenset(
    [
        "dead",
        "injured",
        "missing",
        "trapped",
        "rescued",
        "evacuated",
        "arrested",
        "infected",
        "affected",
        "power",
    ]
)
PEOPLE = frozenset(
    [
        "people",
        "worker",
        "passenger",
        "resident",
        "student",
        "children",
        "men",
        "women",
        "miner",
        "patient",
        "employee",
        "staff",
        "fan",
        "visitor",
        "tourist",
        "pupil",
        "firefighter",
        "officer",
        "soldier",
        "civilian",
        "victim",
        "villager",
        "crew",
        "member",
        "migrant",
        "voter",
        "runner",
        "climber",
        "hiker",
        "guest",
        "inmate",
        "prisoner",
        "protester",
    ]
)
PEOPLE |= frozenset(
    [
        "friend",
        "relative",
        "neighbour",
        "neighbor",
        "supporter",
        "volunteer",
        "rescuer",
        "doctor",
        "nurse",
        "teacher",
        "officer",
        "agent",
    ]
)
# Unit families: figures in different families measure different things (a 5 km stretch is
# not an amount of fish).
FAMILY = {
    **dict.fromkeys(["km", "m", "mile", "metre", "meter", "foot", "feet", "yard", "inch", "centimetre", "cm", "mm"], "length"),
    **dict.fromkeys(["hectare", "acre", "square"], "area"),
    **dict.fromkeys(
        ["second", "minute", "hour", "day", "week", "month", "year", "decade", "century"], "time"
    ),
    **dict.fromkeys(["kg", "t", "gram", "tonne", "ton", "pound", "ounce"], "mass"),
    **dict.fromkeys(["litre", "liter", "pint", "gallon", "ml", "barrel"], "volume"),
    "%": "share", "$": "money", "£": "money", "€": "money", "crown": "money", "euro": "money",
    "dollar": "money", "age": "age",
}  # fmt: skip
CHANGING = frozenset(
    [
        "dead",
        "injured",
        "missing",
        "arrested",
        "arrest",
        "case",
        "people",
        "evacuated",
        "evacuee",
        "hospitalised",
        "hospitalized",
        "displaced",
        "rescued",
        "survivor",
        "home",
        "customer",
        "affected",
        "infected",
        "charged",
        "detained",
        "confirmed",
        "toll",
    ]
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in a sentence and what it counts."""

    start: int
    end: int
    text: str
    value: float | None  # None for vague amounts ("several", "dozens")
    approx: bool
    unit: str  # normalised counted noun, "%", a currency sign, or "age"
    of: str | None  # what is measured: "pints of blood" -> "blood"
    context: tuple[str, ...]  # lowercased words around the number
    bound: str = ""  # "min" for "more than 100", "max" for "up to 100", "" otherwise
    state: frozenset[str] = frozenset()  # what happened to what is counted: dead, injured, ...
    near: tuple[str, ...] = ()  # lowercased words of the number's own clause, nearest first
    close: frozenset[str] = frozenset()  # the words at most five either side
    left: tuple[str, ...] = ()  # words of the clause before the number, nearest last
    right: tuple[str, ...] = ()  # words of the clause after the number, nearest first


def singular(word: str) -> str:
    """A light singular: "households" -> "household", "injuries" -> "injury"."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def unit_key(word: str) -> str:
    """The synonym class of a counted noun."""
    w = word.lower()
    return SYNONYMS.get(w, SYNONYMS.get(singular(w), singular(w)))


def parse_number(text: str) -> float | None:
    """``"85,312"`` -> 85312; ``"twenty-five"`` -> 25; ``"a dozen"`` -> 12; vague -> None."""
    t = text.lower().strip()
    if t in VAGUE:
        return None
    if t == "a dozen":
        return 12.0
    if t in ("no one", "nobody"):
        return 0.0
    if t in ("a hundred", "a thousand"):
        return 100.0 if t == "a hundred" else 1000.0
    if t[0].isdigit():
        return float(t.replace(",", ""))
    total = 0
    for part in re.split(r"[- ]", t):
        if part in SMALL:
            total += SMALL[part]
    return float(total)


def _in_original(q: Quantity, text: str) -> Quantity:
    """``q`` with its text as the original writes it, to the end of a word that
    :func:`local_digits` rewrote shorter ("13,2 Mrd", not "13,2 Mr")."""
    end = q.end
    while end < len(text) and end > q.start and text[end - 1].isalpha() and text[end].isalpha():
        end += 1
    return replace(q, end=end, text=text[q.start : end])


def find_quantities(text: str, language: str | None = None) -> list[Quantity]:
    """Every number in ``text`` with its unit, approximation and context.

    Of several figures for one measure in a sentence ("the toll rose to five after two more
    died") only the largest, the total, is kept. ``language`` (an ISO 639-1 code) says how
    the text writes its numbers ("4,5 %" and "2 300" in French); see :func:`local_digits`.
    """
    local = local_digits(text, language)
    if not _may_count(local):
        return []
    found = [_in_original(q, text) for q in _find(local)]
    keep: list[Quantity] = []
    for q in found:
        rivals = [
            o
            for o in found
            if o is not q and o.value is not None and o.state and same_measure(o, q)
        ]
        if q.value is not None and any(o.value > q.value for o in rivals if o.value is not None):
            continue
        keep.append(q)
    return keep


# The words a figure written in words starts with (as a whole word: see _word_boundary).
NUMBER_WORDS = frozenset(SMALL) | {
    *("dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "several", "few"),
    "nobody",
}
DIGIT = re.compile(r"\d")
LETTERS = re.compile(r"[^\W\d_]+")


def _may_count(text: str) -> bool:
    """Whether ``text`` has a digit or a number word: NUMBER cannot match otherwise, and
    this is a far cheaper test than running it."""
    if DIGIT.search(text):
        return True
    return not NUMBER_WORDS.isdisjoint(w.lower() for w in LETTERS.findall(text))


def _find(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    skip_until = -1
    for m in NUMBER.finditer(text):
        raw = m.group("num")
        if raw is None or m.start("num") < skip_until:
            continue
        if raw[0].isalpha() and not _word_boundary(text, m.start("num"), m.end("num")):
            continue
        if raw.isdigit() and len(raw) == 4 and 1800 <= int(raw) <= 2100 and not m.group("cur"):
            done = _year_of(text, m.start("num"))
            if done is None:
                continue  # a year: dates are compared elsewhere
            # "founded in 2011", "first held in 1891": the year of a one-off event, a
            # figure to compare like a count ("founded" in 2009 elsewhere is a clash).
            out.append(_calendar_year(text, m.start("num"), m.end("num"), int(raw), done))
            continue
        if _in_time_or_score(text, m.start("num"), m.end("num")):
            continue  # 2:21:07, 3-1: a time or a score, not a count
        value = parse_number(raw)
        scale = m.group("scale")
        if scale and value is not None:
            if scale.lower() in ("m", "k") and not m.group("cur"):
                pass  # "5m" without a currency: a distance, keep the value as written
            else:
                value *= SCALES[scale.lower()]
        begin = m.start("cur") if m.group("cur") else m.start("num")
        before = text[max(0, begin - 25) : begin]
        approx = bool(APPROX.search(before)) or raw.lower() in VAGUE
        bound = "min" if LOWER_BOUND.search(before) else "max" if UPPER_BOUND.search(before) else ""
        after = text[m.end() :]
        if _date_part(text, begin, m.end()) or re.match(
            r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|gmt|utc|bst|cet)", after, re.IGNORECASE
        ):
            continue  # "7 October", "May 3", "9 p.m.": a date or a time, compared elsewhere
        ratio = re.match(r"\s+out of\s+(\w+)\s+([A-Za-z]+)", after)
        if ratio and value is not None and parse_number(ratio.group(1)):
            # "nine out of ten schools": a share of them
            value = 100 * value / (parse_number(ratio.group(1)) or 1)
            unit, of = "%", singular(ratio.group(2))
            skip_until = m.end() + ratio.end()  # "ten" is the denominator, not a count
        elif _apposed_age(text, begin, m.end()):
            unit, of = "age", None  # "Ana Ruiz, 34, said"
        else:
            unit, of = _unit(m, after)
        words = [w.lower() for w in WORD.findall(text[max(0, begin - 60) : m.end() + 60])]
        near, left, right = _clause_words(text, begin, m.end())
        # What happened to them: the nearest state word within five words (ties go to the
        # verb after the number: "a worker died and nine others were trapped"). Amounts of a
        # substance, distances and sums have no such state.
        state = (
            _state(left, right, unit)
            if FAMILY.get(unit, "count") in ("count", "age")
            else frozenset()
        )
        prev = WORD.findall(text[max(0, begin - 20) : begin])
        if prev and prev[-1].lower() in MEASURES and unit not in ("%",):
            unit, of = prev[-1].lower(), None  # "magnitude 6.1 earthquake", "at magnitude 6.0"
        elif prev and len(prev) >= 2 and prev[-2].lower() in MEASURES and prev[-1].lower() == "of":
            unit = prev[-2].lower() if unit != "%" else unit
        toll = re.search(
            r"\b(?:(death|injury|casualty) )?toll\b[^.;]*$", text[max(0, begin - 90) : begin]
        )
        if toll and unit in ("", "people", "person"):
            unit = "people"
            state = frozenset(["injured" if toll.group(1) in ("injury", "casualty") else "dead"])
        if not unit:
            # "the number of people evacuated has climbed to 3,200"
            back = re.search(
                r"\b(?:number|total|count) of ((?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+"
                r"(?:in|has|have|had|was|were|is|are|at|across|rose|risen|climbed|now|to|stood)\b"
                r"[^.;]*$",
                text[max(0, begin - 100) : begin],
            )
            if back:
                nouns = [
                    w.strip("'’")
                    for w in back.group(1).split()
                    if not (w.lower().endswith("ed") or w.lower() in ADJECTIVES)
                ]
                unit = unit_key(nouns[-1]) if nouns else ""
                if not state:
                    words = WORD.findall(back.group(0))
                    nearest = next(
                        (STATE_OF[w.lower()] for w in words if w.lower() in STATE_OF), None
                    )
                    state = frozenset([nearest]) if nearest else frozenset()
        if value == 1 and not state and raw.lower() in ("one", "1"):
            continue  # "one passenger, a retired teacher, said": a person, not a count
        out.append(
            Quantity(
                begin, m.end(), text[begin : m.end()], value, approx, unit, of, tuple(words),
                bound, state, near, frozenset((*left[-5:], *right[:5])), tuple(left), tuple(right),
            )
        )  # fmt: skip
    return out


MONTH_WORDS = frozenset(MONTHS)
YEAR = "calendar year"  # the unit of a year when something was done (founded, built)
# The English past participles that do not end in -ed and are said of a year: what was
# built, held, run, begun, won, made, sold or laid in it.
IRREGULAR_DONE = frozenset(["built", "held", "run", "begun", "won", "made", "sold", "laid"])
YEAR_AFTER = re.compile(r"([A-Za-z]+)\s+in\s+$")


def _year_of(text: str, start: int) -> str | None:
    """What was done in the year that starts at ``start`` ("founded in 2011" -> "founded"),
    when a past participle comes right before "in"; None for any other year."""
    m = YEAR_AFTER.search(text[max(0, start - 40) : start])
    if not m:
        return None
    word = m.group(1).lower()
    return word if word.endswith("ed") or word in IRREGULAR_DONE else None


def _calendar_year(text: str, start: int, end: int, year: int, done: str) -> Quantity:
    """A year something was done in, as a figure whose unit is YEAR and whose ``of`` is
    what was done: compared only with the year of the same deed."""
    near, left, right = _clause_words(text, start, end)
    words = tuple(w.lower() for w in WORD.findall(text[max(0, start - 60) : end + 60]))
    close = frozenset((*left[-5:], *right[:5]))
    return Quantity(
        start, end, text[start:end], float(year), False, YEAR, done, words, "", frozenset(),
        near, close, tuple(left), tuple(right),
    )  # fmt: skip


def _state(left: list[str], right: list[str], unit: str) -> frozenset[str]:
    after = list(right)
    if after and unit and unit_key(after[0]) == unit:
        after = after[1:]  # the counted noun itself is not a distance
    best: tuple[float, str] | None = None
    for d, w in enumerate(after[:5], 1):
        if w in STATE_OF and (best is None or d < best[0]):
            best = (d, STATE_OF[w])
    for d, w in enumerate(reversed(left[-6:]), 1):
        if w in STATE_OF and (best is None or d + 0.5 < best[0]):
            best = (d + 0.5, STATE_OF[w])
    return frozenset([best[1]]) if best else frozenset()


def _date_part(text: str, start: int, end: int) -> bool:
    after = WORD.findall(text[end : end + 12])
    before = WORD.findall(text[max(0, start - 12) : start])
    return bool(
        (after and after[0].lower() in MONTH_WORDS)
        or (before and before[-1].lower() in MONTH_WORDS)
    )


def _in_time_or_score(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return bool(re.match(r"[:.-]\d", after) and not re.match(r"\.\d", after)) or bool(
        re.search(r"\d[:-]$", before)
    )


def _clause_words(text: str, start: int, end: int) -> tuple[tuple[str, ...], list[str], list[str]]:
    """Words of the clause a number sits in, at most eight each side: nearest first, and
    the left and right words in text order."""
    lo = max(text.rfind(c, 0, start) for c in ";,.:") + 1
    his = [i for i in (text.find(c, end) for c in ";,:") if i >= 0]
    dot = re.search(r"\.(?:\s|$)", text[end:])
    if dot:
        his.append(end + dot.start())
    hi = min(his) if his else len(text)
    left = [w.lower() for w in WORD.findall(text[lo:start])][-8:]
    right = [w.lower() for w in WORD.findall(text[end:hi])][:8]
    out: list[str] = []
    for i in range(max(len(left), len(right))):
        if i < len(right):
            out.append(right[i])
        if i < len(left):
            out.append(left[-1 - i])
    return tuple(out), left, right


def _apposed_age(text: str, start: int, end: int) -> bool:
    """A bare number between commas right after a capitalised name is an age."""
    before = text[max(0, start - 30) : start]
    named = re.search(r"[A-Z][a-z]+,\s$", before)
    role = re.search(r"\b(?:the|a|an)\s+[a-z]+,\s$", before)  # "the driver, 53,"
    return bool(named or role) and text[end : end + 1] in (",", ")")


def _word_boundary(text: str, start: int, end: int) -> bool:
    ok_start = start == 0 or not text[start - 1].isalpha()
    ok_end = end == len(text) or not text[end].isalpha()
    return ok_start and ok_end


def _unit(m: re.Match[str], after: str) -> tuple[str, str | None]:
    if m.group("num").lower() in ("no one", "nobody"):
        return "people", None
    if m.group("pct"):
        of_match = re.match(r"\s+of\s+(?:the\s+|all\s+|its\s+)?([A-Za-z]+)", after)
        if of_match:
            return "%", singular(of_match.group(1))
        return "%", None
    if m.group("cur"):
        return m.group("cur"), None
    if AGE.match(after):
        return "age", None
    if re.match(r"\s+times\b", after):
        return "times", None  # "four times", "fifty times larger": a multiplier
    if re.match(r"\s+of\s+them\b", after):
        return "part", None  # "injuring six, two of them seriously": a part of a count
    if re.match(r"\s+of\s+(?:us|you)\b", after):
        return "people", None  # "the 7 of us"
    partitive = re.match(
        r"\s+of\s+(?:the|its|their|a|an|his|her|my|our|your)\s+(?:(?:[A-Z]\w+|\w+['’]s)\s+)?"
        r"(?:\d[\d,]*-?\s*)?([A-Za-z]+)",
        after,
    )
    if partitive:
        return unit_key(partitive.group(1)), None  # "18 of the train's 30 wagons" counts wagons
    vague = re.match(r"\s+of\s+([A-Za-z]+)", after) if m.group("num").lower() in VAGUE else None
    if vague:
        return unit_key(vague.group(1)), None  # "hundreds of buildings"
    words = WORD.findall(re.split(r"[,;:.()\u2014\u2013]", after[:60], maxsplit=1)[0])
    unit: str | None = None
    for i, w in enumerate(words[:4]):
        lw = w.lower()
        if lw in MODIFIERS and unit is None:
            continue
        if lw in FUNCTION or lw in VERBS or (lw.endswith("ed") and lw not in NOUNS_ED):
            break
        unit = w
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if (
            len(nxt) > 3
            and nxt.lower().endswith("s")
            and nxt.lower() not in FUNCTION
            and nxt.lower() not in VERBS
            and not nxt.lower().endswith("ed")
            and lw not in ("people", "persons")
        ):
            # "two blood transfusions", "ten fire engines": the head is the last noun.
            return unit_key(nxt), singular(w)
        rest = words[i + 1 : i + 4]
        if len(rest) >= 2 and rest[0].lower() == "of":
            of_words = [w for w in rest[1:] if w.lower() not in ("the", "a", "an")]
            noun = _noun_of(of_words, after)
            if noun:
                return unit_key(unit), singular(noun)
        break
    return (unit_key(unit) if unit else ""), None


ADJECTIVES = frozenset(
    [
        "dead",
        "live",
        "living",
        "fresh",
        "new",
        "old",
        "used",
        "raw",
        "crude",
        "contaminated",
        "untreated",
        "treated",
        "toxic",
        "donated",
        "stolen",
        "missing",
    ]
)


def _noun_of(words: list[str], after: str) -> str | None:
    """The noun of an "of" phrase: "of dead fish" -> fish, "of diesel leaked" -> diesel."""
    for w in words[:3]:
        if w.lower() in FUNCTION:
            return None
        if w.lower() not in ADJECTIVES:
            return w
    return None


def interval(q: Quantity) -> tuple[float, float]:
    """The values a figure allows: "more than 100" is [100, inf); "about 120" is 120 ± 15%."""
    assert q.value is not None
    v = q.value
    if q.bound == "min":
        return v, float("inf")
    if q.bound == "max":
        return 0.0, v
    if q.approx:
        return v * 0.85, v * 1.15
    if _round(v):
        return v * 0.95, v * 1.05
    digits = re.search(r"\d+(?:\.(\d+))?", q.text.replace(",", ""))
    if digits:
        # A figure is as precise as it is written: "43 degrees" covers 43.1.
        half = 0.499 * 10 ** -len(digits.group(1) or "")
        return v - half, v + half
    return v, v


def same_value(a: Quantity, b: Quantity) -> bool:
    """Whether two figures agree, allowing for rounding and bounds ("about 85,000" and
    "85,312"; "more than 100" and "around 120")."""
    if a.value is None or b.value is None:
        return True  # "several" agrees with any figure
    if a.value == b.value:
        return True
    a0, a1 = interval(a)
    b0, b1 = interval(b)
    return a0 <= b1 and b0 <= a1


def _round(value: float) -> bool:
    """A round figure ("85,000", "1,200") may stand for a precise one."""
    return value >= 1000 and value % (10 ** (len(str(int(value))) - 2)) == 0


def measure(q: Quantity) -> str:
    """What a figure counts: its unit's synonym class; a bare number with a state ("the toll
    rose to five") counts people."""
    return q.unit or ("people" if q.state else "")


def same_measure(a: Quantity, b: Quantity) -> bool:
    """Whether two figures count the same thing: the same unit and state, or people of any
    kind to whom the same thing happened ("three workers killed" / "the toll rose to five")."""
    if a.state != b.state or (a.of and b.of and a.of != b.of):
        return False
    ma, mb = measure(a), measure(b)
    if not ma or not mb:
        return False
    if ma == mb:
        return True
    generic = {"people", "person", "other"}
    people = PEOPLE | generic
    return bool(a.state) and ((ma in generic and mb in people) or (mb in generic and ma in people))


def family(q: Quantity) -> str:
    """The unit family ("length", "mass", "money", ...); "count" for counted nouns."""
    return FAMILY.get(q.unit, "count")
