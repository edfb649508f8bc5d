"""ARRS pages: the staff register (posts), monthly claims, and the approval queue."""
