"""Admin screens: orders."""

viewsets: list = []
