"""Where H5P files live in the private storage, and how they are written and found again.

Layout under settings.PRIVATE_ROOT / "h5p":
    libraries/<machineName-major.minor>/...   shared by all content
    content/<public_id>/h5p.json, content/... one folder per uploaded activity
    .staging/<random>/                        an import in progress (removed when it ends)
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .package import H5PPackage, H5PPackageError, member_name_check


def h5p_root() -> Path:
    return Path(settings.PRIVATE_ROOT) / "h5p"


def h5p_library_dir(folder_name: str) -> Path:
    return h5p_root() / "libraries" / folder_name


def h5p_content_dir(public_id) -> Path:
    return h5p_root() / "content" / str(public_id)


def staging_dir_create() -> Path:
    """A fresh folder on the same file system as the final places, so moves are renames."""
    path = h5p_root() / ".staging" / uuid.uuid4().hex
    path.mkdir(parents=True, mode=0o750)
    return path


def _member_write(package: H5PPackage, member: str, target: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    # "x": never follow or replace something already there.
    with open(target, "xb") as output:
        for chunk in package.member_open(member):
            output.write(chunk)
            written += len(chunk)
    return written


def package_files_stage(*, package: H5PPackage, staging: Path, library_folders: list[str]) -> int:
    """Write the content files and the named library folders into `staging`; returns the bytes
    written. Every name was checked by the validator; it is checked once more here because this is
    where it would do harm."""
    written = 0
    for member in package.content_members:
        member_name_check(member)
        written += _member_write(package, member, staging / "content" / member)
        _cap(written)
    for folder in library_folders:
        for member in package.libraries[folder].members:
            member_name_check(member)
            written += _member_write(package, member, staging / "libraries" / member)
            _cap(written)
    return written


def _cap(written: int) -> None:
    if written > settings.H5P_MAX_PACKAGE_BYTES:
        raise H5PPackageError(
            _("The package unpacks to more than %(limit)s MB.")
            % {"limit": settings.H5P_MAX_PACKAGE_BYTES // (1024 * 1024)},
            code="package_too_large",
        )


def tree_remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def staged_tree_move(source: Path, target: Path) -> None:
    """Rename a staged folder into place. A folder already at `target` is a leftover of an import
    that died between the move and its commit (no row points at it), so it is replaced."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        tree_remove(target)
    os.rename(source, target)


def resolve_file(base: Path, file_path: str) -> Path | None:
    """The regular file `file_path` names under `base`, or None when the path is unsafe, leaves
    `base` (also through a symlink) or names nothing."""
    if not file_path or len(file_path) > 1024:
        return None
    try:
        member_name_check(file_path)
    except H5PPackageError:
        return None
    if file_path.endswith("/"):
        return None
    root = base.resolve()
    candidate = base.joinpath(*file_path.split("/"))
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved
