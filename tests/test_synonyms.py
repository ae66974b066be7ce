"""The colloquial-word file: its format, the checks on a new group, and appends that are atomic and serialised."""

import os
import threading

import pytest

from index import fsutil
from index.synonyms import HEADER, SynonymError, append_group, check_group, parse_groups, read_groups


def test_groups_are_read_one_a_line_with_comments_and_blank_lines_ignored(tmp_path):
    text = HEADER + "\n就业 找工作 找活干\n  养老\t老年人  \n# 交通 坐车\n"
    assert parse_groups(text) == [("就业", "找工作", "找活干"), ("养老", "老年人")]
    assert read_groups(tmp_path / "missing.txt") == []
    assert parse_groups(HEADER) == []


def test_the_first_append_creates_the_file_with_its_header(tmp_path):
    path = tmp_path / "config" / "synonyms.txt"
    assert append_group(path, ["就业", "找工作"], lock_timeout=1) == ("就业", "找工作")
    assert path.read_text(encoding="utf-8") == HEADER + "就业 找工作\n"


def test_an_append_keeps_a_hand_edited_file_and_its_last_line(tmp_path):
    path = tmp_path / "synonyms.txt"
    path.write_text("# mine\n养老 老年人", encoding="utf-8")
    append_group(path, ["WiFi", "无线网", "5G"], lock_timeout=1)
    assert path.read_text(encoding="utf-8") == "# mine\n养老 老年人\nWiFi 无线网 5G\n"


@pytest.mark.parametrize(
    "words,code",
    [
        ([], "synonym_too_few"),
        (["就业"], "synonym_too_few"),
        (["就业", "找-工作"], "synonym_bad_word"),
        (["就业", "ｗｉｆｉ"], "synonym_bad_word"),
        (["就业", "就业"], "synonym_repeated"),
        (["老年人", "养老"], "synonym_exists"),
    ],
)
def test_a_bad_group_is_refused_with_its_code(words, code):
    with pytest.raises(SynonymError) as raised:
        check_group(words, [("养老", "老年人", "老人")])
    assert raised.value.code == code


def test_a_failed_write_leaves_the_file_as_it_was_and_no_temporary_behind(tmp_path, monkeypatch):
    path = tmp_path / "synonyms.txt"
    append_group(path, ["就业", "找工作"], lock_timeout=1)
    before = path.read_bytes()

    def full_disk(target, data):
        with open(target, "wb") as handle:
            handle.write(data[:5])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil, "write_file", full_disk)
    with pytest.raises(OSError):
        append_group(path, ["养老", "老年人"], lock_timeout=1)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["synonyms.txt", "synonyms.txt.lock"]


def test_editors_adding_at_once_all_keep_their_line(tmp_path):
    path = tmp_path / "synonyms.txt"
    words = [[f"词{n}", f"说法{n}"] for n in range(20)]
    threads = [
        threading.Thread(target=append_group, args=(path, group), kwargs={"lock_timeout": 10}) for group in words
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(read_groups(path)) == sorted(tuple(group) for group in words)
