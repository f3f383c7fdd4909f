"""Payments tasks: thin, they take ids, call one service, and are safe to run twice."""

__all__: list[str] = []
