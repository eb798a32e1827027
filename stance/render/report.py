"""Evaluation reports rendered from the figures :mod:`stance.evaluation` returns.

Three files: ``evaluation.md`` (readable in a diff and on a repository page,
figures as PNG files beside it), ``evaluation.html`` (one self-contained file,
figures embedded) and ``metrics.json`` (every figure).  Figures are drawn with
matplotlib's Agg backend: no display needed.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence
from pathlib import Path

from ..io.atomic import atomic_write
from ..schema import LABELS

SYSTEM_NAMES = {
    "model": "model",
    "old_settings": "old settings retrained on the same folds (C=10, word 1-2-grams, cues, "
                    "target id)",
    "no_target_marking": "model without target marking (ablation)",
    "keyword_rule": "keyword rule baseline",
    "majority": "majority label baseline",
    "majority_of_test_data": "majority label of the test data",
}
MAX_ERRORS_SHOWN = 150


# --- figures -------------------------------------------------------------------------

def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def figures(result: dict) -> dict[str, bytes]:
    """PNG bytes of each figure the result supports."""
    # matplotlib is imported here, not at the top: it costs every command's
    # start-up time, and only the evaluation report draws figures.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {}
    model = result["stance"]["model"]
    matrix = model["confusion"]["matrix"]
    fig, ax = plt.subplots(figsize=(5.2, 4.2))
    im = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(LABELS)), LABELS, rotation=30, ha="right")
    ax.set_yticks(range(len(LABELS)), LABELS)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    top = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center",
                    color="white" if v > top / 2 else "black")
    ax.set_title("Stance confusion matrix (model)")
    fig.colorbar(im, ax=ax, fraction=0.046)
    out["confusion.png"] = _png(fig)
    plt.close(fig)

    systems = [s for s in result["stance"] if s in SYSTEM_NAMES]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    width = 0.8 / len(systems)
    for k, name in enumerate(systems):
        f1 = [result["stance"][name]["per_label"][lab]["f1"] for lab in LABELS]
        ax.bar([i + k * width for i in range(len(LABELS))], f1, width, label=SYSTEM_NAMES[name])
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(LABELS))], LABELS)
    ax.set_ylabel("F1")
    ax.set_ylim(0, 1)
    ax.set_title("Per-label F1: model and baselines")
    ax.legend(fontsize=7, loc="upper left")
    out["per_label_f1.png"] = _png(fig)
    plt.close(fig)

    curve = result.get("learning_curve")
    if curve:
        pts = [p for p in curve["points"] if p["macro_f1_stance"] is not None]
        fig, ax = plt.subplots(figsize=(5.5, 3.6))
        if "by" in curve:  # over the number of training conflicts (regions)
            ax.plot([p["groups"] for p in pts], [p["macro_f1_stance"] for p in pts], "o-")
            ax.set_xscale("log", base=2)
            ax.set_xlabel(f"training {curve['by']}s")
        else:
            ax.plot([100 * p["fraction"] for p in pts], [p["macro_f1_stance"] for p in pts],
                    "o-")
            ax.set_xlabel("share of training documents used (%)")
        ax.set_ylabel("macro-F1 (3 stance labels)")
        ax.set_ylim(0, 1)
        ax.set_title("Learning curve")
        ax.grid(alpha=0.3)
        out["learning_curve.png"] = _png(fig)
        plt.close(fig)

    cal = result.get("calibration")
    if cal and cal.get("reliability"):
        fig, ax = plt.subplots(figsize=(4.8, 4.4))
        ax.plot([0, 1], [0, 1], ":", color="grey", label="perfectly calibrated")
        for key, label, style in (("reliability_uncalibrated", "before calibration", "s--"),
                                  ("reliability", "calibrated (as predicted)", "o-")):
            if cal.get(key):
                bins = cal[key]
                ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], style,
                        label=label)
        ax.set_xlabel("probability of the predicted label")
        ax.set_ylabel("share correct")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title(f"Reliability (ECE {cal['ece']:.3f}, {cal['bins']} bins)")
        ax.legend(fontsize=7, loc="upper left")
        ax.grid(alpha=0.3)
        out["reliability.png"] = _png(fig)
        plt.close(fig)
    return out


# --- tables ------------------------------------------------------------------------------

def _ci(metrics: dict, key: str) -> str:
    ci = metrics.get("ci95", {}).get(key)
    return f"{metrics[key]:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{metrics[key]:.3f}"


def headline_rows(result: dict) -> list[list[str]]:
    """The headline table: each system's macro-F1 and accuracy with 95% intervals."""
    base = result["stance"]["model"]["macro_f1_stance"]
    rows = [["system", "macro-F1 (cooperation, hostility, accusation)", "macro-F1 (all 4)",
             "accuracy", "model ahead by (macro-F1, 3 labels)"]]
    for name, metrics in result["stance"].items():
        ahead = "" if name == "model" else f"{base - metrics['macro_f1_stance']:+.3f}"
        rows.append([SYSTEM_NAMES.get(name, name), _ci(metrics, "macro_f1_stance"),
                     _ci(metrics, "macro_f1_all"), _ci(metrics, "accuracy"), ahead])
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows[1:]]
    return "\n".join(out)


