"""Prefect flows: each takes ids, calls the core through tasks, and ends; waits live in the DB."""
