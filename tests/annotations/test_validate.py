from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.actors import load_actors
from stance.annotations import (
    AnnotationError,
    Problem,
    iter_annotations,
    load_annotations,
    read_annotations,
    validate_file,
    write_annotations,
)
from stance.errors import InputError
from stance.schema import LABELS, STANCE_LABELS

DOC = ("Ankara accused Tehran of arming militants.\n"
       "Iraq and Syria agreed to cooperate. The talks were held in Baghdad.\n")
SPANS = [(0, 42), (43, 78), (79, 110)]
STANCES = [{"TUR": "none", "IRN": "accusation"},
           {"IRQ": "cooperation", "SYR": "cooperation"},
           {"IRQ": "none"}]


def rec(n: int, **changes) -> dict:
    """A valid record for sentence ``n`` of DOC, with ``changes`` applied."""
    start, end = SPANS[n]
    record = {"id": f"d1:{n}", "doc": "d1", "start": start, "end": end,
              "text": DOC[start:end], "claim": n == 0, "source": "TUR" if n == 0 else None,
              "stances": dict(STANCES[n])}
    record.update(changes)
    return record


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "d1.txt").write_text(DOC, encoding="utf-8")
    return folder


def write_lines(path, *items) -> str:
    """Write records (dicts) and raw lines (str) as a JSON Lines file."""
    lines = [item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
             for item in items]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def rendered(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def test_labels():
    assert LABELS == ("cooperation", "hostility", "accusation", "none")
    assert STANCE_LABELS == ("cooperation", "hostility", "accusation")


def test_valid_file_has_no_problems(tmp_path, docs):
    path = write_lines(tmp_path / "a.jsonl", rec(0), rec(1), rec(2))
    assert validate_file(path, docs) == []


def test_extra_fields_are_kept_and_ignored(tmp_path, docs):
    extra = rec(0, note="hard case", evidence="accused", mentions=[{"actor": "TUR"}],
                tool={"version": 3})
    path = write_lines(tmp_path / "a.jsonl", extra)
    assert validate_file(path, docs) == []
    assert read_annotations(path) == [extra]


def test_write_then_read_round_trip(tmp_path):
    records = [rec(0, note="Erdoğan’s “view”"), rec(1)]
    path = tmp_path / "out.jsonl"
    write_annotations(path, records)
    assert "Erdoğan’s “view”" in path.read_text(encoding="utf-8")
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2
    assert read_annotations(path) == records


def test_every_problem_reported_in_one_run_in_line_order(tmp_path, docs):
    path = write_lines(
        tmp_path / "a.jsonl",
        rec(0),
        "{not json",
        "[1, 2]",
        rec(1, claim="yes", stances={"IRQ": "friendly", "SYR": "cooperation"}),
        "",
        rec(2, id="d1:0"),
    )
    assert rendered(validate_file(path, docs)) == [
        f"{path}:2: error: not valid JSON: Expecting property name enclosed in double quotes "
        "at column 2",
        f"{path}:3: error: expected a JSON object, found an array",
        f"{path}:4: error: 'claim' must be true or false, found string \"yes\"",
        f"{path}:4: error: stances: label for 'IRQ' must be one of cooperation, hostility, "
        "accusation, none, found string \"friendly\"",
        f"{path}:6: error: duplicate id 'd1:0' (first on line 1)",
    ]


@pytest.mark.parametrize("record,message", [
    ({k: v for k, v in rec(0).items() if k != "claim"}, "missing field 'claim'"),
    ({k: v for k, v in rec(0).items() if k != "stances"}, "missing field 'stances'"),
    (rec(0, id=4), "'id' must be a non-empty string, found number 4"),
    (rec(0, doc=""), "'doc' must be a non-empty string, found string \"\""),
    (rec(0, text=None), "'text' must be a non-empty string, found null"),
    (rec(0, start=-1), "'start' must be an integer >= 0, found number -1"),
    (rec(0, start="0"), "'start' must be an integer >= 0, found string \"0\""),
    (rec(0, end=True), "'end' must be an integer >= 0, found true"),
    (rec(0, end=1.5), "'end' must be an integer >= 0, found number 1.5"),
    (rec(0, start=42, end=42), "'start' (42) must be less than 'end' (42)"),
    (rec(0, claim=None), "'claim' must be true or false, found null"),
    (rec(0, source=["TUR"]), "'source' must be an actor ID or null, found an array"),
    (rec(0, source="TURKEY"), "'source' 'TURKEY' is not an actor ID of the actor dictionary"),
    (rec(0, claim=False), "'source' is 'TUR' but 'claim' is false; a source needs claim true"),
    (rec(0, stances=["TUR"]), "'stances' must be an object {actor: label}, found an array"),
    (rec(0, stances={"TUR": "none", "Iran": "accusation"}),
     "stances: 'Iran' is not an actor ID of the actor dictionary"),
    (rec(0, stances={"TUR": None, "IRN": "accusation"}),
     "stances: label for 'TUR' must be one of cooperation, hostility, accusation, none, "
     "found null"),
    (rec(0, note=3), "'note' must be a string, found number 3"),
    (rec(0, id="d2:0"), "'id' 'd2:0' must be 'd1:<n>' (doc, a colon, the sentence index)"),
    (rec(0, id="d1:01"), "'id' 'd1:01' must be 'd1:<n>' (doc, a colon, the sentence index)"),
    (rec(0, id="d1"), "'id' 'd1' must be 'd1:<n>' (doc, a colon, the sentence index)"),
])
def test_each_kind_of_error(tmp_path, docs, record, message):
    path = write_lines(tmp_path / "a.jsonl", rec(1), record)
    problems = validate_file(path, docs)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == [f"{path}:2: error: {message}"]


def test_each_missing_field_is_named(tmp_path, docs):
    path = write_lines(tmp_path / "a.jsonl", {"id": "d1:0", "doc": "d1", "claim": False})
    assert rendered(validate_file(path, docs)) == [
        f"{path}:1: error: missing field {name!r}"
        for name in ("start", "end", "text", "source", "stances")]


def test_claim_true_without_source_is_fine(tmp_path, docs):
    path = write_lines(tmp_path / "a.jsonl", rec(0, source=None))
    assert validate_file(path, docs) == []


def test_text_must_match_the_document(tmp_path, docs):
    path = write_lines(tmp_path / "a.jsonl",
                       rec(1, start=44, end=79),
                       rec(2, end=200),
                       rec(0, text="Ankara accused Tehran"))
    assert rendered(validate_file(path, docs)) == [
        f"{path}:1: error: 'text' is not the document text at [44:79], which is "
        "\"raq and Syria agreed to cooperate. \"; the text is found at [43:78]",
        f"{path}:2: error: 'end' (200) is past the end of document 'd1' (111 characters)",
        f"{path}:3: error: 'text' is not the document text at [0:42], which is "
        "\"Ankara accused Tehran of arming militants.\"; the text is found at [0:21]",
    ]


def test_missing_document_reported_once_per_doc(tmp_path, docs):
    other = {"id": "gone:0", "doc": "gone", "start": 0, "end": 5, "text": "Syria",
             "claim": False, "source": None, "stances": {"SYR": "none"}}
    path = write_lines(tmp_path / "a.jsonl", rec(0), other, {**other, "id": "gone:1",
                                                             "start": 6, "end": 11})
    assert rendered(validate_file(path, docs)) == [
        f"{path}:2: error: document 'gone' not found: expected {docs}/gone.txt",
    ]


def test_default_docs_folder_is_seeds_of_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_lines(tmp_path / "a.jsonl", rec(0))
    root = Path(__file__).resolve().parents[2]  # no seeds/ here: the checkout's are searched
    assert rendered(validate_file(path)) == [
        f"{path}:1: error: document 'd1' not found: looked for d1.txt in {root / 'seeds'}, "
        f"{root / 'corpus'} (the default folders; give --docs DIR)"]
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "d1.txt").write_text(DOC, encoding="utf-8")
    assert validate_file(path) == []


