"""Renderings of records: the segmentation listing, CSV rows and the prediction table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..text.segment import Segmentation


def render_segmentation(seg: Segmentation, records: Sequence[Mapping[str, Any]],
                        show_furniture: bool) -> str:
    """A listing of one document: a header, then each sentence with its actors."""
    lines = [f"# {seg.doc.id} ({seg.doc.path}): {seg.lines} lines, "
             f"{len(records)} sentences, {len(seg.dropped)} furniture lines dropped"]
    for rec in records:
        n = rec["id"].rsplit(":", 1)[1]
        lines.append(f"{n:>4} [{rec['start']}:{rec['end']}] {rec['text']}")
        if rec["mentions"]:
            found = ", ".join(f"{m['actor']}={m['text']!r}" for m in rec["mentions"])
            lines.append(f"       actors: {found}")
    if show_furniture:
        for d in seg.dropped:
            lines.append(f"   - dropped line {d.line} ({d.rule}): {d.text}")
    return "\n".join(lines) + "\n"


CSV_FIELDS = ["id", "doc", "start", "end", "actor", "mention", "stance", "stance_prob",
              "claim", "claim_prob", "source", "text"]


def pair_rows(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One flat row per (sentence, actor) of a predicted record; one row if it names none."""
    mentions: dict[str, str] = {}
    for m in record.get("mentions", []):
        mentions.setdefault(m["actor"], m["text"])
    base = {"id": record.get("id", ""), "doc": record.get("doc", ""),
            "start": record.get("start", ""), "end": record.get("end", ""),
            "claim": record["claim"], "claim_prob": record["claim_prob"],
            "source": record["source"] or "", "text": record["text"]}
    rows = []
    for actor, label in record["stances"].items():
        prob = record["probabilities"][actor][label]
        rows.append({**base, "actor": actor, "mention": mentions.get(actor, ""),
                     "stance": label, "stance_prob": prob})
    if not rows:
        rows.append({**base, "actor": "", "mention": "", "stance": "", "stance_prob": ""})
    return rows


def render_table(records: Sequence[Mapping[str, Any]], explain: bool = False,
                 width: int = 60) -> str:
    """Aligned columns for reading in a terminal, one line per (sentence, actor)."""
    cols = ["id", "actor", "mention", "stance", "p", "claim", "source", "text"]
    rows = []
    notes = []
    for rec in records:
        for row in pair_rows(rec):
            text = row["text"] if len(row["text"]) <= width else row["text"][:width - 1] + "…"
            rows.append([str(row["id"]), row["actor"], row["mention"], row["stance"],
                         f"{row['stance_prob']:.2f}" if row["stance_prob"] != "" else "",
                         f"{'yes' if row['claim'] else 'no'} {row['claim_prob']:.2f}",
                         row["source"], text])
            feats = rec.get("explanations", {}).get(row["actor"]) if explain else None
            notes.append(", ".join(f"{f['feature']} (+{f['weight']:.2f})" for f in feats)
                         if feats else "")
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(cols), line(["-" * w for w in widths])]
    for cells, note in zip(rows, notes, strict=True):
        out.append(line(cells))
        if note:
            out.append(f"    because: {note}")
    return "\n".join(out) + "\n"
