"""`make demo`: one UCLG Culture 21 bid through the whole pipeline, offline, with sample
materials of its own. Not part of the product package: it only drives it."""
