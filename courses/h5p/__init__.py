"""Our own H5P package handling: read and validate a `.h5p` ZIP without unpacking it, write its
files into the private storage, and the rules for serving them back.

Decisions where H5P core leaves room (kept strict on purpose):
- A library folder must be named `machineName-major.minor`; core also accepts a bare `machineName`.
- Names starting with "." (hidden files and folders) are refused anywhere; the `__MACOSX/` tree
  that macOS archivers add is skipped silently and never written.
- Files at the top level other than `h5p.json` (e.g. a placeholder `.txt`) are skipped, never
  written, but still refused if their extension is not on the whitelist.
- `editorDependencies` are not required: exported content often leaves editor libraries out, and
  the player never loads them (H5P core does not require them for content either).
- A library version (machineName-major.minor) already installed is reused as it is: a package that
  carries a newer patch of it does not replace the installed files.
"""