def per_conflict_rows(result: dict) -> list[list[str]]:
    """Each conflict's held-out pairs: counts by label and the systems' macro-F1."""
    rows = [["conflict", "documents", "pairs", "coop / host / acc / none",
             "model macro-F1", "old settings macro-F1", "keyword rule macro-F1",
             "model accuracy"]]
    for g in result["per_conflict"]:
        lab = g["labels"]
        rows.append([g["group"], str(g["documents"]), str(g["pairs"]),
                     " / ".join(str(lab[k]) for k in LABELS),
                     f"{g['model']['macro_f1_stance']:.3f}",
                     f"{g['old_settings']['macro_f1_stance']:.3f}",
                     f"{g['keyword_rule']['macro_f1_stance']:.3f}",
                     f"{g['model']['accuracy']:.3f}"])
    return rows


def group_curve_rows(curve: dict) -> list[list[str]]:
    """The learning curve over the number of training groups (conflicts) as a table."""
    rows = [[f"training {curve['by']}s", "mean training pairs", "macro-F1 (3 labels)"]]
    for p in curve["points"]:
        pairs = p["mean_training_pairs"]
        rows.append([str(p["groups"]), "n/a" if pairs is None else f"{pairs:,.0f}",
                     "n/a" if p["macro_f1_stance"] is None else f"{p['macro_f1_stance']:.3f}"])
    return rows


def side_by_side_rows(results: Sequence[tuple[str, dict]]) -> list[list[str]]:
    """Macro-F1 (3 stance labels, 95% interval) of every system under several
    cross-validations (``(column heading, result)`` pairs), then claim F1, source
    accuracy and calibration error: in-conflict beside transfer, one table."""
    rows = [["system"] + [heading for heading, _ in results]]
    systems = [name for name in results[0][1]["stance"]
               if all(name in r["stance"] for _, r in results)]
    for name in systems:
        rows.append([SYSTEM_NAMES.get(name, name)] +
                    [_ci(r["stance"][name], "macro_f1_stance") for _, r in results])
    rows.append(["claim F1 (model)"] + [f"{r['claim']['f1']:.3f}" for _, r in results])
    rows.append(["source accuracy over gold claims"] +
                ["n/a" if r["source"]["accuracy"] is None else f"{r['source']['accuracy']:.3f}"
                 for _, r in results])
    rows.append(["expected calibration error (stance)"] +
                [f"{r['calibration']['ece']:.3f}" if r.get("calibration") else "n/a"
                 for _, r in results])
    return rows


def headline_markdown(result: dict) -> str:
    """The headline table as Markdown (the README shows exactly this)."""
    return markdown_table(headline_rows(result))


