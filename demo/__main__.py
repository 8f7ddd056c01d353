"""`python -m demo` (what `make demo` runs)."""

from demo.run import run_demo

run_demo()
