"""Writes of courses."""
