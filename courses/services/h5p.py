"""Importing an H5P package: validate, store the files privately, record libraries and content.

Limits of client-side H5P scoring: content/content.json holds the correct answers and is sent to
the learner's browser, and the score in an xAPI statement is computed there. An H5P score can show
that a learner practised; it is never proof of knowledge. A course with a server-graded final test
must certify on that test, not on H5P results alone.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from ..h5p import storage
from ..h5p.package import H5PPackage, H5PPackageError, LibraryRef, h5p_package_read
from ..models import H5PContent, H5PLibrary

logger = logging.getLogger(__name__)


def _library_lookup(ref: LibraryRef) -> H5PLibrary | None:
    return H5PLibrary.objects.filter(
        machine_name=ref.machine_name,
        major_version=ref.major_version,
        minor_version=ref.minor_version,
    ).first()


def _dependency_closure(package: H5PPackage, rows: dict[LibraryRef, H5PLibrary]) -> set[LibraryRef]:
    """Every library the content can load: h5p.json's dependencies and what they need in turn."""
    seen: set[LibraryRef] = set()
    pending = list(package.dependencies)
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        in_package = package.libraries.get(ref.folder_name)
        if in_package is not None:
            pending += in_package.requires
        elif ref in rows:
            pending += [
                LibraryRef(dep.machine_name, dep.major_version, dep.minor_version)
                for dep in rows[ref].dependencies.all()
            ]
    return seen


LIBRARY_INSTALL_PERMISSION = "courses.add_h5plibrary"


def _check_library_install_allowed(package: H5PPackage, user) -> None:
    """Library JavaScript runs in the player's frame on the site's origin, so a package that
    brings libraries not installed yet needs the library permission (administrators); course
    managers may upload content for installed libraries. `user=None` is the system (demo seed,
    commands)."""
    if user is None or user.has_perm(LIBRARY_INSTALL_PERMISSION):
        return
    new = sorted(
        folder
        for folder, library in package.libraries.items()
        if _library_lookup(library.ref) is None
    )
    if new:
        raise H5PPackageError(
            _(
                "This package installs new H5P libraries (%(libraries)s), which run code in the "
                "site: ask an administrator to upload it once; afterwards you can upload content "
                "that uses them."
            )
            % {"libraries": ", ".join(new)},
            code="library_install_refused",
        )


def h5p_package_import(*, upload: BinaryIO | IO[bytes], user=None) -> H5PContent:
    """Validate an uploaded `.h5p` file and install it; returns the new H5PContent.

    Libraries are stored once per machineName-major.minor: one already installed is reused as it
    is (its files are never replaced, even by a newer patch version). Files are written into a
    staging folder inside PRIVATE_ROOT, then renamed into place before the transaction commits.
    On any failure nothing remains: no rows, no files (moved folders are removed again).
    Raises H5PPackageError with a translated message when the package is refused.
    """
    source_name = Path(getattr(upload, "name", "") or "package.h5p").name[:255]
    package = h5p_package_read(
        upload=upload, library_installed=lambda ref: _library_lookup(ref) is not None
    )
    _check_library_install_allowed(package, user)
    staging = storage.staging_dir_create()
    moved: list[Path] = []
    try:
        with transaction.atomic():
            rows: dict[LibraryRef, H5PLibrary] = {}
            created: list[str] = []
            for folder, library in package.libraries.items():
                row, was_created = H5PLibrary.objects.get_or_create(
                    machine_name=library.ref.machine_name,
                    major_version=library.ref.major_version,
                    minor_version=library.ref.minor_version,
                    defaults={
                        "patch_version": library.patch_version,
                        "title": library.title,
                        "metadata": library.metadata,
                    },
                )
                rows[library.ref] = row
                if was_created:
                    created.append(folder)
            # Dependencies found installed rather than in the package.
            needed = set(package.dependencies)
            for library in package.libraries.values():
                needed.update(library.requires)
            for ref in needed - rows.keys():
                row = _library_lookup(ref)
                if row is None:  # pragma: no cover - removed since validation
                    raise H5PPackageError(
                        _("The library %(library)s is not installed.") % {"library": ref},
                        code="dependency_missing",
                    )
                rows[ref] = row
            for folder in created:
                library = package.libraries[folder]
                library_row = rows[library.ref]
                library_row.dependencies.set(
                    {rows[ref].pk for ref in library.requires if ref in rows}
                )

            content = H5PContent(
                title=package.title,
                language=package.language[:10],
                main_library=rows[package.main_library],
                metadata=package.metadata,
                source_name=source_name,
                size_bytes=package.unpacked_bytes,
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            )
            content.full_clean(exclude=["main_library", "uploaded_by"])
            content.save()
            content.libraries.set(
                {rows[ref].pk for ref in _dependency_closure(package, rows) if ref in rows}
            )

            written = storage.package_files_stage(
                package=package, staging=staging, library_folders=created
            )
            if written != content.size_bytes:
                content.size_bytes = written
                content.save(update_fields=["size_bytes"])
            for folder in created:
                target = storage.h5p_library_dir(folder)
                storage.staged_tree_move(staging / "libraries" / folder, target)
                moved.append(target)
            target = storage.h5p_content_dir(content.public_id)
            storage.staged_tree_move(staging / "content", target)
            moved.append(target)
    except BaseException:
        for path in moved:
            storage.tree_remove(path)
        raise
    finally:
        storage.tree_remove(staging)
        package.zip_file.close()
    logger.info("H5P package %s installed as %s", source_name, content.public_id)
    return content


def h5p_content_delete(*, content: H5PContent) -> None:
    """Delete an activity and its content files; shared libraries stay. Refused (ProtectedError)
    while a lesson activity still points at it."""
    folder = storage.h5p_content_dir(content.public_id)
    with transaction.atomic():
        content.delete()
        transaction.on_commit(lambda: storage.tree_remove(folder))
