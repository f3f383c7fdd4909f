"""Mandatory digital-skills training: courses, lessons, H5P, progress, certificates, compliance."""