def test_unreadable_document_is_an_error_on_the_line(tmp_path, docs):
    (docs / "bad.txt").write_bytes(b"Syria \xff")
    bad = {"id": "bad:0", "doc": "bad", "start": 0, "end": 5, "text": "Syria", "claim": False,
           "source": None, "stances": {"SYR": "none"}}
    path = write_lines(tmp_path / "a.jsonl", bad)
    assert rendered(validate_file(path, docs)) == [
        f"{path}:1: error: cannot check text: {docs}/bad.txt: expected UTF-8 text, found byte "
        "0xff that is not valid UTF-8 at byte offset 6"]


def test_docs_folder_that_does_not_exist(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", rec(0))
    with pytest.raises(InputError,
                       match=r"nowhere: expected a folder of documents, found nothing$"):
        validate_file(path, tmp_path / "nowhere")


def test_actor_dictionary_warnings(tmp_path, docs):
    path = write_lines(tmp_path / "a.jsonl",
                       rec(0, stances={"TUR": "none", "IRN": "accusation", "QAT": "none"}),
                       rec(1, stances={"IRQ": "cooperation"}))
    assert rendered(validate_file(path, docs)) == [
        f"{path}:1: warning: stance given for QAT, which the actor dictionary does not find "
        "in the sentence",
        f"{path}:2: warning: actor SYR is named (\"Syria\") but has no stance",
    ]


def test_no_text_checks_when_asked(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", rec(0, stances={}), rec(1, claim=None))
    assert rendered(validate_file(path, tmp_path / "nowhere", check_text=False)) == [
        f"{path}:2: error: 'claim' must be true or false, found null"]


def test_user_actor_dictionary(tmp_path, docs):
    toml = tmp_path / "a.toml"
    toml.write_text('[actors.XYZ]\nname = "Xyzland"\naliases = ["Xyzland"]\n',
                    encoding="utf-8")
    path = write_lines(tmp_path / "a.jsonl", rec(2, stances={"IRQ": "none", "XYZ": "none"}))
    assert rendered(validate_file(path, docs, check_text=False)) == [
        f"{path}:1: error: stances: 'XYZ' is not an actor ID of the actor dictionary"]
    assert validate_file(path, docs, load_actors(toml), check_text=False) == []


def test_duplicate_sentence_offsets(tmp_path, docs):
    path = write_lines(tmp_path / "a.jsonl", rec(0), rec(0, id="d1:7"))
    assert rendered(validate_file(path, docs)) == [
        f"{path}:2: error: sentence [0:42] of doc 'd1' is annotated twice (first on line 1)"]


def test_not_utf8_lines_and_bom(tmp_path, docs):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(rec(0)).encode() + b"\r\n"
                     + b'{"note": "caf\xe9"}\n')
    assert rendered(validate_file(path, docs)) == [
        f"{path}:2: error: expected UTF-8 text, found byte 0xe9 that is not valid UTF-8 "
        "at byte 13 of the line"]


def test_unreadable_files(tmp_path):
    assert rendered(validate_file(tmp_path / "missing.jsonl")) == [
        f"{tmp_path}/missing.jsonl: error: no such file"]
    assert rendered(validate_file(tmp_path)) == [
        f"{tmp_path}: error: expected an annotation file, found a folder"]
    (tmp_path / "bin.jsonl").write_bytes(b"\x89PNG\x00\x00")
    assert rendered(validate_file(tmp_path / "bin.jsonl")) == [
        f"{tmp_path}/bin.jsonl: error: expected a UTF-8 JSON Lines file, found binary data "
        "(NUL byte)"]
    with pytest.raises(AnnotationError, match=r"missing\.jsonl: no such file$"):
        read_annotations(tmp_path / "missing.jsonl")


def test_empty_file_is_a_warning(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    assert rendered(validate_file(tmp_path / "empty.jsonl")) == [
        f"{tmp_path}/empty.jsonl: warning: no annotation records"]


def test_iter_annotations_yields_records_and_problems(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", rec(0), "", "3")
    items = list(iter_annotations(path))
    assert items == [(1, rec(0)), (3, Problem(path, 3, "error",
                                               "expected a JSON object, found number 3"))]


def test_read_annotations_lists_every_bad_line(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", "null", rec(0), "{")
    with pytest.raises(AnnotationError) as info:
        read_annotations(path)
    assert str(info.value) == (
        f"{path}: not a valid annotation file (2 errors):\n"
        f"{path}:1: error: expected a JSON object, found null\n"
        f"{path}:3: error: not valid JSON: Expecting property name enclosed in double quotes "
        "at column 2")


def test_load_annotations_checks_format_not_text(tmp_path):
    good = write_lines(tmp_path / "good.jsonl", rec(0, text="elsewhere", stances={}))
    assert load_annotations(good) == [rec(0, text="elsewhere", stances={})]
    bad = write_lines(tmp_path / "bad.jsonl", rec(0), rec(1, stances={"IRQ": "ally"}))
    with pytest.raises(AnnotationError, match=rf"^{bad}: not a valid annotation file "
                                              rf"\(1 error\):\n{bad}:2: error: stances: "
                                              "label for 'IRQ' must be one of"):
        load_annotations(bad)


def test_input_records_skip_passes_over_records_unparsed(tmp_path):
    """A part of a file (``--dask``): earlier records are not parsed, line numbers stay true."""
    from stance.annotations import iter_input_records
    from stance.annotations.read import AnnotationError

    path = tmp_path / "in.jsonl"
    path.write_text('not json\n\n{"text": "Iraq.", "mentions": []}\n{"text": 1}\n',
                    encoding="utf-8")
    records = iter_input_records(path, skip=1)
    assert next(records)["text"] == "Iraq."
    with pytest.raises(AnnotationError, match=r"in\.jsonl:4: "):
        next(records)
