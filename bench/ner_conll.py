"""NER quality: newsweave's spaCy recogniser on CoNLL-2003 English dev (testa), beside an anchor.

Why: newsweave reports people, organisations and places across outlets, so the entities its
spaCy pipeline finds are what every cross-outlet comparison rests on. CoNLL-2003 is the
standard Reuters-newswire benchmark for exactly the four kinds newsweave maps to (PER, ORG,
LOC, MISC), and running the shared task's own baseline in the same process shows that data,
scorer and tokenisation are the standard ones: its published dev F1 is 71.18.

Systems, both scored on CoNLL's own tokens:

* ``newsweave``: ``newsweave.analyze.nlp.load()`` (the pipeline newsweave analyses text with),
  run component by component over a ``spacy.tokens.Doc`` built from the gold tokens, so that
  predicted entities are token spans comparable with gold. spaCy labels are mapped to the four
  kinds with ``ENTITY_KINDS``; labels outside it (DATE, CARDINAL, ...) are dropped. One Doc
  per document by default (``--unit document``; ``--unit sentence`` for one per sentence),
  with the gold sentence starts set, so the parser keeps CoNLL's sentences. Whole documents
  are what newsweave feeds, and they score the same as single sentences here (F1 64.24 vs
  64.40 on full testa: the small model's CNN sees only a few tokens either side, so document
  context barely reaches it) at about twice the speed (fewer, longer calls). The time is
  that of the whole pipeline as newsweave loads it (tok2vec, tagger, parser, ner), not NER
  alone. A second table shows, per spaCy label, how many of its entities are exactly right.
* ``baseline``: the CoNLL-2003 baseline (Tjong Kim Sang & De Meulder 2003): the entity
  phrases of the training data form a lexicon, and test sentences are tagged left to right
  with the longest lexicon phrase starting at each token. The paper says it keeps phrases
  with a "unique class"; what reproduces the published dev scores exactly (P 78.33, R 65.23,
  F1 71.18) is to give each phrase its most frequent class in training, ties going to the
  alphabetically first label, so that is the anchor. The strict reading (phrases seen with
  one class only) is reported on its own row.

Scoring is ``conlleval``'s: an entity is correct only when its type and both boundaries match
gold; precision, recall and F1 are micro-averaged over entities, overall and per type. Chunks
are read from ``tags_bio`` with conlleval's rules (an ``I-`` after ``O`` or after another type
starts a chunk).

Data: ``DIR/conll2003_en/testa.jsonl`` and ``train.jsonl`` (baseline lexicon), one line per
document, of which only ``doc_index`` and the sentences' ``tokens`` and ``tags_bio`` are read.
The ``-DOCSTART-`` lines of the original files are not in them: they are the document
boundaries, so scored tokens are the standard 51,362 of testa (any ``-DOCSTART-`` sentence
found anyway is skipped).

Usage: ``python bench/ner_conll.py [--data DIR] [--limit N] [--unit document|sentence]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shlex
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("../shared/data")
SUBDIR = Path("conll2003_en")
KINDS = ("PER", "ORG", "LOC", "MISC")
DOCSTART = "-DOCSTART-"
PUBLISHED_BASELINE = (78.33, 65.23, 71.18)  # English dev, Tjong Kim Sang & De Meulder 2003

# A chunk: (start, end, kind), token offsets into its sentence or document, end exclusive.
Chunk = tuple[int, int, str]

# No space before these tokens, none after the openers: only to give the Doc plausible
# whitespace (the shared tok2vec reads it; the NER model's own tok2vec does not).
NO_SPACE_BEFORE = frozenset(",.;:!?)]}%'") | {"'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "..."}
NO_SPACE_AFTER = frozenset("([{$")


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Document:
    index: int
    sentences: tuple[Sentence, ...]

    @property
    def n_tokens(self) -> int:
        return sum(len(s.tokens) for s in self.sentences)


@dataclass(slots=True)
class Score:
    """Entity counts per kind: correct, predicted, gold."""

    correct: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)

    def add(self, gold: Iterable[Chunk], predicted: Iterable[Chunk]) -> None:
        g, p = set(gold), set(predicted)
        self.gold.update(c[2] for c in g)
        self.predicted.update(c[2] for c in p)
        self.correct.update(c[2] for c in g & p)

    def prf(self, kind: str | None = None) -> tuple[float, float, float]:
        """Precision, recall, F1 in percent, for one kind or micro over all."""
        if kind is None:
            c, p, g = (sum(x.values()) for x in (self.correct, self.predicted, self.gold))
        else:
            c, p, g = self.correct[kind], self.predicted[kind], self.gold[kind]
        prec = 100.0 * c / p if p else 0.0
        rec = 100.0 * c / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return prec, rec, f1


@dataclass(slots=True)
class Result:
    name: str
    score: Score
    seconds: float
    words: int


def read_documents(path: Path, limit: int | None = None) -> list[Document]:
    docs: list[Document] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(docs) >= limit:
                break
            if not line.strip():
                continue
            rec = json.loads(line)
            sents = tuple(
                Sentence(tuple(s["tokens"]), tuple(s["tags_bio"]))
                for s in rec["sentences"]
                if s["tokens"] and s["tokens"][0] != DOCSTART
            )
            docs.append(Document(int(rec["doc_index"]), sents))
    return docs


def chunks(tags: Sequence[str]) -> list[Chunk]:
    """Entity chunks of a BIO tag sequence, by conlleval's rules (IOB1 or IOB2)."""
    out: list[Chunk] = []
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        if start is not None and (prefix in ("O", "B") or typ != kind):
            out.append((start, i, kind))
            start = None
        if prefix in ("B", "I") and start is None:
            start, kind = i, typ
    return out


