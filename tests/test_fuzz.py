"""Fuzzing the input side (issue #15): the document reader, the segmenter, the
actor matcher and the annotation readers get random Unicode, long lines,
control characters and truncated JSON.  Only the project's own errors may come
out, and time stays linear in the input's length."""

from __future__ import annotations

import json
import time
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.actors import default_actors
from stance.annotations.validate import check_prediction_input
from stance.errors import StanceError
from stance.io.documents import Document, decode_document
from stance.text.segment import MAX_SENTENCE_CHARS, LongSentenceWarning, segment_document

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=3000)
control = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1f), max_size=50)
news = st.sampled_from(["Damascus accused Ankara of arming the rebels. ", "READ MORE\n",
                        "Mr. Al-Moallem said ", "U.S.-led strikes hit ISIS-held towns.\n",
                        "Syria’s ", "\ufeff", "\r\n", "\u2028", " " * 30, "x" * 100])
documents = st.lists(st.one_of(text, control, news), max_size=40).map("".join)


@SETTINGS
@given(st.binary(max_size=3000))
def test_reader_takes_any_bytes(data):
    try:
        decode_document(data, "fuzz.txt")
    except StanceError:
        pass


@SETTINGS
@given(documents)
def test_segmenter_and_matcher_take_any_text(doc_text):
    actors = default_actors()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LongSentenceWarning)
        seg = segment_document(Document("fuzz", doc_text, "fuzz.txt"))
    for s in seg.sentences:
        assert doc_text[s.start:s.end] == s.text and s.text.strip()
        assert len(s.text) <= MAX_SENTENCE_CHARS
        for m in actors.find(s.text, offset=s.start):
            assert doc_text[m.start:m.end] == m.text


records = st.fixed_dictionaries({}, optional={
    "text": st.one_of(text, st.none(), st.integers()),
    "stances": st.one_of(st.dictionaries(st.text(max_size=5),
                                         st.one_of(st.none(), st.text(max_size=12))),
                         st.lists(st.integers()), st.none()),
    "start": st.one_of(st.integers(-5, 5000), st.text(max_size=3)),
    "end": st.one_of(st.integers(-5, 5000), st.booleans()),
    "mentions": st.one_of(st.lists(st.dictionaries(st.text(max_size=6), st.integers())),
                          st.text(max_size=5)),
})


@SETTINGS
@given(st.lists(st.tuples(records, st.integers(0, 400), st.binary(max_size=20)), max_size=8))
def test_annotation_reader_takes_truncated_json_and_junk(lines):
    raw = []
    for record, cut, junk in lines:
        encoded = json.dumps(record, ensure_ascii=False).encode()
        raw.append(encoded[:cut] if cut < len(encoded) else encoded + junk)
    raw.append(b"[" * 100_000)  # nested too deeply for the JSON parser's recursion
    found, problems = check_prediction_input("fuzz.jsonl", raw, default_actors().actor_ids)
    assert all(p.severity in ("error", "warning") for p in problems)


def _seconds(doc_text: str) -> float:
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LongSentenceWarning)
        seg = segment_document(Document("fuzz", doc_text, "fuzz.txt"))
    actors = default_actors()
    for s in seg.sentences:
        actors.find(s.text)
    return time.perf_counter() - started


def test_long_lines_take_linear_time():
    unit = "Damascus accused Ankara \x0b of arming the rebels, Syria’s U.S.-led \u2028 allies "
    small, large = _seconds(unit * 2000), _seconds(unit * 8000)
    assert large < 8 * small + 0.5, (small, large)  # quadratic would be 16 times
