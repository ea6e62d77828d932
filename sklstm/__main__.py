"""``python -m sklstm``: train a forecaster on shipped data and report it."""

from .demo import main

if __name__ == "__main__":
    raise SystemExit(main())
