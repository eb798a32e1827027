"""Sentences tagged with the actors they name: the records ``stance segment`` writes
and prediction reads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..io.documents import Document
from ..schema import SentenceRecord
from ..text.segment import Segmentation, segment_document
from .dictionary import ActorDictionary
from .loaders import default_actors


def sentence_records(seg: Segmentation,
                     actors: ActorDictionary | None = None) -> list[SentenceRecord]:
    """One record per sentence: ``id, doc, start, end, text, mentions``.

    Mention offsets are document offsets, like the sentence's own.  The
    document's date, if any, goes to the dictionary.
    """
    actors = actors or default_actors()
    return [{"id": sent.id, "doc": sent.doc, "start": sent.start, "end": sent.end,
             "text": sent.text,
             "mentions": [m.to_record() for m in actors.find(sent.text, sent.start,
                                                             seg.doc.date)]}
            for sent in seg.sentences]


def segment_records(documents: Iterable[Document], actors: ActorDictionary | None = None
                    ) -> Iterator[tuple[Segmentation, list[SentenceRecord]]]:
    """Segment each document in turn (streaming) and detect its actors."""
    for doc in documents:
        seg = segment_document(doc)
        yield seg, sentence_records(seg, actors)
