"""What every rule model shares: frozen, and no unknown fields (a typo in a rule file is an
error)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base for every rule model: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")
