"""Answer-level evaluation: what counts as an answer's opening and quotes, the verdicts, the
report tables, and the loaders that attach gold answers (tiny inline fixtures)."""

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.models import Answer, Citation
from bot.evaluation.answers import judge, opening, quotes, stated_line, tally_by_type
from bot.evaluation.datasets import (
    Question,
    gnad_title,
    load_bbc,
    load_gnad,
    load_xquad,
    read_gnad,
)
from bot.evaluation.metrics import summarize
from bot.evaluation.report import format_answer_table, records_json, to_json
from bot.evaluation.runners import Row

SPOTIFY = Question(
    "q1",
    "How much did Telia Sonera invest in Spotify?",
    "en",
    frozenset({"10kgnad/0548"}),
    ("115 Millionen Dollar",),
    "amount",
)


def _citation(n: int, quote: str) -> Citation:
    return Citation(
        n=n,
        title="t",
        source=f"s{n}",
        language="de",
        quote=quote,
        chunk_id=f"c{n}",
        score=0.5,
    )


def _answer(text: str, grounded: bool = True, citations: list[Citation] | None = None) -> Answer:
    return Answer(
        question=SPOTIFY.text,
        standalone_question=SPOTIFY.text,
        answer=text,
        language="en",
        grounded=grounded,
        citations=citations or [],
    )


EXTRACTIVE = _answer(
    "Here is what 2 sources in the corpus say:\n"
    "• “Der Musikdienst Spotify hat seine Kasse mit mehr als einer halben Milliarde Dollar "
    "aufgefüllt.” [1] (German)\n"
    "• “Teil der Geldspritze ist eine Investition von 115 Millionen Dollar vom "
    "Telekommunikationskonzern Telia Sonera.” [1] (German)\n"
    "• “Spotify gilt als Marktführer.” [2] (German)"
)


def test_quotes_are_the_bullet_lines_in_reading_order_without_marks() -> None:
    """Quotes come from the bullets as a reader sees them: no bullet, quote marks, [n] or
    language label."""
    found = quotes(EXTRACTIVE)
    assert len(found) == 3
    assert found[0].startswith("Der Musikdienst Spotify") and found[0].endswith("aufgefüllt.")
    assert found[2] == "Spotify gilt als Marktführer."


def test_opening_is_the_first_quote_when_the_first_line_states_nothing() -> None:
    """A lead line without a citation ("Here is what ... say:") is not an answer."""
    assert stated_line(EXTRACTIVE) is None
    assert opening(EXTRACTIVE) == quotes(EXTRACTIVE)[0]


def test_opening_is_a_cited_first_line() -> None:
    """A typed first line with its [n] is the opening; the bullets under it stay the quotes."""
    typed = _answer(
        "Telia Sonera invested 115 million dollars in Spotify for a 1.4% stake [1].\n"
        "• „Teil der Geldspritze ist eine Investition von 115 Millionen Dollar.“ [1] (German)"
    )
    assert (
        opening(typed) == "Telia Sonera invested 115 million dollars in Spotify for a 1.4% stake."
    )
    assert quotes(typed) == ["Teil der Geldspritze ist eine Investition von 115 Millionen Dollar."]


def test_prose_answer_quotes_through_its_citations_in_citation_order() -> None:
    """An LLM answer without bullets is judged on its citations' sentences, [1] first."""
    prose = _answer(
        "Telia Sonera put money into Spotify [2] [1].",
        citations=[
            _citation(2, "Spotify gilt als Marktführer."),
            _citation(1, "Erster Satz. … Investition von 115 Millionen Dollar."),
        ],
    )
    assert quotes(prose) == [
        "Erster Satz.",
        "Investition von 115 Millionen Dollar.",
        "Spotify gilt als Marktführer.",
    ]


def test_verdict_finds_gold_in_quotes_but_not_in_a_wrong_opening() -> None:
    """The gold amount in the second quote counts for the quotes, not for the opening."""
    record = judge(SPOTIFY, EXTRACTIVE)
    assert (record.in_opening, record.in_quotes) == (False, True)
    assert record.quotes == tuple(quotes(EXTRACTIVE))


def test_verdict_accepts_an_english_opening_for_a_german_gold_amount() -> None:
    """ "$115m" in an English first line matches the German "115 Millionen Dollar"."""
    typed = _answer("Telia Sonera invested $115m in Spotify [1].\n• “Ein Satz.” [1] (German)")
    record = judge(SPOTIFY, typed)
    assert (record.in_opening, record.in_quotes) == (True, False)


def test_refused_answer_misses_both_even_when_its_text_names_the_gold() -> None:
    """A refusal states no answer, whatever words it happens to contain."""
    refusal = _answer("• “115 Millionen Dollar” [1]", grounded=False)
    record = judge(SPOTIFY, refusal)
    assert (record.grounded, record.in_opening, record.in_quotes) == (False, False, False)
    assert record.opening == "" and record.quotes == ()


def test_only_the_first_three_quotes_count() -> None:
    """Gold in the fourth quote is too far down to count."""
    four = _answer(
        "Lead:\n• “a b c d.” [1]\n• “e f g h.” [1]\n• “i j k l.” [1]\n"
        "• “Telia Sonera: 115 Millionen Dollar.” [1]"
    )
    assert judge(SPOTIFY, four).in_quotes is False


def _row(task: str, **fields: object) -> Row:
    return Row("gnad", task, "dealdesk", summarize([1, 2]), **fields)  # type: ignore[arg-type]