def _sections(result: dict, provenance: dict) -> list[tuple[str, str | list[list[str]]]]:
    """The report as (heading, content) pairs; content is text, a table or a figure name."""
    model = result["stance"]["model"]
    sec: list[tuple[str, str | list[list[str]]]] = []
    what = [["", ""], ["mode", result["mode"]]]
    if "splitter" in result:
        what.append(["cross-validation", f"{result['splitter']}, nested: settings chosen by "
                                         "CV grouped the same way inside each fold's training "
                                         f"{result.get('group_by', 'document')}s"])
    for f in provenance.get("data_files", []):
        what.append([f"data {f['path']}", f"sha256 {f['sha256']}, {f['sentences']} sentences, "
                                          f"{f['documents']} documents, {f['pairs']} pairs"])
    for key in ("model", "model_sha256", "seed", "date", "seconds", "jobs"):
        if key in provenance:
            what.append([key, str(provenance[key])])
    for name, version in provenance.get("versions", {}).items():
        what.append([name, version])
    sec.append(("What this was computed on", what))
    sec.append(("Headline: stance toward each actor", headline_rows(result)))
    sec.append(("", "Intervals are 95% bootstrap intervals over sentences "
                    f"({provenance.get('bootstrap_rounds', 1000)} rounds). Macro-F1 over the three "
                    "stance labels is the headline figure; `none` is the majority class."))
    per_label = [["label", "precision", "recall", "F1", "support"]]
    for lab in LABELS:
        m = model["per_label"][lab]
        per_label.append([lab, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                          str(m["support"])])
    sec.append(("Per label (model)", per_label))
    f1_rows = [["system"] + list(LABELS)]
    for name, metrics in result["stance"].items():
        f1_rows.append([SYSTEM_NAMES.get(name, name)] +
                       [f"{metrics['per_label'][lab]['f1']:.3f}" for lab in LABELS])
    sec.append(("Per-label F1, all systems", f1_rows))
    sec.append(("", "figure:per_label_f1.png"))
    conf = [["gold \\ predicted"] + list(LABELS)]
    conf += [[lab] + [str(v) for v in row]
             for lab, row in zip(LABELS, model["confusion"]["matrix"], strict=True)]
    sec.append(("Confusion matrix (model)", conf))
    sec.append(("", "figure:confusion.png"))
    c, s = result["claim"], result["source"]
    sec.append(("Claim and source", [["", "value"],
                ["claim precision", f"{c['precision']:.3f}"],
                ["claim recall", f"{c['recall']:.3f}"],
                ["claim F1", f"{c['f1']:.3f}"], ["claims (gold)", str(c["support"])],
                ["source accuracy over gold claims",
                 "n/a" if s["accuracy"] is None else f"{s['accuracy']:.3f} (n={s['n']})"]]))
    if "actor_detection" in result:
        d = result["actor_detection"]
        sec.append(("Actor detection (end to end)", [["", "count"],
                    ["gold (sentence, actor) pairs", str(d["gold_pairs"])],
                    ["predicted pairs", str(d["predicted_pairs"])],
                    ["gold pairs missed", str(d["missed"])],
                    ["pairs found that the gold does not have", str(d["spurious"])],
                    ["gold sentences not cut the same way",
                     str(len(result["sentences"]["unaligned_gold"]))]]))
    if "per_actor" in model:
        rows = [["actor", "pairs", "accuracy", "macro-F1 (3 labels)"]]
        for actor, m in sorted(model["per_actor"].items(), key=lambda kv: -kv[1]["n"]):
            rows.append([actor, str(m["n"]), f"{m['accuracy']:.3f}", f"{m['macro_f1_stance']:.3f}"])
        sec.append(("Per actor (model)", rows))
    if result.get("per_conflict"):
        sec.append(("Per conflict (held-out pairs of each conflict)", per_conflict_rows(result)))
    cal = result.get("calibration")
    if cal:
        rows = [["", "value"], ["expected calibration error (calibrated, as predicted)",
                                f"{cal['ece']:.4f}"]]
        if "ece_uncalibrated" in cal:
            rows.append(["expected calibration error before calibration",
                         f"{cal['ece_uncalibrated']:.4f}"])
        rows += [["mean temperature", str(cal.get("mean_temperature"))],
                 ["bins, pairs", f"{cal['bins']}, {cal['pairs']}"]]
        sec.append(("Calibration of the stance probabilities", rows))
        sec.append(("", "Out-of-fold top-label probabilities; temperature scaling fitted inside "
                        "each fold's training data on its own grouped folds."))
        sec.append(("", "figure:reliability.png"))
    curve = result.get("learning_curve")
    if curve and "by" in curve:
        sec.append((f"Learning curve over the number of training {curve['by']}s",
                    group_curve_rows(curve)))
        sec.append(("", f"Settings: {curve['settings']}; held-out folds as above."))
        sec.append(("", "figure:learning_curve.png"))
    elif curve:
        rows = [["share of training documents", "mean documents", "macro-F1 (3 labels)"]]
        for p in result["learning_curve"]["points"]:
            rows.append([f"{100 * p['fraction']:.0f}%", str(p["mean_training_documents"]),
                         "n/a" if p["macro_f1_stance"] is None else f"{p['macro_f1_stance']:.3f}"])
        sec.append(("Learning curve", rows))
        sec.append(("", f"Settings: {result['learning_curve']['settings']}; "
                        "held-out folds as above."))
        sec.append(("", "figure:learning_curve.png"))
    if result.get("folds"):
        by = result.get("group_by", "document")
        rows = [["fold", f"held-out {by}s", "test pairs", "chosen settings", "source"]]
        for f in result["folds"]:
            docs = ", ".join(f["test_docs"] if by == "document" else f.get("test_groups", []))
            rows.append([str(f["fold"]), docs if len(docs) < 80 else docs[:77] + "...",
                         str(f["test_pairs"]),
                         ", ".join(f"{k.split('__')[-1]}={v}"
                                   for k, v in f["hyperparameters"].items()),
                         f["source_method"]])
        sec.append(("Folds", rows))
    errors = result.get("errors", [])
    if errors:
        rows = [["sentence", "actor", "gold", "predicted", "p", "top features", "text"]]
        for e in errors[:MAX_ERRORS_SHOWN]:
            feats = "; ".join(f"{f['feature']} (+{f['weight']:.2f})" for f in e["features"])
            text = e["text"] if len(e["text"]) <= 140 else e["text"][:139] + "…"
            rows.append([e["id"], e["actor"], e["gold"], e["predicted"],
                         f"{e['probability']:.2f}", feats, text])
        sec.append((f"Error analysis: {len(errors)} misclassified (sentence, actor) pairs", rows))
        if len(errors) > MAX_ERRORS_SHOWN:
            sec.append(("", f"First {MAX_ERRORS_SHOWN} shown; all are in metrics.json."))
        confusions: dict[str, int] = {}
        for e in errors:
            key = f"{e['gold']} -> {e['predicted']}"
            confusions[key] = confusions.get(key, 0) + 1
        summary = ", ".join(f"{k}: {v}"
                            for k, v in sorted(confusions.items(), key=lambda kv: -kv[1]))
        sec.append(("", f"Most frequent confusions (gold -> predicted): {summary}."))
    return sec


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(result: dict, provenance: dict) -> str:
    lines = ["# stance: evaluation report", ""]
    for heading, content in _sections(result, provenance):
        if heading:
            lines += [f"## {heading}", ""]
        if isinstance(content, list):
            rows = [[_md_cell(c) for c in row] for row in content]
            lines += [markdown_table(rows), ""]
        elif content.startswith("figure:"):
            name = content.split(":", 1)[1]
            lines += [f"![{name}](figures/{name})", ""]
        else:
            lines += [content, ""]
    return "\n".join(lines)


