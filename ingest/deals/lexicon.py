"""The words of deals in English and German news: triggers (verbs and nouns, with their
inflections), status cues, anaphors ("the company", "der Konzern") and the names that are
never parties (places, regulators, exchanges).

One table per idea, so the extractor, the quote check and the evaluation's baseline all read
the same words.
"""

import re
from dataclasses import dataclass
from typing import Literal

Lemma = Literal[
    "buy", "sell", "merge", "invest", "bid", "stake", "partner", "license", "venture", "fund"
]
Pos = Literal["verb", "noun"]
Kind = Literal[
    "acquisition", "merger", "stake", "funding round", "bid", "divestment", "partnership",
    "licensing", "joint venture",
]  # fmt: skip
Status = Literal["rumoured", "bid", "agreed", "completed", "withdrawn", "blocked"]

KINDS: tuple[Kind, ...] = (
    "acquisition", "merger", "stake", "funding round", "bid", "divestment", "partnership",
    "licensing", "joint venture",
)  # fmt: skip
STATUSES: tuple[Status, ...] = ("rumoured", "bid", "agreed", "completed", "withdrawn", "blocked")


@dataclass(frozen=True)
class TriggerForm:
    """One family of word forms: `past` marks past tense and participles (bought, übernommen),
    which make a deal completed unless a modal or an agreement cue says otherwise."""

    pattern: str
    lemma: Lemma
    pos: Pos
    language: Literal["en", "de"]
    past: bool = False


def _forms(
    language: Literal["en", "de"], pos: Pos, lemma: Lemma, now: str, past: str = ""
) -> list[TriggerForm]:
    found = [TriggerForm(now, lemma, pos, language)] if now else []
    return found + ([TriggerForm(past, lemma, pos, language, past=True)] if past else [])


