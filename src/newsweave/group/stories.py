"""Story grouping: articles about the same event go together, a similar event stays apart.

Each article becomes a short weighted term vector (:mod:`newsweave.group.terms`): its
words (in English, inflected forms counted as one: "embassies" and "embassy"), weighted by
how often it uses them and by how rare they are in the article's own language at large
(``wordfreq``; a fixed weight, so an article's vector is computed once and kept), headline
words, lead words and names counting more; function words of any language never count. At
grouping time the vectors are reweighted by each term's IDF among the articles
grouped together (in ``newsweave add``, the whole store), so the result depends only on the
set of articles, never on their order or on the runs that brought them in. Candidate pairs
come from a sparse product that leaves out the commonest terms (no all-pairs comparison);
two articles far apart in time need more similarity. Stories are
average-link clusters of the candidate graph: every article of a story is, on average, at
least ``threshold``-similar to the rest. A story is then split again where, with its terms
weighed by their IDF inside the story alone, it falls into two clearly apart halves of
several independent articles each (close rewrites of one text count once): two similar
events (two quakes) share the words of their kind and differ in names and numbers.
Copies found by :mod:`newsweave.group.duplicates` are grouped once, through their original,
and follow it.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from newsweave.group.duplicates import (
    DedupOptions,
    duplicates_of,
    fingerprints,
)
from newsweave.group.terms import FEATURES_VERSION as FEATURES_VERSION
from newsweave.group.terms import Features as Features
from newsweave.group.terms import base_form as base_form
from newsweave.group.terms import rarities, term_features
from newsweave.model import Article, Duplicate
from newsweave.parallel import default_jobs, forked_ranges

PILE_PRIOR = 200.0  # articles at which the pile's own IDF counts half
PAIR_CHUNK = 1 << 17  # candidate pairs whose similarity is completed at once
EDGE_BLOCK = 1024  # articles whose candidate pairs are found at once
PARALLEL_FEATURES = 20_000  # articles; below this one process is faster than forking workers


@dataclass(frozen=True, slots=True)
class GroupOptions:
    """How similar articles must be to share a story, and how they are described."""

    threshold: float = 0.1  # average cosine at which articles (and stories) join
    terms: int = 40  # strongest terms kept per article
    title_weight: float = 3.0
    lead_weight: float = 1.5  # the first sentences
    lead_chars: int = 600
    name_weight: float = 1.5  # capitalised words inside a sentence
    time_scale: float = 7.0  # days; beyond this, similarity must be higher ...
    time_penalty: float = 0.1  # ... by this share per doubling of the gap
    max_df: float = 0.05  # terms in more articles than this share don't propose candidates
    max_proposer_df: int = 300  # ... nor do terms in more articles than this
    max_dense: int = 3000  # largest candidate component clustered exactly
    pile_idf: bool = True  # also weigh terms by their IDF over the articles being grouped
    pile_prior: float = PILE_PRIOR  # articles at which that IDF counts half
    # A story is split in two where, with terms weighed by their IDF inside the story alone,
    # its two average-link halves are on average less than ``refine * threshold`` alike and
    # each holds at least ``refine_min`` independent articles: two similar events share the
    # terms of their kind (quake, magnitude), which inside the story say nothing, and differ
    # in the names, places and numbers that then carry the weight.
    refine: float = 0.8
    refine_min: int = 4
    # Articles whose own term vectors are at least this alike are rewrites of one text (an
    # agency story under several mastheads) and count once towards ``refine_min``: a
    # story's two versions of one wire story are not two events.
    rewrite: float = 0.7
    fold: bool = True  # count inflected forms of a word as one term (see ``base_form``)
    # worker processes for the term vectors of a pile of ``PARALLEL_FEATURES`` articles or
    # more (None: the available cores, at most 4; 1: this process only)
    jobs: int | None = None
    dedup: DedupOptions = field(default_factory=DedupOptions)

    @classmethod
    def by_topic(cls, threshold: float = 0.05) -> GroupOptions:
        """Broader groups: one per topic rather than per event (two earthquakes of one
        region, a long-running story's many developments): a lower threshold, and stories
        are not split into events."""
        return cls(threshold=threshold, refine=0.0)


def features(article: Article, options: GroupOptions | None = None) -> Features:
    """The weighted term vector of one article (depends on nothing but the article; see
    :mod:`newsweave.group.terms`)."""
    return term_features(article, options or GroupOptions())


@dataclass(frozen=True, slots=True)
class Group:
    """One story's articles (canonical order) and why they were put together."""

    article_ids: tuple[str, ...]
    duplicates: tuple[Duplicate, ...]
    shared_terms: tuple[str, ...]
    shared_names: tuple[str, ...]
    title: str
    first: date | None
    last: date | None


def group_articles(
    articles: Sequence[Article], options: GroupOptions | None = None
) -> list[tuple[str, ...]]:
    """Stories as tuples of article ids (every article in exactly one)."""
    return [g.article_ids for g in group(articles, options)]


def group(articles: Sequence[Article], options: GroupOptions | None = None) -> list[Group]:
    """Deduplicate, then group articles into stories, with the reasons."""
    opts = options or GroupOptions()
    dups = duplicates_of(fingerprints(articles, opts.dedup), opts.dedup)
    copied = {d.article_id: d.original_id for d in dups}
    # a copy is grouped through its original: only its title and date are needed
    vectors = iter(all_features([a for a in articles if a.id not in copied], opts))
    feats = [next(vectors) if a.id not in copied else _copy_features(a) for a in articles]
    return cluster(feats, dups, opts)


def all_features(
    articles: Sequence[Article], options: GroupOptions | None = None
) -> list[Features]:
    """``features`` of each article, in order; a large pile is shared among forked worker
    processes (the same vectors: each depends on its article alone)."""
    opts = options or GroupOptions()
    jobs = default_jobs(opts.jobs)
    if jobs > 1 and len(articles) >= PARALLEL_FEATURES:
        rarities()  # loaded once here, before the fork, not once per worker
        found = forked_ranges(_features_range, (articles, opts), len(articles), jobs)
        if found is not None:
            return found
    return [features(a, opts) for a in articles]


def _features_range(
    shared: tuple[Sequence[Article], GroupOptions], start: int, stop: int
) -> list[Features]:
    articles, opts = shared
    return [features(a, opts) for a in articles[start:stop]]


def _copy_features(article: Article) -> Features:
    title = article.title or " ".join(article.clean_text[:300].split()[:12])
    return Features(article.id, article.published, (), (), title)


def cluster(
    feats: Iterable[Features], duplicates: Iterable[Duplicate], options: GroupOptions | None = None
) -> list[Group]:
    """Stories from precomputed features and duplicates (what an incremental run reloads)."""
    opts = options or GroupOptions()
    by_id = {f.article_id: f for f in feats}
    dup_of = {
        d.article_id: d for d in duplicates if d.article_id in by_id and d.original_id in by_id
    }
    for copy in dup_of:  # a copy is described through its original, as it is grouped
        by_id[copy] = replace(by_id[copy], terms=(), names=())
    reps = sorted((f for f in by_id.values() if f.article_id not in dup_of), key=canonical_key)
    labels = _average_link(reps, opts)
    members: defaultdict[int, list[str]] = defaultdict(list)
    for f, label in zip(reps, labels, strict=True):
        members[label].append(f.article_id)
    label_of = {a: label for label, ids in members.items() for a in ids}
    copies: defaultdict[int, list[Duplicate]] = defaultdict(list)
    for d in sorted(dup_of.values(), key=lambda d: d.article_id):
        members[label_of[d.original_id]].append(d.article_id)
        copies[label_of[d.original_id]].append(d)
    groups = []
    for label, ids in members.items():
        ordered = tuple(sorted(ids, key=lambda a: canonical_key(by_id[a])))
        groups.append(_describe(ordered, tuple(copies.get(label, ())), by_id))
    groups.sort(key=lambda g: canonical_key(by_id[g.article_ids[0]]))
    return groups


def story_id(article_ids: Iterable[str]) -> str:
    """A story's id: a hash of its sorted article ids (the same articles, the same id)."""
    return hashlib.sha256("".join(sorted(article_ids)).encode()).hexdigest()[:12]


def canonical_key(f: Features) -> tuple[date, str]:
    return (f.published or date.max, f.article_id)


def _matrix(feats: Sequence[Features]) -> tuple[sparse.csr_array, list[str]]:
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, f in enumerate(feats):
        for term, w in f.terms:
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(w)
    shape = (len(feats), max(1, len(vocab)))
    matrix = sparse.csr_array((np.array(vals, dtype=np.float32), (rows, cols)), shape=shape)
    return matrix, list(vocab)


def _days(feats: Sequence[Features]) -> np.ndarray:
    """Each article's publication day as an ordinal (-1: no date)."""
    return np.array(
        [f.published.toordinal() if f.published else -1 for f in feats], dtype=np.float64
    )


def _time_penalty(days: np.ndarray, i: np.ndarray, j: np.ndarray, opts: GroupOptions) -> np.ndarray:
    """How much more similarity a pair needs for the days between them."""
    di, dj = days[i], days[j]
    gap = np.where((di >= 0) & (dj >= 0), np.abs(di - dj), 0.0)
    return opts.time_penalty * np.log2(
        1.0 + np.maximum(gap - opts.time_scale, 0.0) / opts.time_scale
    )


Edges = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, columns (row < column), similarity


def _average_link(feats: Sequence[Features], opts: GroupOptions) -> list[int]:
    """Average-link clusters (cut at ``threshold``) inside each candidate component."""
    n = len(feats)
    if n == 0:
        return []
    raw, _ = _matrix(feats)
    matrix = raw
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    if opts.pile_idf:
        matrix = _reweight(matrix, df, opts.pile_prior)
    edges = _edges(matrix, df, feats, opts)
    component = _linked(n, edges[0], edges[1])
    labels = np.full(n, -1, dtype=np.int64)
    next_label = 0
    for comp in _components(component):
        if len(comp) == 1:
            labels[comp[0]] = next_label
            next_label += 1
            continue
        for part in _split(comp, edges, n, opts):
            sub = _cut(part, matrix, feats, opts)
            for k in np.unique(sub):
                for piece in _bisect(part[sub == k], raw, feats, opts):
                    labels[piece] = next_label
                    next_label += 1
    return labels.tolist()


def _edges(
    matrix: sparse.csr_array, df: np.ndarray, feats: Sequence[Features], opts: GroupOptions
) -> Edges:
    """The pairs at least ``threshold`` alike (time-penalised cosine), each once.

    Pairs that share a term other than the commonest are candidates (no all-pairs
    comparison); their similarity is then taken on the full vectors: the common terms are
    evidence too, only too costly to propose pairs from. The vectors are split by columns
    into the proposing terms and the common ones, so the candidates' product already holds
    the first part of each cosine and the second is added pair by pair. It runs a block of
    rows at a time and keeps only the pairs that pass, so memory follows the edges kept,
    not the candidates tried."""
    n = matrix.shape[0]
    common = df > max(50.0, min(opts.max_df * n, opts.max_proposer_df))
    proposer, rest = matrix.copy(), matrix.copy()
    proposer.data[common[proposer.indices]] = 0.0
    proposer.eliminate_zeros()
    rest.data[~common[rest.indices]] = 0.0
    rest.eliminate_zeros()
    columns = proposer.T.tocsr()
    rest_norm = np.sqrt(np.asarray(rest.multiply(rest).sum(axis=1)).ravel())
    days = _days(feats)
    found: list[Edges] = []
    for start in range(0, n, EDGE_BLOCK):
        block = (proposer[start : start + EDGE_BLOCK] @ columns).tocoo()
        i, j = block.row.astype(np.int32) + start, block.col.astype(np.int32)
        # the common terms add at most the product of the two rows' norms over them
        # (Cauchy-Schwarz): pairs that cannot reach the threshold even so are dropped first
        proposed = block.data.astype(np.float64)
        upper = (j > i) & (proposed + rest_norm[i] * rest_norm[j] >= opts.threshold - 1e-6)
        i, j = i[upper], j[upper]
        sims = proposed[upper] + _pair_dots(rest, i, j)
        sims /= 1.0 + _time_penalty(days, i, j, opts)
        keep = sims >= opts.threshold
        found.append((i[keep], j[keep], sims[keep].astype(np.float32)))
        del block, i, j, sims, keep
    if not found:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32)
    return (
        np.concatenate([e[0] for e in found]),
        np.concatenate([e[1] for e in found]),
        np.concatenate([e[2] for e in found]),
    )


