"""A reviewer's test of issue #3: replace every company and investor name of the seeds
by an invented one and check the engine returns the same structure.

Each replacement keeps the first letter and the word count of the name it replaces, so
French elision ("d'Iliad", "de Hugging Face") and capitalisation cues stay as they were;
generic words (Ventures, Capital, AI, Management...) are kept. None of the invented
names is a city, a country or a common word.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

SWAP = {
    # companies
    "Hugging Face": "Halcyon Drift", "HuggingFace": "HalcyonDrift", "Mistral AI": "Meridel AI", "Mistral": "Meridel",
    "Scale AI": "Sorvane AI", "Poolside": "Pellucid", "Kyutai": "Kobaro", "Kuytai": "Kobora",
    # investors, organisations
    "Salesforce Ventures": "Sandwell Ventures", "Salesforce": "Sandwell", "Sound Ventures": "Solvent Ventures",
    "Google": "Gravelo", "Amazon": "Azurel", "Nvidia": "Novexa", "Intel Capital": "Ilvane Capital", "Intel": "Ilvane",
    "AMD Ventures": "AQZ Ventures", "AMD": "AQZ", "Qualcomm": "Quillmark", "IBM": "IXT", "Lux Capital": "Lorn Capital",
    "Addition": "Arbolet", "Betaworks": "Birchline", "Sequoia Capital": "Solenne Capital", "Sequoia": "Solenne",
    "Coatue Management": "Corvid Management", "Coatue": "Corvid", "eFounders": "eBuilders", "Accel": "Aster",
    "Index Ventures": "Irwell Ventures", "Founders Fund": "Farrow Fund", "Thrive Capital": "Tamsin Capital",
    "Tiger Global": "Tessel Global", "Greenoaks": "Glenmarsh", "Spark Capital": "Sorrel Capital",
    "Y Combinator": "Y Kindler", "DFJ Growth": "DKV Growth", "ServiceNow Ventures": "Stackwise Ventures",
    "Cisco Investments": "Corbel Investments", "WCM": "WVB", "Wellington Management": "Waverly Management",
    "Morgan Stanley": "Mardell Stanway", "Iliad": "Ivrane", "CMA CGM": "CTR KLM", "Datadog": "Dashwolf",
    "Dataiku": "Dorvanu", "Upflow": "Uplynx",
    # investors, persons
    "Kevin Durant": "Keith Dalloway", "Olivier Pomel": "Octave Perrault", "Florian Douetteau": "Fabien Delorme",
    "Thibault Elzière": "Timothée Esparre", "Lee Fixel": "Liam Forsyth", "Elad Gil": "Ezra Galen",
    "Nat Friedman": "Noel Fairbank", "Eric Schmidt": "Emile Sorensen", "Xavier Niel": "Xander Nolet",
    "Rodolphe Saadé": "Romain Sabatier",
}
_PATTERN = re.compile(r"(?:(?<![\w-])|(?<=[a-zà-ÿ]))(" + "|".join(re.escape(k) for k in sorted(SWAP, key=len, reverse=True)) + r")(?![\w-])")
_BACK = {v: k for k, v in SWAP.items()}
_BACK_PATTERN = re.compile(r"(?:(?<![\w-])|(?<=[a-zà-ÿ]))(" + "|".join(re.escape(k) for k in sorted(_BACK, key=len, reverse=True)) + r")(?![\w-])")


def swap(text: str) -> str:
    """`text` with every listed name replaced by its invented counterpart."""
    return _PATTERN.sub(lambda m: SWAP[m.group(1)], text)


def unswap(text: str | None) -> str | None:
    """The original names back, to compare the engine's outputs."""
    return None if text is None else _BACK_PATTERN.sub(lambda m: _BACK[m.group(1)], text)


def swap_gold(gold: dict) -> dict:
    """The gold file with the same replacements, every other field unchanged."""
    return json.loads(swap(json.dumps(gold, ensure_ascii=False)))


def swap_folder(src: Path, dst: Path) -> None:
    """Copy a folder of articles, names swapped in every text file (the manifest is copied as is)."""
    dst.mkdir(parents=True, exist_ok=True)
    for p in sorted(src.iterdir()):
        if p.is_file():
            data = p.read_bytes()
            if p.suffix in {".txt", ".md", ".html"}:
                data = swap(data.decode("utf-8-sig")).encode("utf-8")
            (dst / p.name).write_bytes(data)
