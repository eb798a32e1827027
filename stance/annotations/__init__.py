"""Annotation files: reading, writing, validating, and agreement between annotators.

* :mod:`.read`: JSON Lines records, :class:`Problem`, :class:`AnnotationError`,
  :func:`write_annotations` (atomic), streaming input records for prediction.
* :mod:`.validate`: the scheme's checks; :func:`check_file` reads and
  validates a file in one pass, returning records and problems.
* :mod:`.agreement`: alignment of two annotation files and Cohen's kappa.
"""

from .agreement import Agreement, agreement_between, compare_annotations
from .read import (
    AnnotationError,
    Problem,
    annotation_template,
    iter_annotations,
    iter_input_records,
    read_annotations,
    write_annotations,
)
from .validate import check_file, docs_folders, find_document, load_annotations, validate_file

__all__ = ["Agreement", "AnnotationError", "Problem", "agreement_between", "annotation_template",
           "check_file",
           "compare_annotations", "docs_folders", "find_document", "iter_annotations",
           "iter_input_records", "load_annotations", "read_annotations", "validate_file",
           "write_annotations"]
