"""Reads of courses."""
