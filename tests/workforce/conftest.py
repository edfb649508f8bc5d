"""Fixtures of the ARRS tests."""

from tests.workforce.budget_world import on_day, year_2025  # noqa: F401
