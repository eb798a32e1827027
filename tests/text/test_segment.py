from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from stance.io import Document, read_document
from stance.text.punkt import default_tokenizer
from stance.text.segment import segment_document, split_line, trim_span

from .._shared import ROOT

# Per seed: sentences kept, line numbers (1-based) of the furniture dropped.
SEEDS = {
    "000_9173ccc0f2f1d5b4": (16, [12]),
    "001_8119b63a55f166eb": (20, [3, 4, 33, 35, 36, 37, 38, 39, 40, 41, 43, 45, 48, 50, 51]),
    "002_d255a6c94168b61c": (33, [45, 47, 48, 50, 52]),
    "003_78a7aa51e64dfc42": (12, [3, 4, 5, 6, 29, 31, 33, 35, 37, 39, 41, 42]),
    "004_05b1f8109ffe7c46": (16, [1, 36, 38, 40, 42, 43, 44, 45]),
}


def seg(name):
    return segment_document(read_document(ROOT / "seeds" / f"{name}.txt"))


def assert_partition(doc_text, result):
    """Offsets exact, trimmed, ordered, one line each; no text lost."""
    covered = [False] * len(doc_text)
    last_end = 0
    for i, s in enumerate(result.sentences):
        assert s.id == f"{s.doc}:{i}"
        assert s.text == doc_text[s.start:s.end]
        assert s.text == s.text.strip() and s.text
        assert "\n" not in s.text
        assert s.start >= last_end
        last_end = s.end
        covered[s.start:s.end] = [True] * (s.end - s.start)
    for d in result.dropped:
        assert d.text == doc_text[d.start:d.end]
        covered[d.start:d.end] = [True] * (d.end - d.start)
    lost = [c for c, cov in zip(doc_text, covered, strict=True) if not cov and not c.isspace()
            and c != "\ufeff"]
    assert lost == []


def test_seed_counts_and_dropped_lines():
    for name, (n_sent, dropped) in SEEDS.items():
        result = seg(name)
        assert len(result.sentences) == n_sent, name
        assert [d.line for d in result.dropped] == dropped, name


def test_seed_offsets_exact_and_nothing_lost():
    for name in SEEDS:
        result = seg(name)
        assert_partition(result.doc.text, result)


def test_headline_never_glued_to_next_paragraph():
    result = seg("002_d255a6c94168b61c")
    assert result.sentences[0].text == (
        "U.S. rejects Bashar al-Assad’s offer to cooperate with West against terrorism")
    # A headline inside the article is its own sentence too.
    assert "U.S. not decided on military option against ISIL" in [s.text for s in result.sentences]


def test_title_abbreviation_does_not_end_sentence():
    texts = [s.text for s in seg("002_d255a6c94168b61c").sentences]
    assert any(t.startswith("Mr. Al-Moallem said Syria should be") for t in texts)
    assert "Mr." not in texts


def test_us_abbreviation_and_curly_quotes():
    line = ("General Dempsey of the U.S. Joint Chiefs said “we will act.” He did not say when. "
            "The U.N. Security Council met.")
    spans = split_line(line, default_tokenizer())
    assert [line[s:e] for s, e in spans] == [
        "General Dempsey of the U.S. Joint Chiefs said “we will act.”",
        "He did not say when.",
        "The U.N. Security Council met.",
    ]


def test_trim_span_handles_bom_and_whitespace():
    text = "\ufeff  Syria said.\r\n"
    assert trim_span(text, 0, len(text)) == (3, 14)


def test_crlf_and_bom_document():
    text = "\ufeffIraq and Syria agree\r\n\r\nThey will cooperate. Ankara objected.\r\n"
    result = segment_document(Document("d", text, "d.txt"))
    assert [s.text for s in result.sentences] == [
        "Iraq and Syria agree", "They will cooperate.", "Ankara objected."]
    assert_partition(text, result)


WORDS = st.sampled_from(["Syria", "said", "the", "U.S.", "Mr.", "Iraq", "“war”", "(and)",
                         "accused", "Ankara", "it.", "end!", "why?", "3.5", "al-Assad’s",
                         "Comments", "Share", "—", "“Yes.”", "e.g.", "A.", "i"])
SEPS = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\r\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPS), min_size=1, max_size=60))
def test_offsets_exact_on_generated_text(pairs):
    text = "".join(w + s for w, s in pairs)
    result = segment_document(Document("gen", text, "gen.txt"))
    assert_partition(text, result)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300))
def test_offsets_exact_on_arbitrary_text(text):
    result = segment_document(Document("gen", text, "gen.txt"))
    assert_partition(text, result)


def test_shipped_punkt_parameters_are_reproducible():
    """stance/data/punkt.json is what tools/build_punkt.py makes from the documents."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "build_punkt.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
