"""综窗 counter client: the counter's domain and its store (no Qt here)."""

__version__ = "0.1.0"
APP_NAME = "zongchuang"