TRIGGERS: list[TriggerForm] = [
    *_forms("en", "verb", "buy",
            r"acquir(?:e|es|ing)|buy(?:s|ing)?(?:\s+(?:out|up|back|into))?|purchas(?:e|es|ing)"
            r"|tak(?:e|es|ing)\s+over|snap(?:s|ping)?\s+up|swallow(?:s|ing)?",
            r"acquired|bought(?:\s+(?:out|up|back|into))?|purchased|took\s+over|taken\s+over"
            r"|snapped\s+up|swallowed"),
    *_forms("en", "verb", "sell",
            r"sell(?:s|ing)?(?:\s+off)?|transfer(?:s|ring)?|divest(?:s|ing)?|dispos(?:e|es|ing)\s+of|spin(?:s|ning)?\s+off"
            r"|demerg(?:e|es|ing)|offload(?:s|ing)?",
            r"sold(?:\s+off)?|transferred|divested|disposed\s+of|spun\s+off|demerged|offloaded"),
    *_forms("en", "verb", "merge", r"merg(?:e|es|ing)", r"merged"),
    *_forms("en", "verb", "invest", r"invest(?:s|ing)?", r"invested"),
    *_forms("en", "verb", "partner",
            r"partner(?:s|ing)?\s+with|join(?:s|ing)?\s+forces|ti(?:e|es|ing)\s+up\s+with",
            r"partnered\s+with|joined\s+forces|tied\s+up\s+with"),
    *_forms("en", "verb", "license", r"licen[cs](?:e|es|ing)", r"licen[cs]ed"),
    *_forms("en", "noun", "buy",
            r"acquisitions?|takeovers?|take-overs?|buy-?outs?|purchase(?=\s+(?:of|by|price))"),
    *_forms("en", "noun", "sell",
            r"sale(?=\s+(?:of|to|by))|sales(?=\s+of\s+(?:its\s+|their\s+)?(?:stakes?|holdings?"
            r"|assets|businesses|units|shares\s+in))|disposal|disposition|divestiture|spin-?off"
            r"|demerger"),
    *_forms("en", "noun", "merge", r"mergers?"),
    *_forms("en", "noun", "invest", r"investments?(?=\s+(?:in|of|by|from))"),
    *_forms("en", "noun", "bid",
            r"bids?|(?:takeover\s+|tender\s+|buy-?out\s+|merger\s+)?offer"
            r"(?=\s+(?:[^.;]{0,50}?\s)?(?:for|to\s+buy|to\s+acquire)|'?$)|tender\s+offer"
            r"|takeover\s+offer|offer(?:s|ed|ing)(?=\s+(?:to\s+(?:buy|acquire|take\s+over)"
            r"|(?:about|around|some)?\s*(?:[$£€]|\d)))"),
    *_forms("en", "noun", "stake", r"stakes?|(?:equity\s+)?interest(?=\s+in)|shareholding"),
    *_forms("en", "noun", "partner",
            r"partnerships?|alliances?|tie-?ups?|pact|deals?(?=\s+with)"),
    *_forms("en", "noun", "license",
            r"licen[cs]ing\s+(?:deal|agreement|pact)s?|licen[cs]e\s+(?:deal|agreement)s?"
            r"|exclusive\s+licen[cs]es?"),
    *_forms("en", "noun", "venture", r"joint\s+ventures?"),
    *_forms("en", "noun", "fund",
            r"(?:(?:series\s+[a-e]|seed|first|second|new|latest)\s+)?(?:funding|financing|venture"
            r"\s+capital)\s+rounds?"),
    *_forms("de", "verb", "buy",
            r"übernimmt|übernehmen|kauf(?:t|en)|erwirbt|erwerben|schluck(?:t|en)|steig(?:t|en)",
            r"übernahm(?:en)?|übernommen|kaufte[n]?|gekauft|aufgekauft|erwarben?|erworben"
            r"|schluckte[n]?|geschluckt|stiegen?|eingestiegen"),
    *_forms("de", "verb", "sell",
            r"verkauf(?:t|en)|stößt|abstoßen|trennt\s+sich|trennen\s+sich",
            r"verkaufte[n]?|abgestoßen|trennte\s+sich"),
    *_forms("de", "verb", "merge", r"fusionier(?:t|en)", r"fusionierte[n]?"),
    *_forms("de", "verb", "invest", r"investier(?:t|en)|beteilig(?:t|en)", r"investierte[n]?"
            r"|beteiligte[n]?"),
    *_forms("de", "verb", "bid", r"biete[nt]?", r"geboten"),
    *_forms("de", "noun", "buy",
            r"[\wäöüß-]*übernahme[n]?|(?:Zu)?[Kk]aufs?(?=\s+(?:von|des|der))|Erwerbs?|Einstiegs?"),
    *_forms("de", "noun", "sell", r"Verkaufs?(?=\s+(?:von|des|der|an))|Abspaltung"),
    *_forms("de", "noun", "merge", r"[\wäöüß-]*[Ff]usion(?:en)?|Zusammenschlusse?s?"),
    *_forms("de", "noun", "invest", r"Investition(?:en)?(?=\s+(?:in|bei|von))"),
    *_forms("de", "noun", "bid", r"[\wäöüß-]*[Gg]ebote?s?|(?:Übernahme)?[Aa]ngebote?s?(?=\s+für)"),
    *_forms("de", "noun", "stake", r"[\wäöüß-]*[Bb]eteiligung(?:en)?|Anteile?n?|Aktienpaket"),
    *_forms("de", "noun", "partner",
            r"Partnerschaft(?:en)?|Kooperation(?:en)?|Allianz(?:en)?"),
    *_forms("de", "noun", "license", r"Lizenz(?:vertrag|abkommen|deal)\w*"),
    *_forms("de", "noun", "venture", r"Joint\s+Ventures?|Gemeinschaftsunternehmen"),
    *_forms("de", "noun", "fund", r"Finanzierungsrunden?"),
]  # fmt: skip
"""German separable verbs ("steigt ... ein", "kauft ... auf") are found by their finite part;
the extractor checks the particle."""

STEMS: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        r"acqui|buy|bought|purchas|take|took|snap|swallow|sell|sold|sale|transfer|divest|dispos"
        r"|spin|spun|demerg|offload|merg|invest|partner|join|tie|tied|licen|bid|offer"
        r"|tender|stake|interest|equity|sharehold|alliance|pact|deal|joint"
        r"|exclusive|round|funding|financing|series|seed|first|second|new|latest|venture",
    ),
    "de": re.compile(
        r"übernahm|übernehm|übernimmt|übernomm|kauf|erwirb|erwerb|erwarb|erworb|schluck|steig"
        r"|stieg|verkauf|stößt|abstoß|trenn|fusion|investi|beteilig|biete|bot\b|geboten|gebot"
        r"|angebot|anteil|aktienpaket|partnerschaft|kooperation|allianz|joint"
        r"|gemeinschaftsunternehmen|lizenz|einstieg|zusammenschluss|finanzierungsrunde",
    ),
}
"""Fragments, in lower case, every trigger of a language contains, one of them in its first
word (searched in the lower-cased sentence): the trigger
patterns run only at the start of words that contain one (keep them in step with
`TRIGGERS`)."""

