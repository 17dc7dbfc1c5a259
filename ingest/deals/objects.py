"""What a buying or selling verb acts on when it is not simply a name: a business described
("its media business", "the plastic container business of Monsanto"), a name that only
modifies one ("the Presley estate"), a name in apposition ("its foodservice unit, Service
America Corp"), a thing given to a buyer ("ESPN sold EA the rights"), and the owner named in
apposition ("Y, owned by Z", "Y, a unit of Z")."""

import re

from ingest.deals.clause import STAKE_HEADS, Clause, Hit
from ingest.deals.parties import Party

DITRANSITIVE = re.compile(
    r"\s+(?:the|its|a|an|their|his|her)\s+(?P<np>(?:[\w&'-]+\s+){0,3}?(?:rights|stake|shares"
    r"|business|unit|division|assets|licen[cs]e|brand))\b",
    re.IGNORECASE,
)
""""ESPN sold EA the rights to its branding": the name is the buyer, the thing comes after."""

_UNIT_HEADS = (
    r"business|businesses|unit|units|division|divisions|operations?|subsidiar(?:y|ies)|assets"
    r"|network|brand|chain|stations?|plants?|mills?|propert(?:y|ies)|rights|portfolio|arm|group"
    r"|newspapers?|magazines?|label|studios?|branch(?:es)?|centers|centres|stores|hotels?"
    r"|restaurants|theaters|theatres|cinemas|mines?|refinery|refineries|estate|line|lines"
)

_COMPANY_HEADS = r"company|firm|maker|manufacturer|producer|operator|venture|concern|bank"

_UNIT_NP = re.compile(
    r"\s+(?:(?:(?:half|part|most|much)\s+(?:of\s+)?)?(?:the|its|his|her|their|a|an|certain|some"
    r"|(?:substantially\s+)?all(?:\s+of)?(?:\s+the)?|(?:one|two|three|four|five)\s+of\s+its)"
    r"\s+)?(?P<np>(?:(?!(?:the|a|an|its"
    rf"|their|to|of|and|for)\b)[\w&'-]+\s+){{0,4}}?(?:{_UNIT_HEADS}))\b",
    re.IGNORECASE,
)

_HOLDING_IN = re.compile(
    r"['’]s?\s+(?:[\w%.-]+\s+){0,2}?(?:stake|shares|holding|interest)\s+in\s+", re.IGNORECASE
)
_APPOSED = re.compile(r",\s+$")

_OWNED_BY = re.compile(
    r",\s+(?:which\s+(?:is|was)\s+)?(?:(?:wholly|majority|partly|jointly)[- ])?(?:owned|controlled)"
    r"\s+by\s+|,\s+(?:a|the|an)\s+(?:wholly[- ]owned\s+|majority[- ]owned\s+)?(?:unit|subsidiary"
    r"|division|affiliate|arm)\s+of\s+|,\s+(?:eine|die)\s+Tochter(?:gesellschaft|firma)?\s+"
    r"(?:von|des|der)\s+",
    re.IGNORECASE,
)

_HEAD_NOUN = re.compile(
    rf"\s+(?:(?!(?:the|a|an|its|their|his|her|to|of|and|or)\b)[a-z][\w-]*\s+){{0,2}}"
    rf"(?:{_UNIT_HEADS})\b"
)

SUFFIXED = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Plc|PLC|LLC|AG|SA|NV|AB|GmbH|SE|Group)\.?$")


def with_head(sentence: str, party: Party | None) -> Party | None:
    """A name that only modifies the business bought: "the Presley estate", "its Deluxe Film
    unit"."""
    if party is None or party.kind != "name" or SUFFIXED.search(party.text):
        return party
    m = _HEAD_NOUN.match(sentence, party.end)
    if m is None:
        return party
    return Party(sentence[party.start : m.end()], party.start, m.end(), "description")


def descriptive_target(sentence: str, hit: Hit) -> Party | None:
    """A business that is not a name: "sell its media business", "acquire the plastic
    container business of Monsanto"."""
    return described_after(sentence, hit.end, "")


def described_after(
    sentence: str, position: int, lead: str, companies: bool = False
) -> Party | None:
    """A description of a business right after `position` (after `lead`, a regex); with
    `companies`, also of a whole company ("a stake in a privately-held plastics maker")."""
    pattern = _UNIT_NP.pattern
    if companies:
        pattern = pattern.replace(f"(?:{_UNIT_HEADS})", f"(?:{_UNIT_HEADS}|{_COMPANY_HEADS})")
    m = re.compile(lead + pattern, re.IGNORECASE).match(sentence, position)
    if m is None:
        return None
    return Party(m.group("np"), m.start("np"), m.end("np"), "description")


def object_of(clause: Clause, hit: Hit) -> tuple[Party | None, Party | None]:
    """What a buying or selling verb acts on, and the owner of it when that is a part of a
    company: a name ("acquire Shelard"), a holding in one ("a 20% stake in Sina"), a name
    inside a description ("its Triplett Electrical Corp subsidiary"), a description
    ("its media business") with its owner ("the plastic container business of Monsanto") or
    with its name in apposition ("its foodservice unit, Service America Corp")."""
    sentence = clause.sentence
    named = clause.first_right(None, "of", "in", "into", heads=STAKE_HEADS)
    described = descriptive_target(sentence, hit)
    if described is None or (named is not None and named.start < described.start):
        held = _held_in(clause, named)
        return (held, named) if held is not None else (with_head(sentence, named), None)
    inside = [p for p in clause.right if described.start <= p.start and p.end <= described.end]
    company = [p for p in inside if SUFFIXED.search(p.text)]
    if company:
        return company[0], None
    if inside and not re.match(r"['’]s\b", sentence[inside[-1].end :]):
        head = with_head(sentence, inside[-1])
        if head is not None and head.end == described.end:
            return head, None
    after = [p for p in clause.right if p.start >= described.end]
    if after and _APPOSED.fullmatch(sentence[described.end : after[0].start]):
        return after[0], None
    if after and clause.prep(after[0]) == "of":
        return described, after[0]
    return described, None


def _held_in(clause: Clause, holder: Party | None) -> Party | None:
    """ "British Telecom's shares in Cegetel": the holding's company is the target, its holder
    the seller."""
    if holder is None:
        return None
    m = _HOLDING_IN.match(clause.sentence, holder.end)
    if m is None:
        return None
    return next((p for p in clause.right if m.end() <= p.start <= m.end() + 30), None)


def owner_of(sentence: str, target: Party, parties: list[Party]) -> Party | None:
    """Who owns the target, said in apposition: "Y, owned by Z", "Y, a unit of Z", "Y, eine
    Tochter von Z"."""
    m = _OWNED_BY.match(sentence, target.end)
    if m is None:
        return None
    return next((p for p in parties if m.end() <= p.start <= m.end() + 30), None)
