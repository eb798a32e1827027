from __future__ import annotations

import os

import pytest

from stance.errors import InputError
from stance.io import atomic_write, decode_document, expand_paths, read_document


def test_decode_refuses_binary():
    with pytest.raises(InputError, match=r"^x\.txt: expected a UTF-8 text file, found binary data"):
        decode_document(b"abc\x00def", "x.txt")


def test_decode_names_the_bad_byte():
    with pytest.raises(InputError,
                       match=r"^x\.txt: expected UTF-8 text, found byte 0xe9 .* offset 3$"):
        decode_document(b"caf" + b"\xe9 au lait", "x.txt")


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_decode_refuses_empty(data):
    with pytest.raises(InputError, match=r"^x\.txt: expected a document, found an empty file$"):
        decode_document(data, "x.txt")


def test_read_document_id_is_stem(tmp_path):
    p = tmp_path / "abc_1.txt"
    p.write_text("Syria said so.\n", encoding="utf-8")
    doc = read_document(p)
    assert (doc.id, doc.text) == ("abc_1", "Syria said so.\n")


def test_read_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"missing\.txt: no such file$"):
        read_document(tmp_path / "missing.txt")


def test_expand_paths_recurses_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ["b/2.txt", "1.txt", "b/ignored.md"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert expand_paths([str(tmp_path)]) == [str(tmp_path / "1.txt"), str(tmp_path / "b/2.txt")]


def test_expand_paths_empty_folder(tmp_path):
    with pytest.raises(InputError, match=r"expected \.txt documents in this folder, found none"):
        expand_paths([str(tmp_path)])


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_atomic_write_replaces(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_write(target) as fh:
        fh.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert oct(target.stat().st_mode & 0o077) != "0o0"  # not left private like a temp file
