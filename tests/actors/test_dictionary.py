from __future__ import annotations

import pytest

from stance.actors import default_actors, find_mentions, load_actors
from stance.errors import ActorDictionaryError


def found(text):
    return [(m.actor, m.text) for m in find_mentions(text)]


@pytest.mark.parametrize("text,expected", [
    # names, capitals, leaders, officials, agencies, adjectives
    ("Damascus and Baghdad", [("SYR", "Damascus"), ("IRQ", "Baghdad")]),
    ("SANA quoted Assad", [("SYR", "SANA"), ("SYR", "Assad")]),
    ("the Pentagon and the CIA", [("USA", "Pentagon"), ("USA", "CIA")]),
    ("Iranian Quds Force commander", [("IRN", "Iranian"), ("IRN", "Quds Force")]),
    ("Hashd al-Shaabi fighters", [("PMF", "Hashd al-Shaabi")]),
    ("Nalbandian met Fabius", [("ARM", "Nalbandian"), ("FRA", "Fabius")]),
    # longest mention wins; blocked phrases name nobody
    ("the Syrian opposition", [("REB", "Syrian opposition")]),
    ("the Free Syrian Army", [("REB", "Free Syrian Army")]),
    ("the Syrian Observatory for Human Rights said", []),
    ("what has been called Baghdad Operation Room", []),
    ("the US-led coalition", [("USA", "US-led coalition")]),
    ("Syrian Democratic Forces", [("KRD", "Syrian Democratic Forces")]),
    # case rules
    ("us and US", [("USA", "US")]),
    ("this is IS", [("ISIS", "IS")]),
    ("west of the airport, and the West", [("WEST", "West")]),
    ("ERBIL, Kurdistan Region", [("KRD", "ERBIL"), ("KRD", "Kurdistan Region")]),
    ("Rebels and rebels near Damascus", [("REB", "Rebels"), ("REB", "rebels"),
                                         ("SYR", "Damascus")]),
    ("earnest talks with Mr. Earnest", [("USA", "Earnest")]),
    # possessives, straight and curly
    ("Syria’s and Syria's allies", [("SYR", "Syria"), ("SYR", "Syria")]),
    # hyphenated forms
    ("US-led raids on ISIS-held towns by Iranian-backed groups",
     [("USA", "US"), ("ISIS", "ISIS"), ("IRN", "Iranian")]),
    ("the Syrian-Iraqi border", [("SYR", "Syrian"), ("IRQ", "Iraqi")]),
    # word boundaries: no match inside a word
    ("Isisford and Iraqis", [("IRQ", "Iraqis")]),
    ("USAID is a US agency", [("USA", "USAID"), ("USA", "US")]),
    # whitespace inside a multi-word alias
    ("Saudi\u00a0Arabia and Free  Syrian\nArmy", [("SAU", "Saudi\u00a0Arabia"),
                                                  ("REB", "Free  Syrian\nArmy")]),
])
def test_mentions(text, expected):
    assert found(text) == expected


def test_mention_offsets_are_exact_and_shifted():
    text = "Ankara accused Tehran."
    mentions = find_mentions(text, offset=100)
    assert [(m.start, m.end) for m in mentions] == [(100, 106), (115, 121)]
    assert all(text[m.start - 100:m.end - 100] == m.text for m in mentions)


def test_every_scheme_actor_keeps_its_id():
    scheme = {"SYR", "IRQ", "USA", "ISIS", "TUR", "IRN", "RUS", "QAT", "SAU", "FRA", "ARM",
              "ISR", "BLR", "PMF", "KRD", "REB", "AQ", "UN", "WEST"}
    actors = default_actors()
    assert scheme <= set(actors.actor_ids)
    assert [actors.kind(a) for a in ("SYR", "REB", "UN", "ISIS")] == [
        "state", "rebels", "organisation", "group"]


def test_user_dictionary_extends(tmp_path):
    p = tmp_path / "extra.toml"
    p.write_text('[actors.EGY]\nname = "Egypt"\naliases = ["Egypt", "Cairo"]\n'
                 '[actors.SYR]\naliases = ["Syrian Arab Republic"]\n', encoding="utf-8")
    d = load_actors(p)
    assert [(m.actor, m.text) for m in d.find("Cairo and the Syrian Arab Republic and Iraq")] == [
        ("EGY", "Cairo"), ("SYR", "Syrian Arab Republic"), ("IRQ", "Iraq")]


def test_user_dictionary_replaces(tmp_path):
    p = tmp_path / "only.toml"
    p.write_text('replace = true\n[actors.EGY]\nname = "Egypt"\naliases = ["Egypt"]\n',
                 encoding="utf-8")
    d = load_actors(p)
    assert d.actor_ids == ["EGY"]
    assert [m.actor for m in d.find("Egypt and Iraq")] == ["EGY"]


@pytest.mark.parametrize("content,message", [
    ('[actors.egy]\naliases = ["Egypt"]\n', r"actor 'egy': an actor ID is capital letters"),
    ('[actors.EGY]\naliases = "Egypt"\n', r"actor 'EGY': 'aliases' must be a non-empty list of "
                                          r"strings, found str"),
    ('[actors.EGY]\naliases = ["Egypt", 3]\n', r"actor 'EGY': 'aliases' must hold non-empty "
                                               r"strings, found 3"),
    ('[actors.EGY]\nalias = ["Egypt"]\n', r"actor 'EGY': unknown key 'alias'"),
    ('[actor.EGY]\n', r"top-level key 'actor': unknown"),
    ('[actors.EGY\n', r"not valid TOML"),
    ('[actors.EGY]\naliases = ["Doha"]\n', r"alias 'Doha' is given to both QAT and EGY"),
    ('replace = "yes"\n', r"replace: must be true or false"),
])
def test_malformed_dictionary_names_the_entry(tmp_path, content, message):
    p = tmp_path / "bad.toml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ActorDictionaryError, match=rf"^{tmp_path}/bad\.toml(:1)?: .*{message}"):
        load_actors(p)
