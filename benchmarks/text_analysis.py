"""Measure ingest/text on annotated samples of real news, and its speed per sentence.

- Names, German: 40 sentences from 10kGNAD rows whose index is a multiple of 5 (kept out of the
  noun lexicon's derivation), business/web/media sections, drawn with a fixed seed.
- Names, English: 25 sentences from BBC business/tech/entertainment.
- Money: 30 sentences with an amount (15 German, 15 English), every amount annotated.
- Question types: the 1,190 parallel XQuAD questions, English vs German agreement.
- Speed: 500 German and 500 English sentences, microseconds per sentence per extractor.

The gold annotations below name sentences by source and position, and hold only the names and
values: no research text is stored. Run: python -m benchmarks.text_analysis
"""

import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ingest.sentences import split_sentences
from ingest.text import (
    Strength,
    analyse_question,
    counts_in,
    dates_in,
    match_strength,
    money_in,
    names_in,
    numbers_in,
    percents_in,
)

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

GERMAN_NAMES: list[tuple[int, int, list[str]]] = [
    (840, 21, []), (465, 4, ["Großbritannien"]), (950, 26, ["STANDARD"]), (625, 0, []),
    (240, 8, ["Baden-Württemberg", "Winfried Hermann", "Grüne"]), (710, 5, ["Österreich"]),
    (5, 0, []), (675, 4, []), (860, 5, []), (470, 7, []), (835, 6, []),
    (385, 1, ["OnePlus", "Android"]), (0, 3, []), (240, 13, ["Daimler"]),
    (820, 23, ["Griesmayr"]), (660, 9, ["OGH"]), (280, 13, []), (605, 15, ["Microsoft"]),
    (355, 6, ["Apple"]), (65, 44, ["Mahrer"]), (345, 11, ["New York"]), (100, 14, []),
    (940, 6, []), (605, 9, []), (750, 5, []), (120, 16, ["Servus TV"]),
    (10, 7, ["Microsoft", "Google"]), (65, 48, ["Mahrer"]), (920, 17, ["Appel"]),
    (380, 7, []), (120, 25, ["Servus TV"]), (770, 9, ["Hofmann"]),
    (825, 0, ["Mürzzuschlager", "ORF"]), (140, 14, ["Vana"]), (770, 8, ["Deutschland"]),
    (185, 2, []), (950, 55, ["STANDARD"]), (520, 16, []), (280, 15, ["ZTE", "ZTE"]), (65, 12, []),
]  # fmt: skip
ENGLISH_NAMES: list[tuple[str, int, list[str]]] = [
    ("entertainment/229.txt", 1, ["New York", "Bravery", "BBC News", "Sound of 2005"]),
    ("business/326.txt", 16, ["Office of Federal Housing Enterprise Oversight", "OFHEO"]),
    ("entertainment/362.txt", 7, ["Skarsgard", "Neeson", "Father Merrin", "Max Von Sydow"]),
    ("tech/370.txt", 9, []), ("business/116.txt", 4, ["SMFG", "Daiwa"]),
    ("business/166.txt", 6, ["Crossrail", "Department for Transport"]),
    ("tech/196.txt", 20, ["Opera"]), ("business/213.txt", 17, ["Greenspan", "Federal Reserve"]),
    ("entertainment/304.txt", 9, ["Wolf Brother", "Torak"]), ("tech/275.txt", 25, []),
    ("business/136.txt", 21, ["Krivorizhstal", "Yushchenko", "Kiev"]),
    ("tech/155.txt", 25, ["Doherty"]), ("business/471.txt", 22, []),
    ("business/090.txt", 9, ["France", "New World", "Australia", "Chile", "United States"]),
    ("business/197.txt", 13, ["LNM", "BBC News"]), ("tech/045.txt", 4, []),
    ("tech/016.txt", 32, []), ("business/161.txt", 5, ["US Air Force"]),
    ("entertainment/022.txt", 20, ["English National Ballet", "BBC News", "British", "UK"]),
    ("business/206.txt", 16, []), ("tech/220.txt", 2, ["Toshiba"]), ("tech/028.txt", 9, []),
    ("business/139.txt", 7, []), ("tech/244.txt", 21, ["Far Cry", "Half-Life"]),
    ("business/268.txt", 39, []),
]  # fmt: skip
MONEY: list[tuple[str, int, list[str]]] = [
    ("10kgnad:355", 3, ["14600000 EUR", "82000000 EUR"]), ("10kgnad:970", 0, ["500000000 USD"]),
    ("10kgnad:905", 3, ["170000 EUR"]), ("10kgnad:145", 9, ["1000-4000 EUR"]),
    ("10kgnad:545", 7, ["100000 EUR"]), ("10kgnad:625", 19, ["870000000 EUR"]),
    ("10kgnad:120", 40, ["957000 EUR"]), ("10kgnad:5", 2, ["300 EUR"]),
    ("10kgnad:950", 44, ["100000000 EUR"]), ("10kgnad:410", 13, ["1000000 USD", "901710 EUR"]),
    ("10kgnad:335", 1, ["1500000 USD", "1300000 EUR"]), ("10kgnad:145", 5, ["55-550 EUR"]),
    ("10kgnad:505", 6, ["72.67 EUR"]), ("10kgnad:1020", 20, ["20000 EUR"]),
    ("10kgnad:410", 22, ["500000000 USD", "450860000 EUR"]),
    ("bbc:entertainment/297.txt", 8, ["5400000 USD", "2800000 GBP", "17700000 USD",
                                      "9400000 GBP", "137000000 USD", "73000000 GBP"]),
    ("bbc:entertainment/049.txt", 12, ["17000000 USD", "9000000 GBP", "8000000 USD",
                                       "4250000 GBP"]),
    ("bbc:business/437.txt", 10, ["1500000000 USD", "800000000 GBP"]),
    ("bbc:tech/188.txt", 9, ["50 GBP", "750 GBP"]),
    ("bbc:business/161.txt", 4, ["23000000000 USD"]),
    ("bbc:business/250.txt", 6, ["6310000000 HKD"]), ("bbc:tech/178.txt", 21, ["100 GBP"]),
    ("bbc:business/161.txt", 18, ["1000000000 USD"]),
    ("bbc:entertainment/183.txt", 11, ["23000 USD", "12000 GBP"]),
    ("bbc:business/428.txt", 19, ["1300000000000 USD"]),
    ("bbc:business/017.txt", 2, ["77000000 EUR", "53000000 GBP", "100000000 USD"]),
    ("bbc:tech/301.txt", 0, ["400 GBP"]), ("bbc:business/083.txt", 15, ["9400000000 USD"]),
    ("bbc:business/167.txt", 2, ["8.08 USD"]),
    ("bbc:entertainment/384.txt", 11, ["65500000 USD", "34100000 GBP"]),
]  # fmt: skip


