"""The web app and HTTP API (``propscope serve``)."""

from propscope.server.app import create_app

__all__ = ["create_app"]