KIND_OF_LEMMA: dict[Lemma, Kind] = {
    "buy": "acquisition", "sell": "divestment", "merge": "merger", "invest": "stake",
    "bid": "acquisition", "stake": "stake", "partner": "partnership", "license": "licensing",
    "venture": "joint venture", "fund": "funding round",
}  # fmt: skip

FAMILY: dict[Kind, str] = {
    "acquisition": "control", "merger": "control", "bid": "control", "divestment": "control",
    "stake": "stake", "funding round": "stake",
    "partnership": "cooperation", "licensing": "cooperation", "joint venture": "cooperation",
}  # fmt: skip
"""Kinds that can describe one deal: a bid becomes an acquisition; a sale seen from the seller
is the buyer's acquisition. Stakes and cooperations stay apart from takeovers."""

SYMMETRIC: frozenset[Kind] = frozenset({"merger", "partnership", "joint venture", "licensing"})


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


STATUS_CUES: dict[Status, re.Pattern[str]] = {
    "blocked": _words(
        r"block(?:s|ed|ing)?", r"prohibit(?:s|ed)?", r"veto(?:es|ed)?", r"bar(?:s|red)",
        r"untersagt\w*", r"verbiet\w*", r"verboten", r"blockier\w*", r"gestoppt",
    ),
    "withdrawn": _words(
        r"withdr[ae]w\w*", r"abandon(?:s|ed|ing)?", r"called\s+off", r"call(?:s|ing)?\s+off",
        r"dropped", r"scrapped", r"pull(?:s|ed|ing)?\s+out", r"walk(?:s|ed)?\s+away",
        r"ended\s+talks", r"terminated", r"unable\s+to\s+complete", r"broke\s+off",
        r"zurückgezogen", r"zieht\s+\w+\s+zurück", r"abgesagt", r"geplatzt", r"gescheitert",
        r"aufgegeben", r"abgebrochen",
    ),
    "rumoured": _words(
        r"in\s+talks", r"talks\s+(?:to|with|about|over)", r"consider(?:s|ing)", r"eye(?:s|ing)",
        r"may", r"could", r"might", r"set\s+to", r"in\s+discussions?", r"soll(?:en|te|ten)?",
        r"im\s+Gespräch", r"verhandel[nt]\w*", r"Verhandlungen", r"könnte[n]?", r"erwägt",
        r"prüft",
    ),
    "completed": _words(
        r"complet(?:ed|es)", r"(?:is|was|now)\s+complete", r"closed", r"finali[sz]ed",
        r"acquired", r"bought(?:\s+back)?", r"purchased", r"took\s+over", r"taken\s+over",
        r"sold", r"merged",
        r"invested", r"snapped\s+up",
        r"abgeschlossen", r"vollzogen", r"perfekt", r"(?-i:übernahm|übernahmen|übernommen"
        r"|kaufte|kauften|gekauft|erwarb|erwarben|erworben|verkaufte|verkauften|geschluckt"
        r"|eingestiegen)",
    ),
    "agreed": _words(
        r"agree(?:s|d)?", r"agreements?", r"letter\s+of\s+intent", r"signed", r"sign(?:s|ing)?",
        r"accept(?:s|ed)?", r"approved", r"(?:is|are)\s+to\s+(?:buy|acquire|sell|merge|take)",
        r"will\s+(?:buy|acquire|sell|merge|take)", r"(?:is|are)\s+(?:buying|acquiring|selling)",
        r"deal\s+to", r"seal(?:s|ed)?", r"won",
        r"wins", r"einig\w*", r"vereinbar\w*", r"unterzeichne\w*", r"Vertrag", r"beschlossen",
    ),
    "bid": _words(
        r"bids?", r"bidd(?:er|ing)", r"offer(?:s|ed|ing)?", r"tender", r"propos(?:ed|al|es)",
        r"Gebot\w*", r"\w*[Aa]ngebot\w*", r"biete[nt]?", r"geboten", r"Bieter\w*",
    ),
}  # fmt: skip
"""Cues near a trigger, in the order they decide its status: a veto or a withdrawal ends a deal
whatever else the clause says; a modal ("may", "soll") outweighs a past tense."""
STAKE_WORDS = re.compile(
    r"\b(?:stakes?|interest|shares|shareholding|holding|equity|pct|per\s?cent|percent|Anteil\w*"
    r"|Beteiligung\w*|Aktien\w*|Prozent)\b|%",
    re.IGNORECASE,
)
"""Words that make a purchase a stake: what is bought is a part of the company."""
HEARSAY = _words(
    r"reportedly",
    r"reports?\s+(?:say|said|claim|suggest)\w*",
    r"according\s+to\s+(?:\w+\s+){0,3}reports?",
    r"(?:is|are|was)\s+said\s+to",
    r"rumou?r(?:s|ed)?",
    r"speculation",
    r"sources\s+said",
    r"angeblich",
    r"Berichten\s+zufolge",
    r"Insidern\s+zufolge",
    r"Gerüchte?n?",
    r"Spekulation\w*",
    r"nach\s+derzeitigen\s+Informationen",
    r"wie\s+\w+\s+berichtet",
)
"""Hearsay anywhere in a sentence makes what it reports rumoured, whatever its tense."""

