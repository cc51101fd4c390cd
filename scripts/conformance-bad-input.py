#!/usr/bin/env python3
"""Bad-input corpus (tests/conformance/bad-input/): the chart corpus script
with `--suite bad-input` (each case also run with `--output-dir out`). Same
usage as conformance-charts.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util

spec = importlib.util.spec_from_file_location(
    "conformance_charts", os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance-charts.py"))
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)

if __name__ == "__main__":
    sys.exit(mod.main(["--suite", "bad-input"] + sys.argv[1:]))
