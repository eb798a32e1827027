"""The durable store: journal + output, duplicates, conflicts, torn lines, locking."""

from __future__ import annotations

import json

import pytest

from stance.annotate.store import Conflict, Store, StoreError, journal_path, read_journal

IDS = ["d:0", "d:1", "d:2"]


def rec(sid, label="none"):
    return {"id": sid, "doc": "d", "start": 0, "end": 1, "text": "x", "claim": False,
            "source": None, "stances": {"SYR": label}}


def lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_each_decision_is_journalled_and_out_has_one_record_per_sentence(tmp_path):
    out = tmp_path / "out.jsonl"
    with Store(out, IDS) as st:
        st.decide("key-00001", "d:1", "label", rec("d:1"))
        st.decide("key-00002", "d:0", "label", rec("d:0"))
        st.decide("key-00003", "d:1", "label", rec("d:1", "hostility"), rev=1)
    assert [r["id"] for r in lines(out)] == ["d:0", "d:1"]          # document order
    assert lines(out)[1]["stances"] == {"SYR": "hostility"}         # last decision wins
    assert [e["seq"] for e in lines(journal_path(out))] == [1, 2, 3]


def test_repeated_key_is_not_applied_twice_even_after_restart(tmp_path):
    out = tmp_path / "out.jsonl"
    with Store(out, IDS) as st:
        first = st.decide("key-00001", "d:0", "label", rec("d:0"))
        again = st.decide("key-00001", "d:0", "label", rec("d:0", "hostility"))
    assert again == {**first, "duplicate": True}
    with Store(out, IDS) as st:
        assert st.decide("key-00001", "d:0", "label", rec("d:0"))["duplicate"]
    assert len(lines(journal_path(out))) == 1
    assert lines(out)[0]["stances"] == {"SYR": "none"}


def test_outdated_revision_is_a_conflict(tmp_path):
    with Store(tmp_path / "o.jsonl", IDS) as st:
        st.decide("key-00001", "d:0", "label", rec("d:0"), rev=0)
        with pytest.raises(Conflict, match="another tab"):
            st.decide("key-00002", "d:0", "label", rec("d:0", "hostility"), rev=0)


def test_torn_last_line_is_truncated_and_the_rest_replayed(tmp_path):
    out = tmp_path / "out.jsonl"
    with Store(out, IDS) as st:
        st.decide("key-00001", "d:0", "label", rec("d:0"))
    journal = journal_path(out)
    good = journal.read_bytes()
    journal.write_bytes(good + b'{"seq": 2, "key": "key-00002", "action": "lab')
    with Store(out, IDS) as st:
        assert st.torn_bytes > 0 and st.decided("d:0") and not st.decided("d:1")
        st.decide("key-00003", "d:2", "label", rec("d:2"))
    entries, torn = read_journal(journal)
    assert torn == 0 and [e["key"] for e in entries] == ["key-00001", "key-00003"]
    assert [r["id"] for r in lines(out)] == ["d:0", "d:2"]


def test_skip_and_clear(tmp_path):
    out = tmp_path / "out.jsonl"
    with Store(out, IDS) as st:
        st.decide("key-00001", "d:0", "label", rec("d:0"))
        st.decide("key-00002", "d:1", "skip")
        st.decide("key-00003", "d:0", "clear", rev=1)
        assert st.snapshot() == ({}, {"d:1"})
    assert out.read_text() == ""


def test_existing_output_without_journal_is_kept(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps(rec("d:2")) + "\n" + json.dumps(rec("other:0")) + "\n")
    with Store(out, IDS, existing={"d:2": rec("d:2"), "other:0": rec("other:0")}) as st:
        st.decide("key-00001", "d:0", "label", rec("d:0"))
    assert [r["id"] for r in lines(out)] == ["d:0", "d:2", "other:0"]


def test_second_process_is_refused(tmp_path):
    out = tmp_path / "out.jsonl"
    with Store(out, IDS):
        with pytest.raises(StoreError, match="in use"):
            Store(out, IDS)


def test_damaged_journal_line_is_an_error_naming_it(tmp_path):
    out = tmp_path / "out.jsonl"
    journal_path(out).write_text("not json\n")
    with pytest.raises(StoreError, match=r"journal:1: not a journal entry"):
        Store(out, IDS)
