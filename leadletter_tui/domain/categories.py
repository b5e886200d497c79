"""Industry categories (DESIGN.md): stored as these slugs, shown with their labels."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    PROFESSIONAL_SERVICES = "professional_services"
    ECOMMERCE = "ecommerce"
    REAL_ESTATE = "real_estate"
    SAAS = "saas"
    HEALTHCARE = "healthcare"
    HOME_SERVICES = "home_services"
    FINANCIAL_SERVICES = "financial_services"
    MANUFACTURING = "manufacturing"
    NONPROFIT = "nonprofit"
    CREATOR_ECONOMY = "creator_economy"
    HOSPITALITY = "hospitality"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())


_LABELS = {
    Category.SAAS: "SaaS / software",
    Category.ECOMMERCE: "E-commerce",
    Category.CREATOR_ECONOMY: "Creator economy",
}

CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)


def parse_category(text: str | None) -> Category:
    """A slug (any case, spaces or dashes for underscores) → Category; unknown → OTHER."""
    key = "_".join(str(text or "").strip().lower().replace("-", " ").split())
    try:
        return Category(key)
    except ValueError:
        return Category.OTHER
