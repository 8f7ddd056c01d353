"""Intake: asking departments for their materials and accepting what they upload, safely."""
