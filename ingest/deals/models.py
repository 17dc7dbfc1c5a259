"""A deal as a record: who bought or invested in what, from whom, for how much, how far it got
and when; every field backed by a quoted source.

The JSON of a `Deal` (`deal.model_dump_json()`) is the contract of `dealdesk deals --json`:

    {"id", "kind", "buyer", "target", "seller", "amount": {"value", "currency", "text"} | null,
     "stake_percent", "status", "announced",
     "sources": [{"source", "title", "published", "quote", "fields"}]}

Provenance: each source is one quote (the sentence or sentences of one chunk, joined by " … ")
and `fields` holds what that quote states, as it states it ({"buyer": "Verizon", "amount":
{...}}). A field whose value its quote does not state is refused when the source is built, and
every value of the deal itself must be the value some source states. So conflicting amounts
are all kept: the deal's `amount` is the latest source's, and every other source keeps its own
in its `fields`. Sources are listed latest first. An amount whose `value` and `currency` are
null is a price the source says was not disclosed ("an undisclosed sum"). A takeover bid is an
acquisition whose status is "bid"; the kind "bid" is left for bids on things other than a
company (the rule-based extractor does not produce it). A funding round's `buyer` is the
investor and its `target` the company raising money. For a symmetric kind
(merger, partnership, joint venture, licensing) `buyer` and `target` are the two parties in the
order the source names them.
"""

from datetime import date
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_serializer, model_validator

from ingest.deals.checks import states
from ingest.deals.lexicon import Kind, Status

FIELD_NAMES = (
    "kind", "buyer", "target", "seller", "amount", "stake_percent", "status", "announced",
)  # fmt: skip


class Amount(BaseModel):
    """`value` in units of `currency` (ISO 4217): 6.75e9 with "USD" for "$6.75bn"."""

    model_config = ConfigDict(frozen=True)

    value: float | None
    currency: str | None
    text: str = Field(min_length=1)


class DealFields(BaseModel):
    """What one quote states about a deal; a field it does not state is None (and left out of
    the JSON)."""

    model_config = ConfigDict(frozen=True)

    kind: Kind | None = None
    buyer: str | None = None
    target: str | None = None
    seller: str | None = None
    amount: Amount | None = None
    stake_percent: float | None = None
    status: Status | None = None
    announced: date | None = None

    def stated(self) -> dict[str, Any]:
        """The fields with a value, by name."""
        return {
            name: getattr(self, name) for name in FIELD_NAMES if getattr(self, name) is not None
        }


class UnsupportedFieldError(ValueError):
    """A field's value is not stated by its quote."""


class DealSource(BaseModel):
    """One quote from one article and the fields it states. `chunk_id` names the chunk the quote
    comes from (kept for storage, not part of the JSON contract); `language` is the article's,
    which decides how its numbers read."""

    model_config = ConfigDict(frozen=True)

    source: str
    title: str
    published: date | None = None
    quote: str = Field(min_length=1)
    fields: DealFields
    chunk_id: str | None = Field(default=None, exclude=True)
    language: str | None = Field(default=None, exclude=True)

    @field_serializer("fields")
    def _stated_only(self, fields: DealFields) -> dict[str, Any]:
        return fields.model_dump(mode="json", exclude_none=True)

    @model_validator(mode="after")
    def _quote_states_every_field(self) -> Self:
        refused = self.unsupported(self.fields)
        if refused:
            raise UnsupportedFieldError(
                f"the quote does not state {', '.join(refused)}: {self.quote[:80]!r}"
            )
        return self

    def unsupported(self, fields: DealFields) -> list[str]:
        """The names of the fields whose values this source's quote does not state."""
        return [
            name
            for name, value in fields.stated().items()
            if not states(name, value, self.quote, self.published, self.language)
        ]

    @classmethod
    def checked(cls, fields: DealFields, **source: Any) -> tuple["DealSource | None", list[str]]:
        """A source keeping only the fields its quote states, and the names of those refused;
        None when nothing is left. For extractors that may guess (a language model)."""
        probe = cls.model_construct(fields=DealFields(), **source)
        refused = probe.unsupported(fields)
        kept = fields.model_copy(update=dict.fromkeys(refused))
        if not kept.stated():
            return None, refused
        return cls(fields=kept, **source), refused


class Deal(BaseModel):
    """One deal, merged from every source that reports it; see the module docstring."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Kind
    buyer: str | None = None
    target: str | None = None
    seller: str | None = None
    amount: Amount | None = None
    stake_percent: float | None = None
    status: Status | None = None
    announced: date | None = None
    sources: list[DealSource] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_value_has_a_source(self) -> Self:
        for name in FIELD_NAMES:
            value = getattr(self, name)
            if value is not None and all(getattr(s.fields, name) != value for s in self.sources):
                raise UnsupportedFieldError(f"no source states the deal's {name} {value!r}")
        return self

    def quote_for(self, field: str) -> DealSource | None:
        """The first (latest) source that states the deal's value of `field`."""
        value = getattr(self, field)
        return next((s for s in self.sources if getattr(s.fields, field) == value), None)
