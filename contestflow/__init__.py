"""contestflow: a city's entries to international contests, from call to result."""

__version__ = "0.1.0"
