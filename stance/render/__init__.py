"""Rendering: data in, text out (the CLI only prints what these return).

* :mod:`.records`: the segmentation listing, CSV rows, the prediction table.
* :mod:`.agreement`: the agreement report.
* :mod:`.report`: the evaluation report (Markdown, HTML, JSON, figures).
"""

from .agreement import render_agreement
from .records import CSV_FIELDS, pair_rows, render_segmentation, render_table
from .report import headline_markdown, write_reports

__all__ = ["CSV_FIELDS", "headline_markdown", "pair_rows", "render_agreement",
           "render_segmentation", "render_table", "write_reports"]