def gold_chunks(doc: Document) -> list[Chunk]:
    """The document's gold chunks, with offsets into the whole document."""
    out: list[Chunk] = []
    offset = 0
    for s in doc.sentences:
        out.extend((a + offset, b + offset, k) for a, b, k in chunks(s.tags))
        offset += len(s.tokens)
    return out


def spaces_for(tokens: Sequence[str], last: bool) -> list[bool]:
    """Plausible trailing whitespace for each token; ``last``: no space after the final one."""
    out = [
        tok not in NO_SPACE_AFTER and nxt not in NO_SPACE_BEFORE
        for tok, nxt in itertools.pairwise(tokens)
    ]
    if tokens:
        out.append(not last)
    return out


# --- baseline -----------------------------------------------------------------------------


class LexiconBaseline:
    """The CoNLL-2003 baseline: longest-match lookup of training-data entity phrases."""

    def __init__(self, train: Iterable[Document], strict: bool = False) -> None:
        counts: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        for doc in train:
            for s in doc.sentences:
                for a, b, kind in chunks(s.tags):
                    counts[s.tokens[a:b]][kind] += 1
        self.lexicon: dict[tuple[str, ...], str] = {}
        for phrase, by_kind in counts.items():
            if strict and len(by_kind) > 1:
                continue
            # most frequent kind; ties to the alphabetically first label
            self.lexicon[phrase] = min(by_kind, key=lambda k: (-by_kind[k], k))
        self.max_len = max((len(p) for p in self.lexicon), default=0)

    def tag(self, tokens: Sequence[str]) -> list[Chunk]:
        out: list[Chunk] = []
        i, n = 0, len(tokens)
        while i < n:
            for length in range(min(self.max_len, n - i), 0, -1):
                kind = self.lexicon.get(tuple(tokens[i : i + length]))
                if kind is not None:
                    out.append((i, i + length, kind))
                    i += length
                    break
            else:
                i += 1
        return out


def run_baseline(name: str, model: LexiconBaseline, docs: Sequence[Document]) -> Result:
    score = Score()
    seconds = 0.0
    for doc in docs:
        for s in doc.sentences:
            t0 = time.perf_counter()
            predicted = model.tag(s.tokens)
            seconds += time.perf_counter() - t0
            score.add(chunks(s.tags), predicted)
    return Result(name, score, seconds, sum(d.n_tokens for d in docs))


# --- newsweave ----------------------------------------------------------------------------


@dataclass(slots=True)
class LabelStats:
    """Per spaCy label: entities predicted, exactly right, and a gold span of another kind.

    For labels ``ENTITY_KINDS`` drops, ``span_only`` counts gold entities the label covered.
    """

    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    span_only: Counter[str] = field(default_factory=Counter)
    crossing: int = 0  # predicted entities that cross a gold sentence boundary


def make_docs(nlp: Language, doc: Document, unit: str) -> list[tuple[Doc, list[Chunk]]]:
    """spaCy Docs on CoNLL's tokens, each with its gold chunks (offsets into that Doc)."""
    from spacy.tokens import Doc

    groups = [doc.sentences] if unit == "document" else [(s,) for s in doc.sentences]
    out: list[tuple[Doc, list[Chunk]]] = []
    for g, group in enumerate(groups):
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool | int | None] = []
        for j, s in enumerate(group):
            last = j == len(group) - 1 and g == len(groups) - 1
            words.extend(s.tokens)
            spaces.extend(spaces_for(s.tokens, last))
            starts.extend([True] + [False] * (len(s.tokens) - 1))
        part = Document(doc.index, tuple(group))
        out.append(
            (Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts), gold_chunks(part))
        )
    return out


