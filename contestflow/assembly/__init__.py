"""Assembling a submission's package to the contest's rules: checks, files, manifest."""