def _pair_dots(matrix: sparse.csr_array, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Row ``i[k]`` dot row ``j[k]`` for every k, a bounded chunk of pairs at a time."""
    out = np.zeros(len(i), dtype=np.float64)
    if matrix.nnz == 0:
        return out
    for start in range(0, len(i), PAIR_CHUNK):
        a, b = matrix[i[start : start + PAIR_CHUNK]], matrix[j[start : start + PAIR_CHUNK]]
        out[start : start + PAIR_CHUNK] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


def _bisect(
    members: np.ndarray,
    raw: sparse.csr_array,
    feats: Sequence[Features],
    opts: GroupOptions,
    texts: np.ndarray | None = None,
) -> list[np.ndarray]:
    """A story split where it holds two events of one kind (see ``GroupOptions.refine``),
    again in each part. Terms are weighed by their IDF among the story's own articles, at
    full strength; the split is the top of their average-link tree. ``texts`` numbers each
    member by the text it rewrites (found on the first split tried, then handed down)."""
    if not opts.refine or len(members) < 2 * opts.refine_min:
        return [members]
    rows = raw[members]
    # only the story's own terms: its columns renumbered
    used, column = np.unique(rows.indices, return_inverse=True)
    rows = sparse.csr_array((rows.data, column, rows.indptr), shape=(len(members), len(used)))
    local = _reweight(rows, np.bincount(column, minlength=len(used)), 0.0)
    tree = _tree(np.arange(len(members)), local, [feats[int(k)] for k in members], opts)
    if 1.0 - tree[-1, 2] >= opts.refine * opts.threshold:
        return [members]
    halves = fcluster(tree, t=2, criterion="maxclust")
    if texts is None:
        texts = _texts(members, raw, opts)
    first, second = halves == 1, halves == 2
    independent = min(len(np.unique(texts[first])), len(np.unique(texts[second])))
    if independent < opts.refine_min:
        return [members]
    return _bisect(members[first], raw, feats, opts, texts[first]) + _bisect(
        members[second], raw, feats, opts, texts[second]
    )


def _texts(members: np.ndarray, raw: sparse.csr_array, opts: GroupOptions) -> np.ndarray:
    """Which text each member rewrites: articles whose own term vectors are at least
    ``opts.rewrite`` alike (linked through any chain of such pairs) get one number, so that
    they count once as independent articles."""
    rows = raw[members]
    sims = (rows @ rows.T).tocoo()
    close = sims.data >= opts.rewrite
    return _linked(len(members), sims.row[close], sims.col[close])


def _linked(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The connected component of each of ``n`` nodes, given the links ``i[k]``-``j[k]``."""
    graph = sparse.coo_array((np.ones(len(i)), (i, j)), shape=(n, n))
    return np.asarray(connected_components(graph, directed=False)[1])


def _reweight(matrix: sparse.csr_array, df: np.ndarray, prior: float) -> sparse.csr_array:
    """Rows reweighted by each term's smoothed IDF among these articles, then unit length:
    a word common in this pile (every article of a flood archive says "flood") tells
    less about which story an article belongs to than its rarity in English suggests."""
    n = matrix.shape[0]
    # Few articles give a noisy IDF, and in a folder about one event it would only stress
    # what the articles do not share: its weight grows with the size of the pile (``prior``:
    # the articles at which it counts half; 0: full weight).
    strength = n / (n + prior)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0) ** strength
    out = matrix.copy()
    out.data = out.data * idf[out.indices].astype(np.float32)
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    out.data = out.data / np.repeat(norms, np.diff(out.indptr)).astype(np.float32)
    return out


