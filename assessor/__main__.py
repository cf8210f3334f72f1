"""`python -m assessor`."""

from .cli import main

raise SystemExit(main())
