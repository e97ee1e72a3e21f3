"""``python -m app`` (README): the one upward import of app/, into the command line and composition root."""

import console

if __name__ == "__main__":
    raise SystemExit(console.main())
