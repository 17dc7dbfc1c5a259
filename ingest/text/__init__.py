"""Text analysis for English and German news and questions: names, amounts, dates, name
matching, stopwords and question analysis. Pure functions over strings; no I/O, no models.

    from ingest.text import names_in, money_in, analyse_question, mentions
"""

from ingest.text.amounts import counts_in, money_in, number_values, numbers_in, percents_in
from ingest.text.dates import dates_in
from ingest.text.matching import (
    Strength,
    match_strength,
    mention_strength,
    mentions,
    name_key,
    same_name,
)
from ingest.text.mentions import Count, DateMention, Mention, Money, Name, Number, Percent
from ingest.text.names import is_german_noun, names_in, unique_names
from ingest.text.questions import (
    AnswerType,
    QuestionAnalysis,
    Role,
    Trigger,
    analyse_question,
    answer_type,
    deal_trigger,
)
from ingest.text.words import (
    QUESTION_WORDS,
    STOPWORDS,
    is_question_word,
    is_stopword,
    words,
)

__all__ = [
    "QUESTION_WORDS",
    "STOPWORDS",
    "AnswerType",
    "Count",
    "DateMention",
    "Mention",
    "Money",
    "Name",
    "Number",
    "Percent",
    "QuestionAnalysis",
    "Role",
    "Strength",
    "Trigger",
    "analyse_question",
    "answer_type",
    "counts_in",
    "dates_in",
    "deal_trigger",
    "is_german_noun",
    "is_question_word",
    "is_stopword",
    "match_strength",
    "mention_strength",
    "mentions",
    "money_in",
    "name_key",
    "names_in",
    "number_values",
    "numbers_in",
    "percents_in",
    "same_name",
    "unique_names",
    "words",
]