def run_newsweave(
    nlp: Language, kinds: dict[str, str], docs: Sequence[Document], unit: str
) -> tuple[Result, Result, LabelStats]:
    """spaCy's entities mapped to the four kinds, and the names newsweave's annotation layer
    keeps (the same entities, person names grown over adjacent proper nouns)."""
    from newsweave.analyze.annotate import annotation_of

    score = Score()
    layer = Score()
    stats = LabelStats()
    seconds = 0.0
    for doc in docs:
        for sdoc, gold in make_docs(nlp, doc, unit):
            t0 = time.perf_counter()
            for _, proc in nlp.pipeline:
                sdoc = proc(sdoc)
            seconds += time.perf_counter() - t0
            gold_spans = {(a, b): k for a, b, k in gold}
            predicted: list[Chunk] = []
            for ent in sdoc.ents:
                kind = kinds.get(ent.label_)
                stats.predicted[ent.label_] += 1
                gold_kind = gold_spans.get((ent.start, ent.end))
                if kind is not None and gold_kind == kind:
                    stats.correct[ent.label_] += 1
                elif gold_kind is not None:
                    stats.span_only[ent.label_] += 1
                if any(t.is_sent_start for t in ent[1:]):
                    stats.crossing += 1
                if kind is not None:
                    predicted.append((ent.start, ent.end, kind))
            score.add(gold, predicted)
            names: list[Chunk] = []
            for name in annotation_of("conll", sdoc).names:
                span = sdoc.char_span(name.start, name.end)
                if name.kind != "HANDLE" and span is not None:
                    names.append((span.start, span.end, name.kind))
            layer.add(gold, names)
    words = sum(d.n_tokens for d in docs)
    return (
        Result("newsweave spaCy NER", score, seconds, words),
        Result("newsweave names (annotation layer)", layer, seconds, words),
        stats,
    )


# --- report -------------------------------------------------------------------------------


def table(results: Sequence[Result]) -> str:
    head = "| system | P | R | F1 | F1 PER | F1 ORG | F1 LOC | F1 MISC | words/s |"
    lines = [head, "|---|" + "---:|" * 8]
    for r in results:
        p, rec, f1 = r.score.prf()
        per_kind = [f"{r.score.prf(k)[2]:.2f}" for k in KINDS]
        rate = r.words / r.seconds if r.seconds else float("inf")
        cells = [r.name, f"{p:.2f}", f"{rec:.2f}", f"{f1:.2f}", *per_kind, f"{rate:,.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    p, rec, f1 = PUBLISHED_BASELINE
    pub = ["CoNLL baseline, published (dev)", f"{p:.2f}", f"{rec:.2f}", f"{f1:.2f}"]
    lines.append("| " + " | ".join([*pub, "–", "–", "–", "–", "–"]) + " |")
    return "\n".join(lines)


def label_table(stats: LabelStats, kinds: dict[str, str]) -> str:
    lines = [
        "| spaCy label | kind | predicted | exact | right span, wrong kind | precision |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, n in stats.predicted.most_common():
        kind = kinds.get(label, "dropped")
        exact = stats.correct[label]
        prec = f"{100.0 * exact / n:.1f}" if label in kinds else "–"
        lines.append(f"| {label} | {kind} | {n} | {exact} | {stats.span_only[label]} | {prec} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with conll2003_en/")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    ap.add_argument(
        "--unit",
        choices=("document", "sentence"),
        default="document",
        help="what one spaCy Doc holds (default: a whole document)",
    )
    args = ap.parse_args(argv)
    data = args.data if args.data.is_absolute() else (REPO / args.data).resolve()
    folder = data / SUBDIR

    from newsweave.analyze.nlp import ENTITY_KINDS, load

    t0 = time.perf_counter()
    nlp = load()
    load_s = time.perf_counter() - t0
    dev = read_documents(folder / "testa.jsonl", args.limit)
    train = read_documents(folder / "train.jsonl")

    nw, names, stats = run_newsweave(nlp, ENTITY_KINDS, dev, args.unit)
    base = run_baseline("CoNLL baseline anchor", LexiconBaseline(train), dev)
    strict = run_baseline(
        "CoNLL baseline, unique-class phrases only", LexiconBaseline(train, strict=True), dev
    )

    n_sent = sum(len(d.sentences) for d in dev)
    n_gold = sum(nw.score.gold.values())
    cmd = shlex.join([".venv/bin/python", *sys.argv] if argv is None else [__file__, *argv])
    print(f"# NER on CoNLL-2003 English dev (testa): {len(dev)} documents, {n_sent:,} sentences,")
    print(f"# {nw.words:,} tokens, {n_gold:,} gold entities; spaCy unit: {args.unit}\n")
    print(table([nw, names, base, strict]))
    print(
        f"\nnewsweave: model {nlp.meta.get('lang')}_{nlp.meta.get('name')} "
        f"{nlp.meta.get('version')}, pipeline {', '.join(nlp.pipe_names)} "
        f"(loaded in {load_s:.1f} s, not timed); words/s is the whole pipeline."
    )
    print(f"Predicted entities crossing a gold sentence boundary: {stats.crossing}.\n")
    print(label_table(stats, ENTITY_KINDS))
    print(f"\nCommand: `{cmd}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
