"""Question analysis over one English/German table: answer type, names, deal trigger and the
role each name plays; and over real XQuAD questions, whose answer types must agree between the
English and the German wording of the same question."""

import json
from collections import Counter

import pytest

from ingest.text import QuestionAnalysis, analyse_question, answer_type
from tests.conftest import shared_data


def _render(a: QuestionAnalysis) -> str:
    roles = " ".join(f"{r}={getattr(a, r)}" for r in ("buyer", "target", "seller") if getattr(a, r))
    out = f"{a.answer_type} | {', '.join(a.name_texts)} | {a.trigger or '-'} | {roles}"
    return out + (f" | asks {a.asked_role}" if a.asked_role else "")


QUESTIONS: list[tuple[str, str, str]] = [
    ("en", "How much did Telia Sonera invest in Spotify?",
     "amount | Telia Sonera, Spotify | invest | buyer=Telia Sonera target=Spotify"),
    ("en", "Who bought the Christian Lacroix label from LVMH?",
     "buyer | Christian Lacroix, LVMH | buy | target=Christian Lacroix seller=LVMH | asks buyer"),
    ("de", "Für wie viel Geld hat Microsoft LinkedIn gekauft?",
     "amount | Microsoft, LinkedIn | buy | buyer=Microsoft target=LinkedIn"),
    ("de", "Wie hoch ist der Anteil von Alibaba an Amblin?",
     "stake | Alibaba, Amblin | invest | buyer=Alibaba target=Amblin"),
    ("de", "Wer hat das Label Christian Lacroix von LVMH gekauft?",
     "buyer | Christian Lacroix, LVMH | buy | target=Christian Lacroix seller=LVMH | asks buyer"),
    ("en", "How much did eBay pay for Skype?",
     "amount | eBay, Skype | buy | buyer=eBay target=Skype"),
    ("en", "How much did Facebook pay for WhatsApp?",
     "amount | Facebook, WhatsApp | buy | buyer=Facebook target=WhatsApp"),
    ("en", "How much did Amazon pay for Zappos?",
     "amount | Amazon, Zappos | buy | buyer=Amazon target=Zappos"),
    ("en", "What was the price of the MCI takeover?",
     "amount | MCI | buy | target=MCI"),
    ("en", "At what price did Verizon buy MCI?",
     "amount | Verizon, MCI | buy | buyer=Verizon target=MCI"),
    ("en", "How much was 19 Entertainment worth?",
     "amount | 19 Entertainment | - | "),
    ("en", "For how much did Sony sell its stake?",
     "amount | Sony | sell | seller=Sony"),
    ("de", "Wie viel zahlte Verizon für MCI?",
     "amount | Verizon, MCI | buy | buyer=Verizon target=MCI"),
    ("de", "Was kostet die Übernahme von Lucasfilm?",
     "amount | Lucasfilm | buy | target=Lucasfilm"),
    ("de", "Wie hoch war der Kaufpreis für Skype?",
     "amount | Skype | buy | target=Skype"),
    ("de", "Wie teuer war Instagram für Facebook?",
     "amount | Instagram, Facebook | - | "),
    ("de", "Wie viel hat Telia Sonera in Spotify investiert?",
     "amount | Telia Sonera, Spotify | invest | buyer=Telia Sonera target=Spotify"),
    ("en", "What stake did Alibaba take in Amblin Partners?",
     "stake | Alibaba, Amblin Partners | invest | buyer=Alibaba target=Amblin Partners"),
    ("en", "What percentage of Amblin does Alibaba own?",
     "stake | Amblin, Alibaba | invest | buyer=Alibaba target=Amblin"),
    ("en", "How big is Alibaba's stake in Amblin?",
     "stake | Alibaba, Amblin | invest | buyer=Alibaba target=Amblin"),
    ("de", "Wie viel Prozent hält Alibaba an Amblin?",
     "stake | Alibaba, Amblin | invest | buyer=Alibaba target=Amblin"),
    ("de", "Welchen Anteil hat Telia Sonera an Spotify erworben?",
     "stake | Telia Sonera, Spotify | buy | buyer=Telia Sonera target=Spotify"),
    ("de", "Wie groß ist die Beteiligung von Google an Uber?",
     "stake | Google, Uber | invest | buyer=Google target=Uber"),
    ("en", "When did Disney buy Lucasfilm?",
     "date | Disney, Lucasfilm | buy | buyer=Disney target=Lucasfilm"),
    ("en", "In which year did Google acquire YouTube?",
     "date | Google, YouTube | buy | buyer=Google target=YouTube"),
    ("en", "When was Lucasfilm bought by Disney?",
     "date | Lucasfilm, Disney | buy | buyer=Disney target=Lucasfilm"),
    ("de", "Wann hat Disney die Lucasfilm-Studios übernommen?",
     "date | Disney, Lucasfilm | buy | buyer=Disney target=Lucasfilm"),
    ("de", "Seit wann gehört Skype zu Microsoft?",
     "date | Skype, Microsoft | invest | buyer=Microsoft target=Skype"),
    ("de", "In welchem Jahr kaufte Google YouTube?",
     "date | Google YouTube | buy | buyer=Google YouTube"),
    ("en", "Who bought MCI?",
     "buyer | MCI | buy | target=MCI | asks buyer"),
    ("en", "Which company acquired Skype?",
     "buyer | Skype | buy | target=Skype | asks buyer"),
    ("en", "Who took over Lucasfilm?",
     "buyer | Lucasfilm | buy | target=Lucasfilm | asks buyer"),
    ("en", "Who invested in Spotify?",
     "buyer | Spotify | invest | target=Spotify | asks buyer"),
    ("de", "Wer übernahm MCI?",
     "buyer | MCI | buy | target=MCI | asks buyer"),
    ("de", "Wer hat Skype gekauft?",
     "buyer | Skype | buy | target=Skype | asks buyer"),
    ("de", "Welches Unternehmen hat LinkedIn gekauft?",
     "buyer | LinkedIn | buy | target=LinkedIn | asks buyer"),
    ("de", "Von wem wurde Skype übernommen?",
     "buyer | Skype | buy | target=Skype | asks buyer"),
    ("de", "Wer steigt bei Amblin ein?",
     "buyer | Amblin | invest | target=Amblin | asks buyer"),
    ("en", "Who sold 19 Entertainment to Robert Sillerman?",
     "seller | 19 Entertainment, Robert Sillerman | sell"
     " | buyer=Robert Sillerman target=19 Entertainment | asks seller"),
    ("en", "From whom did Sillerman buy 19 Entertainment?",
     "seller | Sillerman, 19 Entertainment | buy | buyer=Sillerman target=19 Entertainment"
     " | asks seller"),
    ("de", "Wer verkaufte 19 Entertainment an Sillerman?",
     "seller | 19 Entertainment, Sillerman | sell | buyer=Sillerman target=19 Entertainment"
     " | asks seller"),
    ("de", "Von wem hat Sillerman 19 Entertainment gekauft?",
     "seller | Sillerman, 19 Entertainment | buy | buyer=Sillerman target=19 Entertainment"
     " | asks seller"),
    ("en", "Which company did Microsoft buy?",
     "company | Microsoft | buy | buyer=Microsoft | asks target"),
    ("en", "Which studio did Disney acquire in 2012?",
     "company | Disney | buy | buyer=Disney | asks target"),
    ("en", "Who is the chief executive of Time Warner?",
     "person | Time Warner | - | "),
    ("en", "Who founded Spotify?",
     "person | Spotify | - | "),
    ("de", "Wer ist der Chef von Alibaba?",
     "person | Alibaba | - | "),
    ("de", "Wer gründete Amblin?",
     "person | Amblin | - | "),
    ("en", "How many employees does Spotify have?",
     "count | Spotify | - | "),
    ("en", "How many subscribers does Netflix have?",
     "count | Netflix | - | "),
    ("de", "Wie viele Mitarbeiter hat Spotify?",
     "count | Spotify | - | "),
    ("de", "Wie viele Nutzer hat WhatsApp?",
     "count | WhatsApp | - | "),
    ("en", "Why did Alibaba invest in Amblin?",
     "reason | Alibaba, Amblin | invest | buyer=Alibaba target=Amblin"),
    ("en", "What does Spielberg get out of it?",
     "reason | Spielberg | - | "),
    ("en", "And what does Spielberg get out of it?",
     "reason | Spielberg | - | "),
    ("de", "Warum investiert Alibaba in Amblin?",
     "reason | Alibaba, Amblin | invest | buyer=Alibaba target=Amblin"),
    ("de", "Was erhofft sich Alibaba von Amblin?",
     "reason | Alibaba, Amblin | - | "),
    ("de", "Weshalb verkauft LVMH Christian Lacroix?",
     "reason | LVMH, Christian Lacroix | sell | target=Christian Lacroix seller=LVMH"),
    ("de", "Wozu braucht Microsoft LinkedIn?",
     "reason | Microsoft, LinkedIn | - | "),
    ("en", "Did eBay buy Skype?",
     "yes_no | eBay, Skype | buy | buyer=eBay target=Skype"),
    ("en", "Is Verizon buying MCI?",
     "yes_no | Verizon, MCI | buy | buyer=Verizon target=MCI"),
    ("en", "Has Google bought YouTube?",
     "yes_no | Google, YouTube | buy | buyer=Google target=YouTube"),
    ("de", "Hat Verizon MCI übernommen?",
     "yes_no | Verizon, MCI | buy | buyer=Verizon target=MCI"),
    ("de", "Ist Alibaba an Amblin beteiligt?",
     "yes_no | Alibaba, Amblin | invest | buyer=Alibaba target=Amblin"),
    ("de", "Kaufte Microsoft LinkedIn?",
     "yes_no | Microsoft, LinkedIn | buy | buyer=Microsoft target=LinkedIn"),
    ("en", "What is Alibaba's latest deal?",
     "other | Alibaba | - | "),
    ("de", "Was macht Spotify?",
     "other | Spotify | - | "),
    ("de", "Und der Kaufpreis?",
     "amount |  | buy | "),
    ("de", "Und wann?",
     "date |  | - | "),
    ("en", "And the price?",
     "amount |  | - | "),
    ("en", "What about Qwest?",
     "other | Qwest | - | "),
    ("en", "Will Qwest make a new bid for MCI?",
     "yes_no | Qwest, MCI | bid | buyer=Qwest target=MCI"),
    ("en", "Who is bidding for MCI?",
     "buyer | MCI | bid | target=MCI | asks buyer"),
    ("de", "Welche Firma bietet für MCI?",
     "buyer | MCI | bid | target=MCI | asks buyer"),
    ("en", "Did Sony and BMG merge?",
     "yes_no | Sony, BMG | merge | "),
    ("de", "Wann fusionierten Sony und BMG?",
     "date | Sony, BMG | merge | "),
    ("en", "Who partnered with Motorola on the iTunes phone?",
     "company | Motorola, iTunes | partner | "),
    ("de", "Mit wem arbeitet Motorola für ein Handy mit iTunes zusammen?",
     "company | Motorola, iTunes | partner | "),
    ("de", "Wie viel Geld sammelte Spotify ein?",
     "amount | Spotify | - | "),
    ("en", "How much money did Spotify raise?",
     "amount | Spotify | - | "),
    ("en", "What was Skype valued at?",
     "amount | Skype | - | "),
    ("de", "Wie hoch wurde Skype bewertet?",
     "amount | Skype | - | "),
    ("en", "How many shares did Alibaba buy?",
     "count | Alibaba | buy | buyer=Alibaba"),
    ("de", "Wie viele Aktien kaufte Alibaba?",
     "count | Alibaba | buy | buyer=Alibaba"),
    ("en", "Which firm bought the Falic Group's stake?",
     "buyer | Falic Group | buy | target=Falic Group | asks buyer"),
    ("de", "Wer kaufte die Anteile von ProSiebenSat.1?",
     "buyer | ProSiebenSat.1 | buy | target=ProSiebenSat.1 | asks buyer"),
    ("en", "When did Verizon agree to buy MCI?",
     "date | Verizon, MCI | buy | buyer=Verizon target=MCI"),
    ("en", "Who paid $6.75bn for MCI?",
     "buyer | MCI | buy | target=MCI | asks buyer"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "question", "expected"), QUESTIONS)