UNDISCLOSED = _words(
    r"(?:an?\s+)?undisclosed(?:\s+(?:sum|amount|price|fee|terms|purchase\s+price))?(?:\s+of\s+cash)?",
    r"(?:was|were|has|have|had)?\s*not\s+(?:been\s+)?(?:disclosed|released|revealed|announced)",
    r"did\s+not\s+disclose", r"declined\s+to\s+disclose", r"withheld",
    r"nicht\s+(?:genannt|bekannt|veröffentlicht|mitgeteilt)", r"Stillschweigen",
)  # fmt: skip
"""A price the source says it does not know: an amount with text and no value."""

ANAPHOR_EN = re.compile(
    r"(?<![\w-])(?:(?:[Tt]he|[Tt]his)\s+(?:[a-z][\w-]*\s+){0,2}?(?P<noun>company|firm|group|concern"
    r"|bank|carrier|operator|broadcaster|studio|maker|giant|retailer|publisher|insurer"
    r"|conglomerate|corporation|label|airline|station|channel|developer|website|portal|provider"
    r"|manufacturer)|(?P<pronoun>[Ii]ts?)|(?P<person>[Hh]e|[Ss]he|[Hh]is|[Hh]er)"
    r"|[Tt]he\s+(?P<order>latter|former))(?![\w-])"
)
ANAPHOR_DE = re.compile(
    r"(?<![\w-])(?:(?:[Dd]as|[Dd]er|[Dd]ie|[Dd]em|[Dd]en|[Dd]es)\s+(?:[a-zäöüß][\w-]*\s+){0,2}?(?P<noun>"
    r"Unternehmens?|Konzerns?|Firma|Gruppe|Anbieters?|Herstellers?|Senders?|Studios?|Labels?"
    r"|[A-ZÄÖÜ][a-zäöüß]*(?:riese|riesen|konzern|konzerns|dienst|dienstes|anbieter|anbieters"
    r"|gigant|giganten|händler|händlers))(?![\w-]))"
)
"""Definite descriptions that stand for the company talked about: "the US firm", "das
chinesische Unternehmen", "der Internetriese". A description followed by a name is an
apposition ("der Konkurrent Amazon") and stands for that name instead."""

