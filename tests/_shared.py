"""Constants the tests share (paths, tiny inline data); fixtures are in conftest.py."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHIPPED_MODEL = ROOT / "models" / "stance.joblib"


def rec(doc: str, n: int, text: str, claim: bool, source: str | None,
        stances: dict[str, str]) -> dict:
    return {"id": f"{doc}:{n}", "doc": doc, "start": 0, "end": len(text), "text": text,
            "claim": claim, "source": source, "stances": stances}


#: Tiny inline training data: three documents.
RECORDS = [
    rec("a", 0, "Syria accused Turkey of arming rebels.", True, "SYR",
        {"SYR": "none", "TUR": "accusation", "REB": "none"}),
    rec("a", 1, "Iraq and Syria agreed to cooperate against Islamic State.", True, "IRQ",
        {"IRQ": "cooperation", "SYR": "cooperation", "ISIS": "hostility"}),
    rec("a", 2, "Islamic State fighters seized an Iraqi town.", False, None,
        {"ISIS": "none", "IRQ": "hostility"}),
    rec("b", 0, "Iran accused Israel of aggression, a spokesman said.", True, "IRN",
        {"IRN": "none", "ISR": "accusation"}),
    rec("b", 1, "Russia and Iran pledged to cooperate in Syria.", True, "RUS",
        {"RUS": "cooperation", "IRN": "cooperation", "SYR": "none"}),
    rec("b", 2, "Israeli jets struck Iranian positions near Damascus.", False, None,
        {"ISR": "none", "IRN": "hostility", "SYR": "none"}),
    rec("c", 0, "Turkish jets attacked Kurdish positions.", False, None,
        {"TUR": "none", "KRD": "hostility"}),
    rec("c", 1, "Ankara blamed Washington for backing the YPG, officials said.", True, "TUR",
        {"TUR": "none", "USA": "accusation", "KRD": "none"}),
    rec("c", 2, "Washington and Ankara agreed to a joint patrol plan.", True, "USA",
        {"USA": "cooperation", "TUR": "cooperation"}),
]
