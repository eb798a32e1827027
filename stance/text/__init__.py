"""Text: from a document to its sentences.

* :mod:`.furniture`: which lines of a scraped page are not article text.
* :mod:`.punkt`: the Punkt tokenizer built from the shipped parameters.
* :mod:`.segment`: :func:`segment_document`, lines then sentences, exact offsets.
"""

from .furniture import FurnitureRule, classify_lines, default_rules
from .punkt import default_tokenizer
from .segment import DroppedLine, Segmentation, Sentence, segment_document

__all__ = ["DroppedLine", "FurnitureRule", "Segmentation", "Sentence", "classify_lines",
           "default_rules", "default_tokenizer", "segment_document"]
