from __future__ import annotations

import json

import pytest

from stance.annotations import AnnotationError, write_annotations
from stance.annotations.agreement import (
    LabelAgreement,
    Score,
    agreement_between,
    align,
    compare_annotations,
    normalise_text,
    score,
)
from stance.render.agreement import render_agreement


def rec(n: int, claim: bool = False, source: str | None = None, stances: dict | None = None,
        doc: str = "d", start: int | None = None, text: str | None = None) -> dict:
    """Sentence ``n`` of ``doc``: 20 characters apart, text "Sentence n." by default."""
    text = text or f"Sentence {n}."
    start = n * 20 if start is None else start
    return {"id": f"{doc}:{n}", "doc": doc, "start": start, "end": start + len(text),
            "text": text, "claim": claim, "source": source, "stances": stances or {}}


# Ten sentences, one actor (SYR) each.  Columns: claim A/B, source A/B, stance A/B.
TABLE = [
    (True, True, "SYR", "SYR", "hostility", "hostility"),
    (True, True, "SYR", "USA", "hostility", "hostility"),
    (True, True, None, None, "hostility", "hostility"),
    (True, False, "SYR", None, "hostility", "hostility"),
    (False, True, None, "IRQ", "hostility", "none"),
    (False, True, None, None, "none", "hostility"),
    (False, False, None, None, "none", "none"),
    (False, False, None, None, "none", "none"),
    (False, False, None, None, "none", "none"),
    (False, False, None, None, "none", "none"),
]
A = [rec(n, ca, sa, {"SYR": la}) for n, (ca, _, sa, _, la, _) in enumerate(TABLE)]
B = [rec(n, cb, sb, {"SYR": lb}) for n, (_, cb, _, sb, _, lb) in enumerate(TABLE)]


def test_kappas_match_hand_computation():
    result = compare_annotations(A, B)
    # stance, 2x2 over hostility/none:      B host  B none
    #                            A host        4       1
    #                            A none        1       4
    # p_o = 8/10 = 0.8; p_e = 0.5*0.5 + 0.5*0.5 = 0.5; kappa = (0.8-0.5)/(1-0.5) = 0.6
    assert result.stance.n == 10
    assert result.stance.agreement == pytest.approx(0.8)
    assert result.stance.kappa == pytest.approx(0.6)
    # claim:                                B true  B false
    #                            A true        3       1
    #                            A false       2       4
    # p_o = 7/10; p_e = 0.4*0.5 + 0.6*0.5 = 0.5; kappa = (0.7-0.5)/0.5 = 0.4
    assert (result.claim.n, result.claim.agreement) == (10, pytest.approx(0.7))
    assert result.claim.kappa == pytest.approx(0.4)
    # source over the 3 sentences both call a claim: A SYR SYR null, B SYR USA null
    # p_o = 2/3; p_e = P(SYR) 2/3*1/3 + P(null) 1/3*1/3 = 1/3; kappa = (2/3-1/3)/(2/3) = 0.5
    assert (result.source.n, result.source.agreement) == (3, pytest.approx(2 / 3))
    assert result.source.kappa == pytest.approx(0.5)


def test_per_label_and_confusion_matrix():
    result = compare_annotations(A, B)
    assert result.labels == ["cooperation", "hostility", "accusation", "none"]
    assert result.per_label == {
        "cooperation": LabelAgreement(0, 0, 0, None),
        "hostility": LabelAgreement(5, 5, 4, pytest.approx(0.8)),  # 2*4/(5+5)
        "accusation": LabelAgreement(0, 0, 0, None),
        "none": LabelAgreement(5, 5, 4, pytest.approx(0.8)),
    }
    assert result.confusion == [[0, 0, 0, 0],
                                [0, 4, 0, 1],
                                [0, 0, 0, 0],
                                [0, 1, 0, 4]]


def test_disagreements_listed_in_sentence_order():
    result = compare_annotations(A, B)
    assert [(d["id"], d["field"], d["actor"], d["a"], d["b"]) for d in result.disagreements] == [
        ("d:1", "source", None, "SYR", "USA"),
        ("d:3", "claim", None, True, False),
        ("d:4", "claim", None, False, True),
        ("d:4", "stance", "SYR", "hostility", "none"),
        ("d:5", "claim", None, False, True),
        ("d:5", "stance", "SYR", "none", "hostility"),
    ]
    assert result.disagreements[0]["text"] == "Sentence 1."


