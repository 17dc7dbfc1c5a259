"""Language detection: stopwords decide German vs English on short text, py3langid the rest."""

import re
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOPWORDS = {
    "de": frozenset(
        "der die das und ist nicht ein eine einen einem einer zu den dem des mit von im in auf "
        "für sich auch als wie was wer warum wieso weshalb welche welcher wann wo hat haben wird "
        "werden wurde sind bei oder aber nach über vom zum zur noch nur schon ich sie er es wir "
        "ihr sein seine mehr durch dass daß um an so man kann will soll".split()
    ),
    "en": frozenset(
        "the and is are was were not a an to of in on for with by as what why who whom which when "
        "where how did does do has have had will would from that this these those it its be been "
        "or but after about into than more only also their they he she we you can should".split()
    ),
}
_LANGID_LANGUAGES = [
    "de", "en", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "no", "fi", "cs", "ru", "tr",
    "zh", "ja", "ko", "ar",
]  # fmt: skip


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_LANGID_LANGUAGES)
    return identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, `und` when there is nothing to go on."""
    words = [w.lower() for w in _WORD.findall(text[:4000])]
    if not words:
        return "und"
    hits = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(hits, key=lambda lang: hits[lang])
    others = max(v for lang, v in hits.items() if lang != best)
    if hits[best] >= 2 and hits[best] >= 2 * others + 1:
        return best
    if len(words) < 4 and hits[best] > others:
        return best
    lang, _prob = _identifier().classify(text[:4000])
    return str(lang)


LANGUAGE_NAMES = {
    "de": ("German", "Deutsch"),
    "en": ("English", "Englisch"),
    "fr": ("French", "Französisch"),
    "es": ("Spanish", "Spanisch"),
    "it": ("Italian", "Italienisch"),
    "nl": ("Dutch", "Niederländisch"),
}


def language_name(code: str, in_language: str = "en") -> str:
    """Human name of a language, in English or German."""
    names = LANGUAGE_NAMES.get(code)
    if names is None:
        return code
    return names[1] if in_language == "de" else names[0]
