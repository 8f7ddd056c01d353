"""Submissions: opening one for a contest edition, its lifecycle, and how far it has come."""
