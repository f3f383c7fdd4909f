"""Views of courses: thin, they parse, check permission, call one service and render."""
