"""Wagtail admin screens of courses."""
