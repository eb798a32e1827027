"""Input and output: documents in, files out.

* :mod:`.documents`: :class:`Document` (id, text, path, optional date),
  reading files as strict UTF-8, expanding folders, streaming documents.
* :mod:`.atomic`: :func:`atomic_write`, how every output file is written.
"""

from .atomic import atomic_write
from .documents import (
    STDIN,
    Document,
    decode_document,
    expand_paths,
    iter_documents,
    read_document,
    read_input_bytes,
)

__all__ = ["STDIN", "Document", "atomic_write", "decode_document", "expand_paths",
           "iter_documents", "read_document", "read_input_bytes"]