def test_alignment_by_offsets_then_text_within_the_doc():
    a = [rec(0, text="Syria said it."),
         rec(1, text="Iraq “agreed”  too.", start=20),
         rec(2, text="Only in A.", start=40)]
    b = [rec(0, text="Syria said it."),
         rec(1, text="iraq \"agreed\" too.", start=21),   # re-segmented: offsets moved by 1
         rec(0, text="Only in A.", doc="e", start=40),     # same text, other doc
         rec(3, text="Only in B.", start=60)]
    pairs, only_a, only_b = align(a, b)
    assert [(x["id"], y["id"], by_text) for x, y, by_text in pairs] == [
        ("d:0", "d:0", False), ("d:1", "d:1", True)]
    assert [r["id"] for r in only_a] == ["d:2"]
    assert [r["id"] for r in only_b] == ["e:0", "d:3"]
    result = compare_annotations(a, b)
    assert (result.sentences_a, result.sentences_b, result.aligned) == (3, 4, 2)
    assert result.aligned_by_text == [{"a": "d:1", "b": "d:1"}]
    assert result.unaligned_a == [{"id": "d:2", "doc": "d", "start": 40, "end": 50,
                                   "text": "Only in A."}]
    assert [r["id"] for r in result.unaligned_b] == ["e:0", "d:3"]


def test_normalise_text():
    assert normalise_text("  Syria’s “Big”\n\tNEWS ") == "syria's \"big\" news"


def test_actor_sets():
    a = [rec(0, stances={"SYR": "none", "IRQ": "hostility"})]
    b = [rec(0, stances={"USA": "cooperation", "SYR": "none"})]
    result = compare_annotations(a, b)
    assert result.actors_both == 1
    assert result.actors_only_a == [{"id": "d:0", "actor": "IRQ", "label": "hostility"}]
    assert result.actors_only_b == [{"id": "d:0", "actor": "USA", "label": "cooperation"}]
    assert [(d["actor"], d["a"], d["b"]) for d in result.disagreements] == [
        ("IRQ", "hostility", None), ("USA", None, "cooperation")]


def test_kappa_undefined_for_one_label_on_both_sides():
    a = [rec(0, stances={"SYR": "none"}), rec(1, stances={"IRQ": "none"})]
    result = compare_annotations(a, a)
    assert result.stance == Score(2, 1.0, None, "both annotators use the single label none "
                                                "throughout (chance agreement is 1)")
    assert result.claim.kappa is None and result.claim.agreement == 1.0
    assert result.source == Score(0, None, None, "no items to compare")


def test_different_single_labels_give_kappa_zero():
    assert score(["none"], ["hostility"]) == Score(1, 0.0, 0.0)


def test_nothing_aligned():
    result = compare_annotations([rec(0)], [rec(0, doc="e")])
    assert result.aligned == 0
    assert result.stance == Score(0, None, None, "no items to compare")
    assert result.confusion == [[0] * 4 for _ in range(4)]
    json.dumps(result.to_dict(), allow_nan=False)


def test_to_dict_is_json_and_report_renders():
    result = compare_annotations(A, B, "a.jsonl", "b.jsonl")
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["stance"]["kappa"] == pytest.approx(0.6)
    assert data["per_label"]["hostility"] == {"count_a": 5, "count_b": 5, "both": 4,
                                              "specific": pytest.approx(0.8)}
    report = render_agreement(result).splitlines()
    assert report[:26] == [
        "A: a.jsonl",
        "B: b.jsonl",
        "",
        "sentences: 10 in A, 10 in B, 10 aligned (0 by text), 0 only in A, 0 only in B",
        "actors: 10 (sentence, actor) pairs in both, 0 only in A, 0 only in B",
        "",
        "  field        n  agreement  kappa",
        "  stance      10      0.800  0.600",
        "  claim       10      0.700  0.400",
        "  source       3      0.667  0.500",
        "",
        "stance labels (over (sentence, actor) pairs in both):",
        "  label            A     B  both  specific agreement",
        "  cooperation      0     0     0  -",
        "  hostility        5     5     4  0.800",
        "  accusation       0     0     0  -",
        "  none             5     5     4  0.800",
        "",
        "confusion matrix (rows: A, columns: B):",
        "  A \\ B          cooperation    hostility   accusation         none",
        "  cooperation              0            0            0            0",
        "  hostility                0            4            0            1",
        "  accusation               0            0            0            0",
        "  none                     0            1            0            4",
        "",
        "disagreements: 6",
    ]
    assert report[26:30] == ["  d:1 source: A SYR, B USA", "      Sentence 1.",
                             "  d:3 claim: A true, B false", "      Sentence 3."]


def test_agreement_between_refuses_an_invalid_file(tmp_path):
    good = tmp_path / "a.jsonl"
    write_annotations(good, A)
    bad = tmp_path / "b.jsonl"
    write_annotations(bad, [*B[:2], {**B[2], "stances": {"SYR": "hostile"}}])
    assert agreement_between(good, good).stance.agreement == 1.0
    with pytest.raises(AnnotationError, match=rf"^{bad}: not a valid annotation file "
                                              rf"\(1 error\):\n{bad}:3: error: stances: label "
                                              "for 'SYR' must be one of"):
        agreement_between(good, bad)
