"""The shipped annotations cover exactly the sentences the segmenter keeps."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from stance.annotations import validate_file
from stance.io import read_document
from stance.text.segment import segment_document

from .._shared import ROOT

SETS = [("annotations/seeds.jsonl", "seeds/*.txt"), ("annotations/corpus.jsonl", "corpus/c*.txt"),
        ("annotations/world.jsonl", "corpus/w*.txt")]


@pytest.mark.parametrize("annotation_file,folder", SETS)
def test_every_kept_sentence_annotated_exactly_once_and_no_furniture(annotation_file, folder):
    records = [json.loads(line) for line in
               (ROOT / annotation_file).read_text(encoding="utf-8").splitlines()]
    annotated = Counter((r["doc"], r["start"], r["end"]) for r in records)
    assert max(annotated.values()) == 1
    kept, furniture = set(), []
    for path in sorted(ROOT.glob(folder)):
        seg = segment_document(read_document(path))
        kept |= {(s.doc, s.start, s.end) for s in seg.sentences}
        furniture += [(d.doc, d.start, d.end) for d in seg.dropped]
    assert set(annotated) == kept
    for doc, start, end in furniture:
        assert not any(d == doc and s < end and start < e for d, s, e in annotated), (doc, start)


@pytest.mark.parametrize("annotation_file,folder", SETS)
def test_shipped_annotations_validate_clean(annotation_file, folder):
    problems = validate_file(ROOT / annotation_file, [ROOT / "seeds", ROOT / "corpus"])
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_corpus_documents_meet_the_brief():
    counts = {}
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        seg = segment_document(read_document(path))
        counts[path.stem] = len(seg.sentences)
        assert seg.dropped, f"{path.stem}: expected some page furniture to drop"
    assert len(counts) >= 186
    assert all(10 <= n <= 25 for n in counts.values()), {d: n for d, n in counts.items()
                                                          if not 10 <= n <= 25}
    sources = (ROOT / "corpus" / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"| {doc} |" in sources for doc in counts)
