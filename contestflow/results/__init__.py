"""The outcomes ledger: recording results, importing history, reports, charts, the calendar.

Import the submodules you need; this package imports nothing heavy (matplotlib, openpyxl) on
its own. See README.md in this folder.
"""