def render_html(result: dict, provenance: dict, pngs: dict[str, bytes]) -> str:
    body = []
    for heading, content in _sections(result, provenance):
        if heading:
            body.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(content, list):
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in content[0])
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row)
                           + "</tr>" for row in content[1:])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif content.startswith("figure:"):
            name = content.split(":", 1)[1]
            if name in pngs:
                data = base64.b64encode(pngs[name]).decode("ascii")
                body.append(f'<img alt="{name}" src="data:image/png;base64,{data}">')
        else:
            body.append(f"<p>{html.escape(content)}</p>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:1em 0;font-size:90%}"
             "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
             "th{background:#f3f3f3}img{max-width:100%}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>stance: evaluation report</title><style>{style}</style></head><body>"
            "<h1>stance: evaluation report</h1>" + "\n".join(body) + "</body></html>\n")


def write_reports(result: dict, provenance: dict, out_dir: str | Path) -> list[Path]:
    """Write metrics.json, figures/*.png, evaluation.md and evaluation.html (each
    atomically; metrics.json first, so that a long run's figures survive a failure
    in drawing or rendering)."""
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    with atomic_write(out / "metrics.json") as fh:
        fh.write(json.dumps({"provenance": provenance, **result}, indent=1,
                            ensure_ascii=False) + "\n")
    written = [out / "metrics.json"]
    pngs = figures(result)
    for name, data in pngs.items():
        with atomic_write(out / "figures" / name, "wb") as fh:
            fh.write(data)
        written.append(out / "figures" / name)
    for stale in sorted((out / "figures").glob("*.png")):
        if stale.name not in pngs:  # a figure of an earlier run that this one does not draw
            stale.unlink()
    files = {"evaluation.md": render_markdown(result, provenance),
             "evaluation.html": render_html(result, provenance, pngs)}
    for name, text in files.items():
        with atomic_write(out / name) as fh:
            fh.write(text)
        written.append(out / name)
    return written
