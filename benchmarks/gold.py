"""Agreement of the rules with the project's gold clauses, by kind and by criterion, with every failing clause.

    .venv/bin/python benchmarks/gold.py [tests/gold] [--kind K] [--criterion ID] [--json]

The same as `python -m assessor.gold`; `tests/test_gold.py` fails CI when agreement drops below its FLOOR.
"""

from assessor.gold import main

if __name__ == "__main__":
    raise SystemExit(main())