PLACES = frozenset(
    """
    afghanistan africa albania algeria america americas argentina asia atlanta australia austria
    bangkok beijing belgium berlin bombay boston brazil britain brussels california canada
    chicago chile china colombia dallas delhi denmark detroit dubai dusseldorf düsseldorf
    egypt england europe finland florida france frankfurt geneva georgia germany greece
    hamburg hangzhou hollywood hong kong houston hungary india indonesia iran iraq ireland
    israel italy japan jordan korea kuwait london los angeles madrid malaysia manhattan melbourne
    mexico miami milan minnesota montreal moscow mumbai munich netherlands new york new jersey
    new zealand nigeria norway ohio pakistan paris peking philippines poland portugal qatar
    romania russia san francisco saudi arabia scotland seattle seoul shanghai shenzhen
    silicon valley singapore south africa south korea spain stockholm sweden switzerland sydney
    taiwan texas thailand tokyo toronto turkey uk ukraine united kingdom united states us usa
    u.s. u.k. n.j n.y d.c vienna wales wall street washington west germany zurich zürich
    delaware illinois
    michigan ohio virginia west virginia connecticut massachusetts pennsylvania colorado arizona
    oregon nevada utah kentucky tennessee louisiana maryland missouri wisconsin iowa kansas
    oklahoma alabama indiana carolina north carolina south carolina idaho montana nebraska
    maine vermont hawaii alaska ill. mich. fla. calif. tex. ariz. conn. mass. n.y. n.j. pa.
    amerika asien australien belgien brasilien china dänemark deutschland england europa
    frankreich griechenland großbritannien hongkong indien italien japan kanada mexiko
    niederlande norwegen österreich peking polen portugal russland schweden schweiz spanien
    südkorea türkei ungarn usa wien münchen köln
    algeria angola armenia azerbaijan bahrain bangladesh belarus bolivia bosnia botswana
    bulgaria cambodia cameroon chile costa rica croatia cuba cyprus czech republic ecuador
    estonia ethiopia ghana guatemala iceland jamaica kazakhstan kenya kosovo kyrgyzstan laos
    latvia lebanon libya lithuania luxembourg macedonia malta moldova monaco mongolia montenegro
    morocco mozambique myanmar namibia nepal nicaragua oman panama paraguay peru rwanda senegal
    serbia slovakia slovenia somalia sri lanka sudan syria tanzania tunisia uganda uruguay
    uzbekistan venezuela vietnam yemen zambia zimbabwe scandinavia middle east
    siberia catalonia bavaria normandy tuscany quebec ontario alberta bombay kolkata calcutta
    chennai bangalore karachi lagos nairobi cairo tehran baghdad riyadh jakarta manila hanoi
    osaka kyoto busan taipei macau beirut athens lisbon dublin edinburgh glasgow manchester
    birmingham liverpool leeds bristol oslo copenhagen helsinki warsaw prague budapest bucharest
    sofia belgrade zagreb kiev kyiv minsk istanbul ankara amsterdam rotterdam antwerp geneva
    basel lyon marseille barcelona seville rome turin naples stuttgart cologne dresden leipzig
    hanover bonn vancouver montreal ottawa calgary denver atlanta boston philadelphia
    pittsburgh cleveland minneapolis st. louis new orleans las vegas san diego san jose
    """.split()
) | frozenset(
    "hong kong|los angeles|new york|new jersey|new zealand|san francisco|saudi arabia|"
    "silicon valley|south africa|south korea|united kingdom|united states|wall street|"
    "west germany|west virginia|north carolina|south carolina|costa rica|czech republic|"
    "sri lanka|middle east|st. louis|new orleans|las vegas|san diego|san jose".split("|")
)
DEMONYMS = re.compile(
    r"(?:american|british|chinese|german|french|japanese|korean|indian|russian|italian|spanish"
    r"|dutch|swiss|swedish|canadian|australian|irish|european|asian|african|iranian|turkish"
    r"|israeli|mexican|brazilian|taiwanese|us|uk|amerikanisch|britisch|chinesisch|deutsch"
    r"|französisch|japanisch|russisch|italienisch|spanisch|schweizer|europäisch)\w*",
    re.IGNORECASE,
)
NON_PARTIES = frozenset(
    "sec|ftc|fcc|doj|oft|eu|ftse|dax|reuters|reuter|bloomberg|afp|ap|dpa|nikkei|"
    "securities and exchange commission|federal trade commission|federal communications "
    "commission|justice department|department of justice|competition commission|european "
    "commission|office of fair trading|bundeskartellamt|kartellamt|dow jones|financial times|"
    "wall street journal|sunday times".split("|")
)
"""Regulators, indices and news agencies: named in deal sentences, never parties. (Exchanges
are bought and sold: Deutsche Börse bid for the London Stock Exchange.)"""