def test_question_analysis_reads_type_names_trigger_and_roles(
    language: str, question: str, expected: str
) -> None:
    """Each question gets its answer type, its names, its deal trigger and who plays which role."""
    assert _render(analyse_question(question, language)) == expected


def test_question_table_is_large_and_bilingual() -> None:
    """At least 80 questions, both languages, every answer type."""
    assert len(QUESTIONS) >= 80
    assert {row[0] for row in QUESTIONS} == {"en", "de"}
    types = {row[2].split(" | ")[0] for row in QUESTIONS}
    assert types >= {
        "amount",
        "stake",
        "date",
        "buyer",
        "seller",
        "company",
        "person",
        "count",
        "reason",
        "yes_no",
        "other",
    }


def test_known_names_split_adjacent_german_names() -> None:
    """German puts subject and object side by side; a name known from context ends there."""
    question = "Wie viel hat Telia Sonera Spotify gezahlt?"
    analysis = analyse_question(question, "de", known={"Telia Sonera"})
    assert analysis.name_texts == ("Telia Sonera", "Spotify")
    assert (analysis.buyer, analysis.target) == ("Telia Sonera", "Spotify")


def test_german_was_and_will_are_not_english_yes_no_verbs() -> None:
    """ "Was" is German "what" and "will" German "wants": yes/no only in the right language."""
    assert answer_type("Was macht Spotify?", "de") == "other"
    assert answer_type("Was Spotify sold?", "en") == "yes_no"
    assert answer_type("Will Qwest bid again?", "en") == "yes_no"


def _xquad_questions(language: str) -> dict[str, str]:
    data = json.loads(shared_data("xquad", f"xquad.{language}.json").read_text(encoding="utf-8"))
    return {
        qa["id"]: qa["question"]
        for article in data["data"]
        for paragraph in article["paragraphs"]
        for qa in paragraph["qas"]
    }


@pytest.mark.shared
def test_xquad_answer_types_agree_across_languages() -> None:
    """On XQuAD's 1,190 parallel questions the English and the German wording get the same
    answer type for at least 90% (92.4% measured), and every "When"/"Wann" question asks for a
    date."""
    english, german = _xquad_questions("en"), _xquad_questions("de")
    types_en = {i: answer_type(q, "en") for i, q in english.items()}
    types_de = {i: answer_type(german[i], "de") for i in english}
    agree = sum(types_en[i] == types_de[i] for i in english) / len(english)
    assert agree >= 0.90
    assert all(types_en[i] == "date" for i, q in english.items() if q.startswith("When "))
    assert all(types_de[i] == "date" for i, q in german.items() if q.startswith("Wann "))
    distribution = Counter(types_en.values())
    assert distribution["date"] > 100 and distribution["count"] > 50 and distribution["person"] > 80