def test_answer_table_shows_shares_per_task_and_per_answer_type() -> None:
    """The answer table has one line per task and, below, one per answer type."""
    record = judge(SPOTIFY, EXTRACTIVE)
    row = _row(
        "en->de",
        no_answer=4,
        refused=3,
        answerable_checked=2,
        lost=0,
        answers_checked=1,
        in_opening=0,
        in_quotes=1,
        records=(record,),
    )
    baseline = Row("gnad", "en->de", "raw-encoder", summarize([1]))
    table = format_answer_table([row, baseline])
    assert "0/1 (0%)" in table and "1/1 (100%)" in table and "3/4 (75%)" in table
    assert "raw-encoder" not in table
    assert "amount" in table
    assert tally_by_type([record])["amount"].in_quotes == 1


def test_json_rows_leave_records_out_and_records_json_tags_them() -> None:
    """--json stays one object per row; the per-question log carries suite, task and gold."""
    row = _row("en->de", answers_checked=1, in_quotes=1, records=(judge(SPOTIFY, EXTRACTIVE),))
    (fields,) = to_json([row])
    assert "records" not in fields and fields["in_quotes"] == 1
    (logged,) = records_json([row])
    assert logged["task"] == "en->de" and logged["gold"] == ("115 Millionen Dollar",)


def test_answers_log_in_a_missing_folder_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A log path whose folder does not exist fails at once with one clear line."""
    code = main(["eval", "--data", str(tmp_path), "--answers-log", str(tmp_path / "no" / "x")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no folder for" in err and "no benchmark data" not in err


def _write_xquad(root: Path) -> None:
    """One paragraph in German and English sharing one question id."""
    for language, context, question, answer in (
        ("de", "Der Rhein fließt durch Basel. Er ist 1.230 km lang.", "Wie lang?", "1.230 km"),
        ("en", "The Rhine flows through Basel. It is 1,230 km long.", "How long?", "1,230 km"),
    ):
        qa = {"id": "q1", "question": question, "answers": [{"text": answer, "answer_start": 0}]}
        data = {"data": [{"title": "Rhein", "paragraphs": [{"context": context, "qas": [qa]}]}]}
        (root / "xquad").mkdir(exist_ok=True)
        (root / "xquad" / f"xquad.{language}.json").write_text(json.dumps(data), "utf-8")


def test_xquad_english_questions_carry_the_german_gold_span(tmp_path: Path) -> None:
    """en->de asks the English question but judges against the German paragraph's span."""
    _write_xquad(tmp_path)
    en_de, de_de, en_en = load_xquad(tmp_path)
    first = {task.name: task.questions[0] for task in (en_de, de_de, en_en)}
    assert first["en->de"].text == "How long?" and first["en->de"].answers == ("1.230 km",)
    assert first["de->de"].answers == ("1.230 km",)
    assert first["en->en"].answers == ("1,230 km",)


def test_gnad_rows_become_german_documents_titled_by_their_first_sentence(
    tmp_path: Path,
) -> None:
    """`label;'text'` rows (with '' for an apostrophe) keep their whole text; the teaser
    sentence is the title, and a long one is cut at a word."""
    long_teaser = "Ein sehr langer Anrisstext " * 10
    path = tmp_path / "test.csv"
    path.write_text(
        "Web;'Spotify holt frisches Geld. Telia Sonera investiert 115 Millionen Dollar.'\n"
        f"Etat;'{long_teaser.strip()}. Der ''Standard'' berichtet.'\n",
        "utf-8",
    )
    first, second = read_gnad(path)
    assert first.source == "10kgnad/0000" and first.language == "de"
    assert first.title == "Spotify holt frisches Geld."
    assert "115 Millionen Dollar" in first.text and "Spotify holt" in first.text
    assert second.title.endswith(" …") and len(second.title) <= 152
    assert "Der 'Standard' berichtet." in second.text
    assert gnad_title("Kurz.") == "Kurz."


def test_gnad_suite_has_an_english_and_a_german_task_that_check_the_gate(
    tmp_path: Path,
) -> None:
    """Both question languages run over the German corpus, traps after answerable ones."""
    (tmp_path / "10kgnad").mkdir()
    (tmp_path / "10kgnad" / "test.csv").write_text("Web;'Ein Satz. Noch einer.'\n", "utf-8")
    tasks = load_gnad(tmp_path, limit=3)
    assert [t.name for t in tasks] == ["en->de", "de->de"]
    for task in tasks:
        assert task.check_grounding and task.suite == "gnad"
        kinds = [q.answerable for q in task.questions]
        assert kinds == [True] * 3 + [False] * 3
        assert all(q.answers and q.answer_type for q in task.questions if q.answerable)


def test_bbc_questions_carry_gold_answers_and_a_type(tmp_path: Path) -> None:
    """Every answerable BBC question has at least one gold span and an answer type."""
    root = tmp_path / "bbc"
    for category in ("business", "entertainment", "tech"):
        (root / category).mkdir(parents=True)
    (root / "business" / "001.txt").write_text("Title\n\nBody text.", "utf-8")
    (root / "deal-articles.tsv").write_text("path\tduplicate_of\n", "utf-8")
    tasks = load_bbc(tmp_path)
    answerable = [q for t in tasks for q in t.questions if q.answerable]
    assert len(answerable) >= 40
    assert all(q.answers and q.answer_type for q in answerable)
