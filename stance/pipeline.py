"""Text -> sentences -> actor mentions, as records in the scheme's format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .actors import ActorDictionary, default_actors
from .io import Document
from .segment import Segmentation, segment_document


def sentence_records(seg: Segmentation, actors: ActorDictionary | None = None) -> list[dict]:
    """One record per sentence: ``id, doc, start, end, text, mentions``.

    Mention offsets are document offsets, like the sentence's own.
    """
    actors = actors or default_actors()
    out = []
    for sent in seg.sentences:
        record = sent.to_record()
        record["mentions"] = [m.to_record() for m in actors.find(sent.text, sent.start)]
        out.append(record)
    return out


def segment_records(documents: Iterable[Document],
                    actors: ActorDictionary | None = None) -> Iterator[tuple[Segmentation, list[dict]]]:
    """Segment each document in turn (streaming) and detect its actors."""
    for doc in documents:
        seg = segment_document(doc)
        yield seg, sentence_records(seg, actors)


def annotation_template(record: dict) -> dict:
    """A record ready for hand annotation: every label left null to be decided.

    Only ids, offsets and detected actors are filled in; no label is guessed.
    """
    actors = dict.fromkeys(m["actor"] for m in record["mentions"])
    return {**record, "claim": None, "source": None, "stances": actors}
