"""Helpers shared by every app, importing none of them."""
