"""Concerns: the criteria of several checklists that ask a vendor the same thing, with the one question to send.

The grouping is data (`assessor/data/concerns.yaml`). A report asks the vendor one question per concern and cites
every criterion (and through them every law and framework) behind it; a criterion no concern lists is asked about on
its own, with its checklist's own question and clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .loading import load_data
from .models import SLUG, Criterion, Finding

DATA = "data/concerns.yaml"


class Concern(BaseModel):
    """One thing to ask a vendor for, and the criteria it settles."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: Annotated[str, Field(pattern=SLUG)]
    title: str = Field(min_length=1, max_length=120)
    question: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    criteria: list[str] = Field(default_factory=list)

    @field_validator("question", "clause", "title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("criteria")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        twice = sorted({c for c in value if value.count(c) > 1})
        if twice:
            raise ValueError(f"criteria listed twice: {', '.join(twice)}")
        return value


class ConcernsFile(BaseModel):
    """The file: concerns in the order ties are listed in."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    concerns: list[Concern]

    @field_validator("concerns")
    @classmethod
    def _disjoint(cls, value: list[Concern]) -> list[Concern]:
        ids = [c.id for c in value]
        if len(ids) != len(set(ids)):
            raise ValueError(f"concern ids repeat: {', '.join(sorted({i for i in ids if ids.count(i) > 1}))}")
        owner: dict[str, str] = {}
        for concern in value:
            for criterion in concern.criteria:
                if criterion in owner:
                    raise ValueError(f"{criterion} is in two concerns: {owner[criterion]} and {concern.id}")
                owner[criterion] = concern.id
        return value


def load_concerns(path: Path | None = None) -> ConcernsFile:
    """The concerns file (the shipped one by default, through the cache: `loading.load_data`); a mistake is a
    LoadError naming file, line and field."""
    return load_data(ConcernsFile, path or Path(str(resources.files("assessor").joinpath(DATA))))


@cache
def shipped_concerns() -> ConcernsFile:
    """The shipped concerns file, read once."""
    return load_concerns()


def concern_of(criterion: Criterion | Finding, concerns: ConcernsFile | None = None) -> Concern:
    """The concern a criterion (or its finding) belongs to; one of its own (its title, question and clause) when
    none lists it."""
    cid = criterion.id if isinstance(criterion, Criterion) else criterion.criterion
    listed = next((c for c in (concerns or shipped_concerns()).concerns if cid in c.criteria), None)
    remediation = criterion.remediation
    return listed or Concern(id=f"criterion-{cid.lower()}", title=criterion.title,
                             question=remediation.question if remediation else "",
                             clause=remediation.clause if remediation else "", criteria=[cid])


def unlisted(criteria: Iterable[Criterion], concerns: ConcernsFile | None = None) -> list[str]:
    """Ids of the criteria no concern lists (each is then asked about on its own)."""
    listed = {c for concern in (concerns or shipped_concerns()).concerns for c in concern.criteria}
    return sorted({c.id for c in criteria} - listed)
