"""The world dictionary: build, coverage of the hand-labelled test set, dates,
countries, ambiguous words and user dictionaries with people."""

from __future__ import annotations

import datetime
import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stance.actors import ActorDictionary, default_actors, load_actors
from stance.actors.sources import compile_index, parse_source
from stance.errors import ActorDictionaryError

from .._shared import ROOT

D = datetime.date


def found(text, date=None, country=None, actors=None):
    return [(m.actor, m.text) for m in (actors or default_actors()).find(text, 0, date, country)]


def test_shipped_index_is_up_to_date():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_actors
    finally:
        sys.path.remove(str(ROOT / "tools"))
    texts = build_actors.build()
    for target, text in zip(build_actors.TARGETS, texts, strict=True):
        assert target.read_text(encoding="utf-8") == text, (
            f"{target.name} is out of date: run python tools/build_actors.py")


@pytest.mark.parametrize("text,expected", [
    ("Beijing accused Washington of provoking tensions over Taiwan.",
     [("CHN", "Beijing"), ("USA", "Washington"), ("TWN", "Taiwan")]),
    ("Zelensky thanked Germany for new air defence systems.",
     [("UKR", "Zelensky"), ("DEU", "Germany")]),
    ("Sudan's army accused the Rapid Support Forces of shelling civilians.",
     [("SDN", "Sudan"), ("RSF", "Rapid Support Forces")]),
    ("Hezbollah fired rockets at northern Israel.", [("HEZ", "Hezbollah"), ("ISR", "Israel")]),
    ("NATO condemned the Houthi attacks.", [("NATO", "NATO"), ("HOUTHI", "Houthi")]),
    ("Egypt and Qatar mediated talks between Israel and Hamas.",
     [("EGY", "Egypt"), ("QAT", "Qatar"), ("ISR", "Israel"), ("HAMAS", "Hamas")]),
])
def test_the_issue_sentences(text, expected):
    assert found(text) == expected


def test_inventory_counts():
    actors = default_actors()
    kinds = [actors.kind(a) for a in actors.actor_ids]
    assert kinds.count("state") >= 195          # UN members and observers, Kosovo, Taiwan
    assert kinds.count("organisation") >= 30
    assert kinds.count("group") >= 60
    assert {"AFG-REB", "SDN-REB", "COD-REB", "REB"} <= set(actors.actor_ids)
    assert "AFG-REB" in actors.actor_ids and actors.kind("AFG-REB") == "rebels"


def _score():
    actors = default_actors()
    tp = fp = fn = 0
    for line in (ROOT / "tests" / "data" / "actor_sentences.jsonl").read_text().splitlines():
        r = json.loads(line)
        day = D.fromisoformat(r["date"]) if r["date"] else None
        got = {m.actor for m in actors.find(r["text"], 0, day, r["country"])}
        gold = set(r["actors"])
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    return tp / (tp + fp), tp / (tp + fn), tp + fn


def test_precision_and_recall_on_the_hand_labelled_set():
    precision, recall, gold = _score()
    assert gold > 700
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall


@pytest.mark.parametrize("text,date,expected", [
    ("Trump spoke.", D(2019, 5, 1), [("USA", "Trump")]),
    ("Trump spoke.", D(2022, 5, 1), []),                       # between his terms
    ("Trump spoke.", D(2025, 5, 1), [("USA", "Trump")]),
    ("Trump spoke.", None, [("USA", "Trump")]),                # one actor only: resolves
    ("Merkel spoke.", D(2023, 1, 1), []),                      # a former leader: nobody
    ("Merkel spoke.", D(2010, 1, 1), [("DEU", "Merkel")]),
    ("Biden spoke.", D(2012, 1, 1), [("USA", "Biden")]),       # vice president
    ("Rutte spoke.", D(2020, 1, 1), [("NLD", "Rutte")]),
    ("Rutte spoke.", D(2025, 1, 1), [("NATO", "Rutte")]),
    ("Rutte spoke.", None, []),                                # two actors, no date
    ("Stoltenberg spoke.", D(2016, 1, 1), [("NATO", "Stoltenberg")]),
    ("Stoltenberg spoke.", D(2008, 1, 1), [("NOR", "Stoltenberg")]),
])
def test_people_resolve_by_date(text, date, expected):
    assert found(text, date) == expected


@pytest.mark.parametrize("text,country,expected", [
    ("Rebels shelled the town.", "SDN", [("SDN-REB", "Rebels")]),
    ("Rebels shelled the town.", "SYR", [("REB", "Rebels")]),
    ("Rebels shelled the town.", None, []),                    # no state: nobody
    ("Rebels shelled Khartoum.", None, [("SDN-REB", "Rebels"), ("SDN", "Khartoum")]),
    ("Afghan rebels and Congolese militiamen", None,
     [("AFG-REB", "Afghan rebels"), ("COD-REB", "Congolese militiamen")]),
    ("Houthi rebels seized the port.", "YEM", [("HOUTHI", "Houthi")]),
    ("M23 rebels took Goma.", "COD", [("M23", "M23 rebels")]),
    ("Janjaweed rebels burned villages.", "SDN", [("JANJAWEED", "Janjaweed")]),
])
def test_bare_group_nouns_resolve_by_country(text, country, expected):
    assert found(text, None, country) == expected


def test_a_document_resolves_rebels_by_the_state_it_names_most():
    actors = default_actors()
    texts = ["Sudan's army said it repelled an attack.", "Rebels shelled the town.",
             "Chad closed its border with Sudan."]
    result = actors.find_document(texts, [0, 100, 200])
    assert [(m.actor, m.start) for m in result[1]] == [("SDN-REB", 100)]