def _components(component: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(component, kind="stable")
    bounds = np.flatnonzero(np.diff(component[order])) + 1
    return [np.sort(c) for c in np.split(order, bounds)]


def _split(comp: np.ndarray, edges: Edges, n: int, opts: GroupOptions) -> list[np.ndarray]:
    """A component too large to cluster exactly is split along its stronger candidate
    edges first (their similarity is already known: nothing is recomputed)."""
    if len(comp) <= opts.max_dense:
        return [comp]
    stronger = min(0.95, opts.threshold + 0.1)
    i, j, sims = edges
    inside = np.zeros(n, dtype=bool)
    inside[comp] = True
    mine = inside[i] & inside[j]
    edges = (i[mine], j[mine], sims[mine])
    local = np.full(n, -1, dtype=np.int64)
    local[comp] = np.arange(len(comp))
    strong = edges[2] >= stronger
    parts = _linked(len(comp), local[edges[0][strong]], local[edges[1][strong]])
    if len(np.unique(parts)) == 1:  # nothing to split along: chunk it in canonical order
        return [comp[k : k + opts.max_dense] for k in range(0, len(comp), opts.max_dense)]
    out: list[np.ndarray] = []
    for part in _components(parts):
        out.extend(_split(comp[part], edges, n, replace(opts, threshold=stronger)))
    return out


def _cut(
    part: np.ndarray, matrix: sparse.csr_array, feats: Sequence[Features], opts: GroupOptions
) -> np.ndarray:
    """Average-link clustering of one component, cut where the mean similarity falls below
    the threshold (SciPy's linkage on the dense distance matrix)."""
    if len(part) < 2:
        return np.ones(len(part), dtype=np.int64)
    tree = _tree(part, matrix, feats, opts)
    return np.asarray(fcluster(tree, t=1.0 - opts.threshold, criterion="distance"))


def _tree(
    part: np.ndarray, matrix: sparse.csr_array, feats: Sequence[Features], opts: GroupOptions
) -> np.ndarray:
    """The average-link tree of the rows ``part`` (distance: 1 - time-penalised cosine)."""
    sub = matrix[part]
    sims = (sub @ sub.T).toarray().astype(np.float64)
    ii, jj = np.triu_indices(len(part), k=1)
    local = [feats[int(k)] for k in part]
    penalty = _time_penalty(_days(local), ii, jj, opts)
    dist = np.zeros_like(sims)
    dist[ii, jj] = np.clip(1.0 - sims[ii, jj] / (1.0 + penalty), 0.0, 2.0)
    dist[jj, ii] = dist[ii, jj]
    return np.asarray(linkage(squareform(dist, checks=False), method="average"))


def _describe(
    ids: tuple[str, ...], copies: tuple[Duplicate, ...], by_id: Mapping[str, Features]
) -> Group:
    """Why these articles form a story: the terms and names most of them share."""
    members = [by_id[a] for a in ids]
    dated = sorted(f.published for f in members if f.published)
    weight: defaultdict[str, float] = defaultdict(float)
    present: Counter[str] = Counter()
    for f in members:
        for term, w in f.terms:
            weight[term] += w
            present[term] += 1
    need = 2 if len(members) > 1 else 1
    ranked = sorted(weight, key=lambda t: (-weight[t], t))
    shared = [t for t in ranked if present[t] >= need]
    names: Counter[str] = Counter()
    for f in members:
        names.update({n: 1 for n in f.names})
    shared_names = [n for n, c in names.most_common() if c >= need][:6]
    named = {n.lower() for n in shared_names}
    terms = [t for t in shared if t not in named][:6]
    # the title of the article closest to the story's centroid
    centroid = dict(weight)
    central = max(
        enumerate(members),
        key=lambda kv: (sum(w * centroid.get(t, 0.0) for t, w in kv[1].terms), -kv[0]),
    )[1]
    return Group(
        ids,
        copies,
        tuple(terms),
        tuple(shared_names),
        central.title,
        dated[0] if dated else None,
        dated[-1] if dated else None,
    )
