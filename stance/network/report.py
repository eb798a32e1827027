"""The files `stance network` writes, rendered from the edge tables.

* ``edges.csv``: the edge table, one row per holder, target and period
  (pandas-readable; an empty cell is a net score that does not exist);
* ``network.json``: node-link JSON of a directed multigraph (one edge per
  holder, target and period, keyed by period), which
  ``networkx.node_link_graph`` reads and can export to GEXF or GraphML;
* ``examples.jsonl``: the example sentences behind each edge;
* ``network.html``: one self-contained report (figures embedded as PNG);
* ``figures/*.png``: the report's figures.

Figures are drawn with matplotlib's Agg backend (no display needed) and a
plain circular layout.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import math
from collections.abc import Callable
from pathlib import Path

from ._compat import atomic_write
from .aggregate import EDGE_COLUMNS, POOLED
from .reader import UNDATED, UNKNOWN, period_key

#: Edges drawn in the network figure (the most stance-bearing sentences first).
MAX_DRAWN = 40
#: Dyads in the time-series figure.
TOP_DYADS = 6
#: Rows of the strong-edge table.
TOP_EDGES = 15

Examples = Callable[[str, str, str], list[dict]]


def strength(row: dict) -> int:
    """How strong an edge is: |cooperation - hostility - accusation| (net sentences)."""
    return abs(row["cooperation"] - row["hostility"] - row["accusation"])


def strongest(rows: list[dict], n: int, unknown: bool = False) -> list[dict]:
    """The ``n`` strongest edges with a known holder (or with holder ``?``).

    Ranked by :func:`strength`, then stance-bearing sentences, then ids.
    """
    pick = [r for r in rows if (r["holder"] == UNKNOWN) == unknown and r["labelled"] > 0]
    pick.sort(key=lambda r: (-strength(r), -r["labelled"], r["holder"], r["target"]))
    return pick[:n]


def _cell(value: object) -> object:
    return "" if isinstance(value, float) and math.isnan(value) else value


def write_edges_csv(path: Path, rows: list[dict]) -> None:
    with atomic_write(path) as fh:
        writer = csv.DictWriter(fh, fieldnames=EDGE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row[k]) for k in EDGE_COLUMNS})


def network_data(rows: list[dict], names: dict[str, str], meta: dict) -> dict:
    """Node-link data of the directed multigraph (networkx ``node_link_graph``, edges='edges').

    Only scalar attributes, and none that is missing (a net score that does
    not exist is left out), so networkx can write GraphML and GEXF from it.
    """
    ids = sorted({r["holder"] for r in rows} | {r["target"] for r in rows},
                 key=lambda a: (a == UNKNOWN, a))
    nodes = [{"id": a, "name": "unknown holder" if a == UNKNOWN else names.get(a, a),
              "known": a != UNKNOWN} for a in ids]
    edges = []
    for r in rows:
        edge = {"source": r["holder"], "target": r["target"], "key": r["period"]}
        for k in EDGE_COLUMNS[2:]:
            if not (isinstance(r[k], float) and math.isnan(r[k])):
                edge[k] = r[k]
        edges.append(edge)
    graph = {k: "; ".join(v) if isinstance(v, list) else v for k, v in meta.items()
             if isinstance(v, (str, int, float, bool, list))}
    return {"directed": True, "multigraph": True, "graph": graph, "nodes": nodes,
            "edges": edges}


# --- figures -------------------------------------------------------------------------

def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    _plt().close(fig)
    return buf.getvalue()


def _period_title(period: str, periods: list[str]) -> str:
    if period == POOLED:
        return "all periods" if periods != [UNDATED] else "all documents (all undated)"
    return f"period {period}"


def figure_network(rows: list[dict], title: str) -> bytes:
    """Actors on a circle (``?`` in the centre), arrows holder -> target.

    Colour: net score (red hostile or accusing, blue cooperative); width:
    stance-bearing sentences.  Edges from ``?`` are dashed.
    """
    plt = _plt()
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import FancyArrowPatch

    drawn = sorted((r for r in rows if r["labelled"] > 0),
                   key=lambda r: (-r["labelled"], r["holder"], r["target"]))[:MAX_DRAWN]
    actors = sorted({r["holder"] for r in drawn} | {r["target"] for r in drawn} - {UNKNOWN})
    pos = {a: (math.cos(math.pi / 2 - 2 * math.pi * i / max(1, len(actors))),
               math.sin(math.pi / 2 - 2 * math.pi * i / max(1, len(actors))))
           for i, a in enumerate(actors)}
    pos[UNKNOWN] = (0.0, 0.0)
    cmap, norm = colormaps["RdBu"], Normalize(-1, 1)
    top = max((r["labelled"] for r in drawn), default=1)
    fig, ax = plt.subplots(figsize=(8.2, 7.4))
    for r in sorted(drawn, key=lambda r: r["labelled"]):
        unknown = r["holder"] == UNKNOWN
        ax.add_patch(FancyArrowPatch(
            pos[r["holder"]], pos[r["target"]], connectionstyle="arc3,rad=0.18",
            arrowstyle="-|>", mutation_scale=12, shrinkA=16, shrinkB=16,
            linewidth=0.6 + 5.0 * math.sqrt(r["labelled"] / top), color=cmap(norm(r["net"])),
            linestyle="--" if unknown else "-", alpha=0.55 if unknown else 0.9, zorder=1))
    for a, (x, y) in pos.items():
        if a == UNKNOWN and not any(r["holder"] == UNKNOWN for r in drawn):
            continue
        ax.scatter([x], [y], s=900, color="#f2f2f2" if a == UNKNOWN else "#ffe9a8",
                   edgecolors="#555555", zorder=2)
        ax.text(x, y, a, ha="center", va="center", fontsize=8, fontweight="bold", zorder=3)
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.25, 1.25)
    ax.set_aspect("equal")
    ax.axis("off")
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=norm)
    fig.colorbar(sm, ax=ax, fraction=0.035, pad=0.02,
                 label="net score: -1 hostility/accusation ... +1 cooperation")
    ax.set_title(f"Stance network, {title}: the {len(drawn)} edges with most stance-bearing "
                 "sentences\n(width: sentences; dashed: holder unknown '?', in the centre)",
                 fontsize=10)
    return _png(fig)


def figure_heatmap(rows: list[dict], title: str) -> bytes:
    """Holder x target net score; blank where no sentence takes a stance; cells show counts."""
    plt = _plt()
    import numpy as np

    kept = [r for r in rows if r["labelled"] > 0]
    holders = sorted({r["holder"] for r in kept}, key=lambda a: (a == UNKNOWN, a))
    targets = sorted({r["target"] for r in kept})
    grid = np.full((len(holders), len(targets)), np.nan)
    counts = {}
    for r in kept:
        i, j = holders.index(r["holder"]), targets.index(r["target"])
        grid[i, j] = r["net"]
        counts[i, j] = r["labelled"]
    fig, ax = plt.subplots(figsize=(max(5.0, 0.42 * len(targets) + 2.5),
                                    max(4.0, 0.38 * len(holders) + 1.8)))
    cmap = plt.get_cmap("RdBu").with_extremes(bad="#eeeeee")
    im = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(len(targets)), targets, rotation=90, fontsize=8)
    ax.set_yticks(range(len(holders)), holders, fontsize=8)
    ax.set_xlabel("target")
    ax.set_ylabel("holder (source of the claim; ? unknown)")
    for (i, j), n in counts.items():
        ax.text(j, i, str(n), ha="center", va="center", fontsize=6,
                color="white" if abs(grid[i, j]) > 0.6 else "black")
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="net score")
    ax.set_title(f"Net score holder -> target, {title}\n(numbers: stance-bearing sentences; "
                 "grey: none)", fontsize=10)
    return _png(fig)


def figure_timeseries(rows: list[dict], dyads: list[tuple[str, str]],
                      periods: list[str]) -> bytes:
    """Net score per period of the top dyads, with 95% bootstrap intervals."""
    plt = _plt()
    by_key = {(r["holder"], r["target"], r["period"]): r for r in rows}
    fig, ax = plt.subplots(figsize=(max(6.0, 0.5 * len(periods) + 4), 4.2))
    width = 0.6 / max(1, len(dyads))
    for d, (h, t) in enumerate(dyads):
        xs, ys, lo, hi = [], [], [], []
        for i, p in enumerate(periods):
            r = by_key.get((h, t, p))
            if r is None or r["labelled"] == 0:
                continue
            xs.append(i - 0.3 + width * (d + 0.5))
            ys.append(r["net"])
            low = r["net"] if math.isnan(r["net_low"]) else r["net_low"]
            high = r["net"] if math.isnan(r["net_high"]) else r["net_high"]
            lo.append(r["net"] - low)
            hi.append(high - r["net"])
        ax.errorbar(xs, ys, yerr=[lo, hi], marker="o", capsize=3, linewidth=1,
                    label=f"{h} -> {t}")
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_xticks(range(len(periods)), periods, rotation=45 if len(periods) > 6 else 0,
                  ha="right" if len(periods) > 6 else "center", fontsize=8)
    ax.set_ylim(-1.1, 1.1)
    ax.set_ylabel("net score (95% bootstrap interval)")
    note = " (no dated documents: give dates with --dates or a 'date' field)" \
        if periods == [UNDATED] else ""
    ax.set_title(f"Net score over time, top {len(dyads)} dyads by stance-bearing "
                 f"sentences{note}", fontsize=10)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return _png(fig)


# --- html ----------------------------------------------------------------------------

def _fmt_net(r: dict) -> str:
    if math.isnan(r["net"]):
        return "–"
    if math.isnan(r["net_low"]):
        return f"{r['net']:+.2f}"
    return f"{r['net']:+.2f} [{r['net_low']:+.2f}, {r['net_high']:+.2f}]"


def _edge_table(rows: list[dict], examples: Examples, names: dict[str, str]) -> str:
    esc = html.escape
    out = ["<table><tr><th>holder → target</th><th>period</th><th>sentences (docs)</th>"
           "<th>coop / host / acc / none</th><th>net [95% CI]</th><th>example sentences</th></tr>"]
    for r in rows:
        exs = examples(r["holder"], r["target"], r["period"])
        ex_html = "".join(
            f"<li><b>{esc(e['label'])}</b> {e['probability']:.2f} <code>{esc(e['id'])}</code> "
            f"{esc(e['text'])}</li>" for e in exs) or "<li>(none kept)</li>"
        title = f"{names.get(r['holder'], r['holder'])} → {names.get(r['target'], r['target'])}"
        out.append(
            f"<tr><td title=\"{esc(title)}\"><b>{esc(r['holder'])} → {esc(r['target'])}</b></td>"
            f"<td>{esc(r['period'])}</td><td>{r['sentences']} ({r['documents']})</td>"
            f"<td>{r['cooperation']} / {r['hostility']} / {r['accusation']} / {r['none']}</td>"
            f"<td>{_fmt_net(r)}</td><td><ul>{ex_html}</ul></td></tr>")
    out.append("</table>")
    return "\n".join(out)


CSS = """body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:13px;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
td:nth-child(-n+5){white-space:nowrap}
ul{margin:0;padding-left:1.2em} img{max-width:100%} code{font-size:11px;color:#555}
.meta{color:#555;font-size:13px}"""


def render_html(*, meta: dict, summary: dict, figures: dict[str, bytes], strong: list[dict],
                strong_unknown: list[dict], examples: Examples, names: dict[str, str],
                title: str) -> str:
    esc = html.escape

    def img(name: str, alt: str) -> str:
        data = base64.b64encode(figures[name]).decode("ascii")
        return f'<p><img alt="{esc(alt)}" src="data:image/png;base64,{data}"></p>'

    inputs = ", ".join(f"<code>{esc(p)}</code>" for p in meta["inputs"])
    s = summary
    parts = [
        "<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<title>stance network</title>", f"<style>{CSS}</style></head><body>",
        "<h1>Stance network: who stands how toward whom</h1>",
        f"<p class=\"meta\">From {inputs}: {s['records']} sentences in {s['documents']} "
        f"documents ({s['undated_documents']} undated), {s['stances']} stances counted "
        f"({s['unknown_holder_stances']} with holder unknown '?'; "
        f"{s['self_stances_skipped']} toward the holder itself not counted).  Periods by "
        f"{esc(meta['by'])}: {esc(', '.join(s['periods']))}.  Net score = (cooperation − "
        "hostility − accusation) / stance-bearing sentences; 95% percentile bootstrap "
        f"interval over documents, {meta['bootstrap']} rounds, seed {meta['seed']}.  "
        f"Filters: {esc(meta['filters'])}.  stance {esc(meta['version'])}, "
        f"{esc(meta['generated'])}.</p>",
        f"<h2>Network, {esc(title)}</h2>", img("network", "stance network"),
        f"<h2>Holder × target net score, {esc(title)}</h2>", img("heatmap", "heatmap"),
        "<h2>Over time</h2>", img("timeseries", "time series of the net score"),
        f"<h2>Strongest edges, {esc(title)}</h2>",
        "<p>Ranked by |cooperation − hostility − accusation|; the example sentences are the "
        "most probable stance-bearing ones (id <code>doc:n</code>).  Every edge is in "
        "<code>edges.csv</code>, its examples in <code>examples.jsonl</code>.</p>",
        _edge_table(strong, examples, names),
        "<h2>Strongest edges with holder unknown (?)</h2>",
        "<p>Stances in sentences that are not claims, or claims whose source is not an "
        "actor of the dictionary.</p>",
        _edge_table(strong_unknown, examples, names),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_network(out: str | Path, rows: list[dict], pooled: list[dict], *, summary: dict,
                  examples: Examples, names: dict[str, str], meta: dict,
                  period: str = POOLED) -> list[Path]:
    """Write every output file into ``out`` (created if missing); returns their paths.

    ``rows`` is the per-period edge table, ``pooled`` the same edges over all
    periods; ``period`` chooses what the network, heatmap and strong-edge
    table show (``all``: pooled).
    """
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    periods = sorted({r["period"] for r in rows}, key=period_key)
    shown = pooled if period == POOLED else [r for r in rows if r["period"] == period]
    title = _period_title(period, periods)
    dyads = [(r["holder"], r["target"]) for r in
             sorted((r for r in pooled if r["holder"] != UNKNOWN and r["labelled"] > 0),
                    key=lambda r: (-r["labelled"], r["holder"], r["target"]))[:TOP_DYADS]]
    figures = {"network": figure_network(shown, title),
               "heatmap": figure_heatmap(shown, title),
               "timeseries": figure_timeseries(rows, dyads, periods)}
    written = []
    path = out / "edges.csv"
    write_edges_csv(path, rows)
    written.append(path)
    path = out / "network.json"
    with atomic_write(path) as fh:
        json.dump(network_data(rows, names, meta), fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    written.append(path)
    path = out / "examples.jsonl"
    with atomic_write(path) as fh:
        for r in rows:
            for rank, e in enumerate(examples(r["holder"], r["target"], r["period"]), 1):
                fh.write(json.dumps({"holder": r["holder"], "target": r["target"],
                                     "period": r["period"], "rank": rank, **e},
                                    ensure_ascii=False) + "\n")
    written.append(path)
    for name, png in figures.items():
        path = out / "figures" / f"{name}.png"
        with atomic_write(path, "wb") as fh:
            fh.write(png)
        written.append(path)
    path = out / "network.html"
    with atomic_write(path) as fh:
        fh.write(render_html(meta=meta, summary=summary, figures=figures,
                             strong=strongest(shown, TOP_EDGES),
                             strong_unknown=strongest(shown, TOP_EDGES // 2, unknown=True),
                             examples=examples, names=names, title=title))
    written.append(path)
    return written
