"""``stance actors``: in-process, exact messages."""

from __future__ import annotations

import json


def test_list_filters_by_kind_and_region(stance):
    result = stance("actors", "list", "--kind", "organisation", "--region", "Africa")
    assert result.returncode == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"AU", "ECOWAS"} <= set(ids) and "NATO" not in ids


def test_show_lists_people_with_terms(stance):
    result = stance("actors", "show", "DEU", "--format", "json")
    entry = json.loads(result.stdout)
    merkel = [p for p in entry["people"] if p["name"] == "Angela Merkel"]
    assert merkel and merkel[0]["from"] == "2005-11-22" and merkel[0]["to"] == "2021-12-08"
    assert "Berlin" in entry["aliases"]


def test_show_unknown_actor_is_a_usage_error(stance):
    result = stance("actors", "show", "XXX")
    assert result.returncode == 2
    assert result.stderr == "error: unknown actor 'XXX'; 'stance actors list' shows the ids\n"


def test_find_explains_each_resolution(stance):
    result = stance("actors", "find", "Merkel met Trump in Jordan.", "--date", "2018-04-27")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "[0:6] 'Merkel' -> DEU: person (DEU 2005-11-22 to 2021-12-08); on 2018-04-27: DEU",
        "[11:16] 'Trump' -> USA: person (USA 2017-01-20 to 2021-01-20, USA 2025-01-20 to now); "
        "on 2018-04-27: USA",
        "[20:26] 'Jordan' -> JOR: alias of JOR",
    ]


def test_find_resolves_group_nouns_as_segmentation_does(stance):
    text = "Houthi rebels fired at Saudi Arabia, and rebels said so."
    result = stance("actors", "find", text, "--country", "YEM")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "[0:6] 'Houthi' -> HOUTHI: alias of HOUTHI",
        "[7:13] 'rebels' -> nobody: group noun after a name: repeats that name, names nobody",
        "[23:35] 'Saudi Arabia' -> SAU: alias of SAU",
        "[41:47] 'rebels' -> YEM-REB: group noun: the armed opposition of YEM (YEM-REB)",
    ]
    segmented = stance("segment", "-", "--country", "YEM", stdin=text)
    mentions = json.loads(segmented.stdout)["mentions"]
    assert [(m["actor"], m["start"]) for m in mentions] == [
        ("HOUTHI", 0), ("SAU", 23), ("YEM-REB", 41)]


def test_find_reads_a_group_noun_that_starts_a_sentence_as_segmentation_does(stance):
    text = "Saudi Arabia met the Houthis\n\nRebels attacked the port."
    result = stance("actors", "find", text, "--country", "YEM")
    assert result.stdout.splitlines()[-1] == (
        "[30:36] 'Rebels' -> YEM-REB: group noun: the armed opposition of YEM (YEM-REB)")
    segmented = stance("segment", "-", "--country", "YEM", stdin=text)
    assert [m["actor"] for line in segmented.stdout.splitlines()
            for m in json.loads(line)["mentions"]] == ["SAU", "HOUTHI", "YEM-REB"]


def test_find_with_a_bad_date_is_a_usage_error(stance):
    result = stance("actors", "find", "Merkel", "--date", "2018-13-01")
    assert result.returncode == 2
    assert "argument --date: expected a date YYYY-MM-DD, found '2018-13-01'" in result.stderr


def test_check_accepts_a_good_file_and_names_file_and_line_of_a_bad_one(stance, tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('[actors.XYZ]\nname = "Xyzland"\nkind = "state"\naliases = ["Xyzland"]\n',
                    encoding="utf-8")
    result = stance("actors", "check", str(good))
    assert (result.returncode, result.stdout) == (0, f"{good}: 1 actors, no problems found\n")
    bad = tmp_path / "bad.toml"
    bad.write_text('[actors.XYZ]\nname = "Xyzland"\naliases = ["Xyzland"]\n\n'
                   '[actors.ABC]\naliases = ["Doha"]\n', encoding="utf-8")
    result = stance("actors", "check", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {bad}:5: alias 'Doha' is given to both QAT and ABC")


def test_coverage_lists_unmatched_names(stance, tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Ruritania accused Syria of shelling Zenda.\n"
                   "In Zenda, officials said Ruritania was to blame.\n", encoding="utf-8")
    result = stance("actors", "coverage", str(doc))
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["     2  Ruritania", "     2  Zenda"]
