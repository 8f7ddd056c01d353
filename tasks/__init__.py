"""Prefect tasks: thin wrappers that give core functions retries, logging and concurrency."""
