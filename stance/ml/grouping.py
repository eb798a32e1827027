"""Which group each document belongs to (document, conflict or region), from the manifest,
and the grouped cross-validation splitters built on those groups.

Cross-validation grouped by conflict (leave-one-conflict-out) is the honest
measure of a model meant to travel to conflicts it never saw: the settings
search (inner CV) and the evaluation (outer CV) both use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sklearn.model_selection import BaseCrossValidator, GroupKFold, LeaveOneGroupOut

from .._resources import project_path
from ..errors import InputError, StanceError
from ..io.manifest import DEFAULT_MANIFEST, ManifestRow, read_manifest

GROUP_BY = ("document", "conflict", "region")
#: Leave-one-group-out up to this many groups, else five grouped folds.
MAX_LOGO_GROUPS = 10


def load_manifest(path: str | Path | None = None) -> dict[str, ManifestRow]:
    """The manifest at ``path``, else ``corpus/manifest.csv`` (found as the other
    defaults are: the working directory, else the source checkout; an error if missing)."""
    return read_manifest(path or project_path(DEFAULT_MANIFEST))


def manifest_option(path: str | Path | None) -> dict[str, ManifestRow] | None:
    """The manifest a ``--manifest`` option names (read now, so a bad file fails
    early), or None: the default manifest, read when a grouping needs it."""
    return load_manifest(path) if path else None


def doc_groups(docs: Sequence[str], by: str,
               manifest: Mapping[str, ManifestRow] | None = None,
               manifest_path: str | Path | None = None) -> dict[str, str]:
    """Each document's group: itself, or its manifest conflict or region.

    Documents the manifest does not list (or lists without a value in the
    column) are an error naming them.
    """
    if by not in GROUP_BY:
        raise StanceError(f"group-by must be one of {', '.join(GROUP_BY)}, found {by!r}")
    unique = sorted(set(docs))
    if by == "document":
        return {d: d for d in unique}
    if manifest is None:
        manifest = load_manifest(manifest_path)
    where = manifest_path or DEFAULT_MANIFEST
    missing = [d for d in unique if d not in manifest or not getattr(manifest[d], by)]
    if missing:
        shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more"
                                           if len(missing) > 20 else "")
        raise InputError(f"{where}: no {by} for {len(missing)} document"
                         f"{'s' if len(missing) != 1 else ''} of the data: {shown}; add "
                         f"them to a manifest (--manifest FILE, columns doc,{by}) or use "
                         "--group-by document")
    return {d: str(getattr(manifest[d], by)) for d in unique}


def record_groups(records: Sequence[Mapping[str, Any]], by: str,
                  manifest: Mapping[str, ManifestRow] | None = None,
                  manifest_path: str | Path | None = None) -> list[str]:
    """The group of each record (by its ``doc``)."""
    groups = doc_groups([r["doc"] for r in records], by, manifest, manifest_path)
    return [groups[r["doc"]] for r in records]


def grouped_splitter(groups: Sequence[str], folds: int | None = None,
                     what: str = "groups") -> BaseCrossValidator:
    """Leave-one-group-out (``folds`` None and at most MAX_LOGO_GROUPS groups, or
    ``folds`` 0), else GroupKFold with ``folds`` (default 5) folds."""
    n = len(set(groups))
    if n < 2:
        raise StanceError(f"grouped cross-validation needs at least 2 {what}, found {n}")
    if folds == 0 or (folds is None and n <= MAX_LOGO_GROUPS):
        return LeaveOneGroupOut()
    return GroupKFold(n_splits=min(folds or 5, n))


def splitter_name(cv: BaseCrossValidator, by: str) -> str:
    if isinstance(cv, LeaveOneGroupOut):
        return f"leave-one-{by}-out"
    return f"GroupKFold({cv.get_n_splits()}) over {by}s"
