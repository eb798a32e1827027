"""Sentences tagged with the actors they name: the records ``stance segment`` writes
and prediction reads."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from ..io.documents import Document
from ..schema import SentenceRecord
from ..text.dateline import find_date
from ..text.segment import Segmentation, segment_document
from .dictionary import ActorDictionary
from .loaders import default_actors

#: Furniture rules whose lines may carry the document's date (not, e.g., a
#: "Printable version | <date>" line, which dates the printout).
DATELINE_RULES = frozenset({"date-only", "byline", "no-words"})


def sentence_records(seg: Segmentation,
                     actors: ActorDictionary | None = None) -> list[SentenceRecord]:
    """One record per sentence: ``id, doc, start, end, text, mentions``.

    Mention offsets are document offsets, like the sentence's own.  Actors are
    resolved for the whole document at once: on its date (the document's, else
    its dateline) and for its country (the document's, else the state it names
    most).
    """
    actors = actors or default_actors()
    found = actors.find_document([s.text for s in seg.sentences],
                                 [s.start for s in seg.sentences],
                                 document_date(seg), seg.doc.country)
    return [{"id": sent.id, "doc": sent.doc, "start": sent.start, "end": sent.end,
             "text": sent.text, "mentions": [m.to_record() for m in mentions]}
            for sent, mentions in zip(seg.sentences, found, strict=True)]


def document_date(seg: Segmentation) -> datetime.date | None:
    """The document's date: given with it, else read from its dateline."""
    return seg.doc.date or find_date(line.text for line in seg.dropped
                                     if line.rule in DATELINE_RULES)


def segment_records(documents: Iterable[Document], actors: ActorDictionary | None = None
                    ) -> Iterator[tuple[Segmentation, list[SentenceRecord]]]:
    """Segment each document in turn (streaming) and detect its actors."""
    for doc in documents:
        seg = segment_document(doc)
        yield seg, sentence_records(seg, actors)
