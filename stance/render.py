"""Human-readable renderings of records (the CLI's ``--format text``)."""

from __future__ import annotations

from .segment import Segmentation


def render_segmentation(seg: Segmentation, records: list[dict], show_furniture: bool) -> str:
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
