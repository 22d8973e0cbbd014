from hypothesis import given
from hypothesis import strategies as st

from newsweave.clean.normalize import merge_spans, normalize


def test_quotes_and_whitespace_are_normalised() -> None:
    clean, _ = normalize("“Hello”  she said,\t‘twice’.\n\n\n\nNext ``para''.")
    assert clean == '"Hello" she said, \'twice\'.\n\nNext "para".'


def test_offsets_map_back_to_original() -> None:
    original = "  Alpha   beta.\n\n\n“Gamma” ``delta''   end"
    clean, offsets = normalize(original)
    for word in ("Alpha", "beta", "Gamma", "delta", "end"):
        i = clean.index(word)
        j = offsets.to_original(i)
        assert original[j : j + len(word)] == word
    assert offsets.to_original(len(clean)) == len(original)


def test_dropped_spans_are_left_out() -> None:
    original = "Keep this.\nDrop this line.\nKeep that."
    start = original.index("Drop")
    clean, offsets = normalize(original, [(start, start + len("Drop this line."))])
    assert clean == "Keep this.\n\nKeep that."
    k = clean.index("that")
    assert original[offsets.to_original(k) :].startswith("that")


def test_merge_spans() -> None:
    assert merge_spans([(5, 8), (0, 2), (1, 3), (8, 9), (4, 4)]) == [(0, 3), (5, 9)]


@given(st.text(alphabet=st.sampled_from(list("ab \n\t“”‘’`'.\u00a0\u200b")), max_size=200))
def test_every_clean_character_maps_to_an_equivalent_original(text: str) -> None:
    clean, offsets = normalize(text)
    for i, ch in enumerate(clean):
        j = offsets.to_original(i)
        assert 0 <= j < len(text)
        orig = text[j]
        if ch in "ab.`":
            assert orig == ch
        elif ch == '"':
            assert orig in "“”`'"
        elif ch == "'":
            assert orig in "‘’'"
        else:
            assert orig.isspace()


def test_a_dropped_span_inside_a_line_leaves_one_space() -> None:
    original = "Before the cut MIDDLE after it."
    start = original.index("MIDDLE")
    clean, offsets = normalize(original, [(start, start + len("MIDDLE"))])
    assert clean == "Before the cut after it."
    k = clean.index("after")
    assert original[offsets.to_original(k) :].startswith("after")


@given(
    st.text(alphabet=st.sampled_from(list("ab \n\t“”‘’`'.\u00a0\u200b")), max_size=120),
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 120)), max_size=3),
)
def test_kept_characters_map_back_with_dropped_spans(
    text: str, drops: list[tuple[int, int]]
) -> None:
    spans = [(min(a, b), max(a, b)) for a, b in drops]
    clean, offsets = normalize(text, spans)
    for i, ch in enumerate(clean):
        j = offsets.to_original(i)
        assert not any(s <= j < e for s, e in merge_spans(spans))
        if ch not in " \n\"'":
            assert text[j] == ch