@pytest.mark.parametrize("text,expected", [
    ("Michael Jordan scored.", []),
    ("The Jordan River is low.", []),
    ("Jordan closed its border.", [("JOR", "Jordan")]),
    ("King Abdullah of Jordan spoke.", [("JOR", "Jordan")]),
    ("Chad Smith said.", []),
    ("Chad closed its border.", [("TCD", "Chad")]),
    ("The Niger Delta is rich in oil.", []),
    ("Niger expelled French troops.", [("NER", "Niger"), ("FRA", "French")]),
    ("Atlanta, Georgia, voted.", []),
    ("Georgia and Russia fought in 2008.", [("GEO", "Georgia"), ("RUS", "Russia")]),
    ("a roast turkey", []),
    ("Paris Hilton arrived.", []),
    ("the Washington Post reported", []),
    ("Papua New Guinea and Equatorial Guinea", [("PNG", "Papua New Guinea"),
                                                ("GNQ", "Equatorial Guinea")]),
    ("Can Turkey and Iraq agree?", [("TUR", "Turkey"), ("IRQ", "Iraq")]),
    ("Analysis: How Turkey helped", [("TUR", "Turkey")]),
    ("the striker Chad Smith", []),
    ("talks in Jordan River towns", []),
])
def test_ambiguous_words(text, expected):
    assert found(text) == expected


def _user(text, name="u.toml"):
    import tomllib

    return parse_source(tomllib.loads(text), name, text)


def test_one_alias_for_two_actors_over_overlapping_dates_is_refused():
    src = _user('[actors.AAA]\nname = "A"\n[[actors.AAA.people]]\nname = "Jo Doe"\n'
                'from = "2000-01-01"\nto = "2010-01-01"\n'
                '[actors.BBB]\nname = "B"\n[[actors.BBB.people]]\nname = "Jo Doe"\n'
                'from = "2009-01-01"\n')
    with pytest.raises(ActorDictionaryError, match=r"^u.toml:7: alias 'Jo Doe' is given to both "
                                                   r"AAA \(2000-01-01 to 2010-01-01\) and BBB "
                                                   r"\(2009-01-01 to now\)"):
        compile_index([src])


def test_one_alias_for_two_actors_one_after_the_other():
    src = _user('[actors.AAA]\nname = "A"\n[[actors.AAA.people]]\nname = "Jo Doe"\n'
                'from = "2000-01-01"\nto = "2010-01-01"\n'
                '[actors.BBB]\nname = "B"\n[[actors.BBB.people]]\nname = "Jo Doe"\n'
                'from = "2010-01-01"\n')
    actors = ActorDictionary(compile_index([src]))
    assert found("Jo Doe", D(2009, 12, 31), actors=actors) == [("AAA", "Jo Doe")]
    assert found("Jo Doe", D(2010, 1, 1), actors=actors) == [("BBB", "Jo Doe")]
    assert found("Jo Doe", None, actors=actors) == []


def test_user_dictionary_adds_people_to_a_world_actor(tmp_path):
    p = tmp_path / "extra.toml"
    p.write_text('[actors.SDN]\n[[actors.SDN.people]]\nname = "Jane Example"\n'
                 'aliases = ["Example"]\nrole = "envoy"\nfrom = "2024-01-01"\n', encoding="utf-8")
    actors = load_actors(p)
    assert found("Example met Ruto.", D(2024, 6, 1), actors=actors) == [
        ("SDN", "Example"), ("KEN", "Ruto")]
    assert found("Example met Ruto.", D(2010, 6, 1), actors=actors) == []


@pytest.mark.parametrize("content,message", [
    ('[actors.EGY]\n[[actors.EGY.people]]\nname = "X Y"\nfrom = "2020-13-01"\n',
     r"u.toml:2: actor 'EGY': person 1: 'from' must be a date YYYY-MM-DD, found '2020-13-01'"),
    ('[actors.EGY]\n[[actors.EGY.people]]\nname = "X Y"\nfrom = "2020-01-01"\n'
     'to = "2019-01-01"\n', r"u.toml:2: actor 'EGY': person 1: 'to' 2019-01-01 is before"),
    ('[actors.EGY]\nkind = "country"\naliases = ["Egypt"]\n', r"'kind' must be one of"),
    ('[actors.EGY]\naliases = ["Egypt"]\nambiguous = ["Cairo"]\n',
     r"'ambiguous' names 'Cairo', which is not one of its aliases"),
])
def test_malformed_people(content, message):
    import tomllib

    with pytest.raises(ActorDictionaryError, match=message):
        parse_source(tomllib.loads(content), "u.toml", content)


@given(st.text(max_size=300))
def test_matching_never_fails_and_offsets_are_exact(text):
    for m in default_actors().find(text, 7):
        assert text[m.start - 7:m.end - 7] == m.text


def test_readme_dictionary_example_and_counts(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Actor dictionary", 1)[1].split("\n## ", 1)[0]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "mine.toml"
    path.write_text(example, encoding="utf-8")
    actors = load_actors(path)
    assert found("Example said Xyzlander rebels took Xyz City.", D(2020, 1, 1),
                 actors=actors) == [("XYZ", "Example"), ("XYZ-REB", "Xyzlander rebels"),
                                    ("XYZ", "Xyz City")]
    from stance.actors.inspect import summary

    counts = summary(default_actors())
    prose = " ".join(section.split())
    for figure in (f"{counts['kind:state']} states", f"{counts['kind:organisation']} "
                   "international organisations", f"{counts['kind:group']} named armed",
                   f"{counts['aliases']:,} actor aliases", f"{counts['people']:,} terms",
                   f"{counts['forms']:,} written forms"):
        assert figure in prose, figure
