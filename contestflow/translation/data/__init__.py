"""Data shipped with the translation package: the seed glossary."""