def gnad_rows() -> list[str]:
    csv.field_size_limit(10**9)
    with (DATA / "10kgnad" / "test.csv").open(encoding="utf-8") as handle:
        return [text for _, text in csv.reader(handle, delimiter=";", quotechar="'")]


def bbc(path: str) -> str:
    return (DATA / "bbc" / path).read_text(encoding="utf-8", errors="replace")


def sentence(source: str, index: int, rows: list[str]) -> str:
    corpus, _, where = source.partition(":")
    text = rows[int(where)] if corpus == "10kgnad" else bbc(where)
    return split_sentences(text)[index]


def precision_recall(pairs: Sequence[tuple[list[str], list[str]]]) -> tuple[float, float, int]:
    """Greedy one-to-one matching of found to gold names; a partial match (one word of a
    multi-word name) counts."""
    hits = found_total = gold_total = 0
    for found, gold in pairs:
        left = list(gold)
        found_total += len(found)
        gold_total += len(gold)
        for name in found:
            match = next((g for g in left if match_strength(name, g) >= Strength.PARTIAL), None)
            if match is not None:
                left.remove(match)
                hits += 1
    return hits / max(found_total, 1), hits / max(gold_total, 1), gold_total


def names_report(rows: list[str]) -> list[str]:
    german = [(split_sentences(rows[i])[j], gold) for i, j, gold in GERMAN_NAMES]
    english = [(split_sentences(bbc(path))[j], gold) for path, j, gold in ENGLISH_NAMES]
    lines = [
        "| sample | names counted | precision | recall | gold names |",
        "|---|---|---|---|---|",
    ]
    for label, sample, language, bases in (
        ("German, 40 sentences", german, "de", None),
        ("German, without basis 'capital'", german, "de", {"shape", "known", "cue"}),
        ("English, 25 sentences", english, "en", None),
    ):
        pairs = [
            ([n.text for n in names_in(text, language) if bases is None or n.basis in bases], gold)
            for text, gold in sample
        ]
        p, r, total = precision_recall(pairs)
        counted = "all" if bases is None else "shape, known, cue"
        lines.append(f"| {label} | {counted} | {p:.2f} | {r:.2f} | {total} |")
    return lines


