"""The agreement report as text (``stance agreement``'s default output)."""

from __future__ import annotations

from ..annotations.agreement import Agreement, Score, show


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _score_row(name: str, s: Score) -> str:
    kappa = _num(s.kappa) if s.kappa_undefined is None else f"undefined: {s.kappa_undefined}"
    return f"  {name:<8}{s.n:>6}  {_num(s.agreement):>9}  {kappa}"


def render_agreement(result: Agreement) -> str:
    """A readable report: headline figures, per-label table, confusion matrix, differences."""
    r = result
    lines = [
        f"A: {r.file_a}",
        f"B: {r.file_b}",
        "",
        f"sentences: {r.sentences_a} in A, {r.sentences_b} in B, {r.aligned} aligned "
        f"({len(r.aligned_by_text)} by text), {len(r.unaligned_a)} only in A, "
        f"{len(r.unaligned_b)} only in B",
        f"actors: {r.actors_both} (sentence, actor) pairs in both, "
        f"{len(r.actors_only_a)} only in A, {len(r.actors_only_b)} only in B",
        "",
        f"  {'field':<8}{'n':>6}  {'agreement':>9}  kappa",
        _score_row("stance", r.stance),
        _score_row("claim", r.claim),
        _score_row("source", r.source),
        "",
        "stance labels (over (sentence, actor) pairs in both):",
        f"  {'label':<12}{'A':>6}{'B':>6}{'both':>6}  specific agreement",
    ]
    for label, la in r.per_label.items():
        lines.append(f"  {label:<12}{la.count_a:>6}{la.count_b:>6}{la.both:>6}  "
                     f"{_num(la.specific)}")
    width = max(len(x) for x in r.labels) + 2
    lines += ["", "confusion matrix (rows: A, columns: B):",
              "  " + "A \\ B".ljust(width) + "".join(f"{x:>{width}}" for x in r.labels)]
    for label, row in zip(r.labels, r.confusion, strict=True):
        lines.append("  " + label.ljust(width) + "".join(f"{x:>{width}}" for x in row))
    if r.aligned_by_text:
        lines += ["", "aligned by text (offsets differ):"]
        lines += [f"  A {p['a']} = B {p['b']}" for p in r.aligned_by_text]
    for side, items in (("A", r.unaligned_a), ("B", r.unaligned_b)):
        if items:
            lines += ["", f"sentences only in {side}:"]
            lines += [f"  {s['id']} [{s['start']}:{s['end']}] {s['text']}" for s in items]
    lines += ["", f"disagreements: {len(r.disagreements)}"]
    for d in r.disagreements:
        what = d["field"] if d["actor"] is None else f"{d['field']} {d['actor']}"
        a = "(no stance)" if d["field"] == "stance" and d["a"] is None else show(d["a"])
        b = "(no stance)" if d["field"] == "stance" and d["b"] is None else show(d["b"])
        lines.append(f"  {d['id']} {what}: A {a}, B {b}")
        lines.append(f"      {d['text']}")
    return "\n".join(lines) + "\n"