def money_report(rows: list[str]) -> list[str]:
    gold_total = found_total = hits = 0
    for source, index, gold in MONEY:
        text = sentence(source, index, rows)
        language = "de" if source.startswith("10kgnad") else "en"
        found = [
            f"{m.value}-{m.high} {m.currency}" if m.high else f"{m.value} {m.currency}"
            for m in money_in(text, language)
        ]
        gold_total += len(gold)
        found_total += len(found)
        hits += sum((Counter(found) & Counter(gold)).values())
    return [
        "| amounts (value and currency exact) | precision | recall | gold |",
        "|---|---|---|---|",
        f"| 30 sentences, 15 de + 15 en | {hits / found_total:.2f} | {hits / gold_total:.2f}"
        f" | {gold_total} |",
    ]


def xquad_report() -> list[str]:
    questions = {}
    for language in ("en", "de"):
        data = json.loads((DATA / "xquad" / f"xquad.{language}.json").read_text(encoding="utf-8"))
        questions[language] = {
            qa["id"]: qa["question"]
            for article in data["data"]
            for paragraph in article["paragraphs"]
            for qa in paragraph["qas"]
        }
    types = {
        language: {i: analyse_question(q, language).answer_type for i, q in qs.items()}
        for language, qs in questions.items()
    }
    ids = list(questions["en"])
    agree = sum(types["en"][i] == types["de"][i] for i in ids) / len(ids)
    lines = [
        f"Same answer type for the English and the German question: {agree:.1%} of {len(ids)}.",
        "",
        "| answer type | English | German |",
        "|---|---|---|",
    ]
    en, de = Counter(types["en"].values()), Counter(types["de"].values())
    lines += [f"| {kind} | {en[kind]} | {de[kind]} |" for kind, _ in (en + de).most_common()]
    return lines


def speed_report(rows: list[str]) -> list[str]:
    rng = random.Random(5)
    german = [s for i in range(0, len(rows), 5) for s in split_sentences(rows[i])]
    paths = sorted((DATA / "bbc").glob("business/*.txt"))
    english = [s for p in paths for s in split_sentences(bbc(f"business/{p.name}"))]
    sample = [(s, "de") for s in rng.sample(german, 500)] + [
        (s, "en") for s in rng.sample(english, 500)
    ]
    extractors: dict[str, Callable[[str, str], Any]] = {
        "names_in": names_in,
        "money_in": money_in,
        "percents_in": percents_in,
        "counts_in": counts_in,
        "numbers_in": numbers_in,
        "dates_in": lambda text, _: dates_in(text),
    }
    lines = ["| extractor | µs per sentence (cold cache) | warm |", "|---|---|---|"]
    total = [0.0, 0.0]
    for label, extract in extractors.items():
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            for text, language in sample:
                extract(text, language)
            timings.append((time.perf_counter() - start) / len(sample) * 1e6)
        total = [total[0] + timings[0], total[1] + timings[1]]
        lines.append(f"| {label} | {timings[0]:.0f} | {timings[1]:.0f} |")
    lines.append(f"| all six | {total[0]:.0f} | {total[1]:.0f} |")
    words = sum(len(text.split()) for text, _ in sample) / len(sample)
    lines.append(f"\n1,000 sentences (500 de, 500 en), {words:.0f} words on average.")
    return lines


def main() -> int:
    if not DATA.exists():
        print(f"needs {DATA}", file=sys.stderr)
        return 1
    rows = gnad_rows()
    for title, lines in (
        ("Names", names_report(rows)),
        ("Money", money_report(rows)),
        ("Question types on XQuAD", xquad_report()),
        ("Speed", speed_report(rows)),
    ):
        print(f"\n### {title}\n")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
