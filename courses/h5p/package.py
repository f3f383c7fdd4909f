"""Read and validate a `.h5p` package from its ZIP central directory, before anything is unpacked.

`h5p_package_read` checks names, sizes, counts and compression ratios from the central directory
first, then reads only the small JSON and SVG files it must look inside, each through a
byte-counting reader with a cap (a ZIP header may lie about sizes). Nothing is written to disk here.
"""

from __future__ import annotations

import json
import re
import stat
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPE/ENTITY are refused before parsing
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

# H5P core's whitelist for content files; library folders may also hold code and markup.
CONTENT_EXTENSIONS = frozenset(
    [
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "csv",
        "diff",
        "patch",
        "swf",
        "md",
        "textile",
        "vtt",
        "webvtt",
        "gltf",
        "glb",
    ]
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}

# A file that unpacks to more than this many times its packed size is a bomb, not an activity.
MAX_COMPRESSION_RATIO = 100
# Small files may compress extremely well (a run of spaces); the ratio is only checked above this.
RATIO_CHECK_FROM_BYTES = 1024 * 1024
# JSON and SVG files are parsed in memory: keep them small whatever the per-file limit is.
MAX_PARSED_FILE_BYTES = 4 * 1024 * 1024
READ_CHUNK = 64 * 1024

MACHINE_NAME_RE = re.compile(r"^[A-Za-z][\w.\-]{0,126}$")
LIBRARY_FOLDER_RE = re.compile(r"^(?P<name>[A-Za-z][\w.\-]{0,126})-(?P<major>\d+)\.(?P<minor>\d+)$")
DRIVE_RE = re.compile(r"^[A-Za-z]:")
SKIPPED_TREES = ("__MACOSX/",)
# Elements that can run script or embed another document inside an SVG.
SVG_ACTIVE_ELEMENTS = frozenset(
    {
        "script",
        "foreignobject",
        "iframe",
        "embed",
        "object",
        "handler",
        "listener",
        "audio",
        "video",
    }
)
SVG_LINK_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "values", "to", "from", "by"}
)
SAFE_DATA_URL_RE = re.compile(r"^data:image/(png|jpe?g|gif|webp);", re.IGNORECASE)


class H5PPackageError(Exception):
    """The package is refused; `message` is the translated text shown to the uploader."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class LibraryRef:
    machine_name: str
    major_version: int
    minor_version: int

    @property
    def folder_name(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major_version}.{self.minor_version}"


@dataclass
class PackageLibrary:
    """One library folder of the package, with its parsed library.json."""

    ref: LibraryRef
    patch_version: int
    title: str
    metadata: dict
    # ZIP member names of the folder's files, e.g. "H5P.TrueFalse-1.6/js/truefalse.js".
    members: list[str] = field(default_factory=list)

    @property
    def requires(self) -> list[LibraryRef]:
        """Libraries the player may load with this one (editor-only libraries excluded)."""
        return [
            *_dependency_refs(self.metadata, "preloadedDependencies", self.ref.folder_name),
            *_dependency_refs(self.metadata, "dynamicDependencies", self.ref.folder_name),
        ]


@dataclass
class H5PPackage:
    """A validated package: what to store and how the pieces depend on each other."""

    metadata: dict
    title: str
    language: str
    main_library: LibraryRef
    dependencies: list[LibraryRef]
    libraries: dict[str, PackageLibrary]
    # ZIP member names to store under the content folder: "h5p.json" and "content/...".
    content_members: list[str]
    unpacked_bytes: int
    zip_file: zipfile.ZipFile

    def member_open(self, name: str) -> Iterator[bytes]:
        """The member's bytes in chunks, counted against its declared size and the file limit."""
        return _member_chunks(self.zip_file, self.zip_file.getinfo(name))


def _fail(message: str, code: str) -> H5PPackageError:
    return H5PPackageError(message, code=code)


def _extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def member_name_check(name: str) -> None:
    """Refuse anything that could land outside its folder or hide in it."""
    if not name or "\x00" in name or any(ord(char) < 32 for char in name):
        raise _fail(_("The package contains a file with an invalid name."), "name_invalid")
    if "\\" in name:
        raise _fail(
            _("The file name “%(name)s” contains a backslash.") % {"name": name}, "name_backslash"
        )
    if name.startswith("/") or DRIVE_RE.match(name):
        raise _fail(
            _("The file “%(name)s” has an absolute path.") % {"name": name}, "name_absolute"
        )
    parts = name.rstrip("/").split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise _fail(
                _("The file name “%(name)s” points outside its folder.") % {"name": name},
                "name_traversal",
            )
        if part.startswith("."):
            raise _fail(
                _("The package contains a hidden file or folder: “%(name)s”.") % {"name": name},
                "name_hidden",
            )


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    # Unix archivers keep the file mode in the high 16 bits of the external attributes.
    return stat.S_ISLNK(info.external_attr >> 16)


def _member_chunks(zip_file: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Read a member in chunks, refusing it as soon as it yields more than it declared."""
    limit = min(info.file_size, settings.H5P_MAX_FILE_BYTES)
    seen = 0
    try:
        with zip_file.open(info) as stream:
            while True:
                chunk = stream.read(READ_CHUNK)
                if not chunk:
                    break
                seen += len(chunk)
                if seen > limit:
                    raise _fail(
                        _("The file “%(name)s” is larger than its archive entry says.")
                        % {"name": info.filename},
                        "size_lying",
                    )
                yield chunk
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _fail(
            _("The file “%(name)s” in the package is damaged.") % {"name": info.filename},
            "member_damaged",
        ) from error
    except NotImplementedError as error:
        raise _fail(
            _("The file “%(name)s” uses a compression method that is not supported.")
            % {"name": info.filename},
            "member_compression",
        ) from error


def _member_bytes(zip_file: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_PARSED_FILE_BYTES:
        raise _fail(
            _("The file “%(name)s” is too large to be checked.") % {"name": info.filename},
            "parsed_too_large",
        )
    return b"".join(_member_chunks(zip_file, info))


def _json_member(zip_file: zipfile.ZipFile, name: str, *, missing_code: str) -> dict:
    try:
        info = zip_file.getinfo(name)
    except KeyError:
        raise _fail(_("The package has no %(name)s file.") % {"name": name}, missing_code) from None
    raw = _member_bytes(zip_file, info)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _fail(
            _("The file %(name)s is not valid JSON.") % {"name": name}, "json_invalid"
        ) from error
    if not isinstance(data, dict):
        raise _fail(_("The file %(name)s is not a JSON object.") % {"name": name}, "json_invalid")
    return data


def _version(value) -> int | None:
    """H5P writes versions as numbers, some exporters as digit strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.isdigit() and len(value) <= 5:
        return int(value)
    return None


def _dependency_refs(metadata: dict, key: str, where: str) -> list[LibraryRef]:
    entries = metadata.get(key, [])
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise _fail(
            _("%(file)s: “%(key)s” must be a list of libraries.") % {"file": where, "key": key},
            "dependency_invalid",
        )
    refs = []
    for entry in entries:
        name = entry.get("machineName") if isinstance(entry, dict) else None
        major = _version(entry.get("majorVersion")) if isinstance(entry, dict) else None
        minor = _version(entry.get("minorVersion")) if isinstance(entry, dict) else None
        if not isinstance(name, str) or not MACHINE_NAME_RE.match(name) or None in (major, minor):
            raise _fail(
                _(
                    "%(file)s: an entry of “%(key)s” needs machineName, majorVersion and "
                    "minorVersion."
                )
                % {"file": where, "key": key},
                "dependency_invalid",
            )
        refs.append(LibraryRef(name, major, minor))
    return refs


def _check_h5p_json(metadata: dict) -> tuple[LibraryRef, list[LibraryRef]]:
    for key in ("title", "language", "mainLibrary", "preloadedDependencies", "embedTypes"):
        if key not in metadata:
            raise _fail(
                _("h5p.json has no “%(field)s” field.") % {"field": key}, "h5p_json_field_missing"
            )
    if not isinstance(metadata["title"], str) or not metadata["title"].strip():
        raise _fail(_("h5p.json: the title is empty."), "h5p_json_field_invalid")
    if not isinstance(metadata["language"], str) or len(metadata["language"]) > 10:
        raise _fail(_("h5p.json: the language is not a language code."), "h5p_json_field_invalid")
    main = metadata["mainLibrary"]
    if not isinstance(main, str) or not MACHINE_NAME_RE.match(main):
        raise _fail(_("h5p.json: mainLibrary is not a library name."), "h5p_json_field_invalid")
    embed_types = metadata["embedTypes"]
    if (
        not isinstance(embed_types, list)
        or not embed_types
        or any(kind not in ("div", "iframe") for kind in embed_types)
    ):
        raise _fail(
            _("h5p.json: embedTypes must list “div” and/or “iframe”."), "h5p_json_field_invalid"
        )
    if (
        not isinstance(metadata["preloadedDependencies"], list)
        or not metadata["preloadedDependencies"]
    ):
        raise _fail(
            _("h5p.json: preloadedDependencies must list the libraries."),
            "h5p_json_field_invalid",
        )
    dependencies = _dependency_refs(metadata, "preloadedDependencies", "h5p.json")
    main_refs = [ref for ref in dependencies if ref.machine_name == main]
    if not main_refs:
        raise _fail(
            _("h5p.json: the main library %(library)s is not among its dependencies.")
            % {"library": main},
            "main_library_missing",
        )
    return main_refs[0], dependencies


def _check_library(folder: str, metadata: dict, member_names: set[str]) -> PackageLibrary:
    where = f"{folder}/library.json"
    for key in ("machineName", "majorVersion", "minorVersion", "patchVersion", "title"):
        if key not in metadata:
            raise _fail(
                _("%(file)s has no “%(field)s” field.") % {"file": where, "field": key},
                "library_json_field_missing",
            )
    name = metadata["machineName"]
    major, minor, patch = (
        _version(metadata[key]) for key in ("majorVersion", "minorVersion", "patchVersion")
    )
    if (
        not isinstance(name, str)
        or not MACHINE_NAME_RE.match(name)
        or None in (major, minor, patch)
    ):
        raise _fail(
            _("%(file)s: the library name or version is not valid.") % {"file": where},
            "library_json_field_invalid",
        )
    if not isinstance(metadata["title"], str) or not metadata["title"].strip():
        raise _fail(
            _("%(file)s: the title is empty.") % {"file": where}, "library_json_field_invalid"
        )
    ref = LibraryRef(name, major, minor)
    if folder != ref.folder_name:
        raise _fail(
            _(
                "The library folder “%(folder)s” does not match its library.json "
                "(expected “%(expected)s”)."
            )
            % {"folder": folder, "expected": ref.folder_name},
            "library_folder_mismatch",
        )
    for key, extension in (("preloadedJs", "js"), ("preloadedCss", "css")):
        entries = metadata.get(key) or []
        if not isinstance(entries, list):
            raise _fail(
                _("%(file)s: “%(key)s” must be a list of files.") % {"file": where, "key": key},
                "library_json_field_invalid",
            )
        for entry in entries:
            path = entry.get("path") if isinstance(entry, dict) else None
            if not isinstance(path, str) or _extension(path) != extension:
                raise _fail(
                    _("%(file)s: an entry of “%(key)s” is not a .%(ext)s file.")
                    % {"file": where, "key": key, "ext": extension},
                    "library_json_field_invalid",
                )
            if f"{folder}/{path}" not in member_names:
                raise _fail(
                    _("The library %(library)s lists %(path)s, which is not in the package.")
                    % {"library": folder, "path": path},
                    "preloaded_file_missing",
                )
    return PackageLibrary(
        ref=ref, patch_version=patch, title=metadata["title"].strip()[:255], metadata=metadata
    )


def _check_svg(zip_file: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an SVG that could run script when opened in the site's origin."""
    raw = _member_bytes(zip_file, info)
    refused = _fail(
        _("The image %(name)s contains script or active content.") % {"name": info.filename},
        "svg_active",
    )
    lowered = raw.lower()
    # A public DOCTYPE (icon fonts have one) is harmless: expat fetches nothing. Entities are not.
    if b"<!entity" in lowered:
        raise refused
    try:
        root = ET.fromstring(raw)  # noqa: S314 - no DTD or entities can be left at this point
    except ET.ParseError as error:
        raise _fail(
            _("The image %(name)s is not a valid SVG file.") % {"name": info.filename},
            "svg_invalid",
        ) from error
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag in SVG_ACTIVE_ELEMENTS:
            raise refused
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            compact = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
            if local.startswith("on"):
                raise refused
            if "javascript:" in compact or "vbscript:" in compact:
                raise refused
            if (
                local in SVG_LINK_ATTRIBUTES
                and compact.startswith("data:")
                and not SAFE_DATA_URL_RE.match(compact)
            ):
                raise refused
            if local == "attributename" and compact in ("href", "xlink:href"):
                # <set>/<animate> rewriting a link at run time.
                raise refused


def _open_zip(upload: BinaryIO | IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _fail(
            _("The file is not a valid H5P package (not a ZIP archive)."), "not_zip"
        ) from error


def _check_central_directory(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Names, symlinks, counts, sizes and ratios, from the central directory alone."""
    files = []
    seen_names: set[str] = set()
    for info in infos:
        name = info.filename
        if name.startswith(SKIPPED_TREES):
            continue
        member_name_check(name)
        if _is_symlink(info):
            raise _fail(
                _("The package contains a symbolic link: “%(name)s”.") % {"name": name},
                "symlink",
            )
        if info.flag_bits & 0x1:
            raise _fail(_("The package is encrypted."), "encrypted")
        folded = name.rstrip("/").casefold()
        if folded in seen_names:
            raise _fail(
                _("The package contains “%(name)s” twice.") % {"name": name}, "name_duplicate"
            )
        seen_names.add(folded)
        if not info.is_dir():
            files.append(info)
    if len(files) > settings.H5P_MAX_FILES:
        raise _fail(
            _("The package contains %(count)s files; at most %(limit)s are allowed.")
            % {"count": len(files), "limit": settings.H5P_MAX_FILES},
            "too_many_files",
        )
    total = 0
    for info in files:
        if info.file_size > settings.H5P_MAX_FILE_BYTES:
            raise _fail(
                _("The file “%(name)s” is larger than %(limit)s MB.")
                % {"name": info.filename, "limit": settings.H5P_MAX_FILE_BYTES // (1024 * 1024)},
                "file_too_large",
            )
        if info.file_size > RATIO_CHECK_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise _fail(
                _("The file “%(name)s” is compressed suspiciously well (possible zip bomb).")
                % {"name": info.filename},
                "compression_ratio",
            )
        total += info.file_size
    if total > settings.H5P_MAX_PACKAGE_BYTES:
        raise _fail(
            _("The package unpacks to more than %(limit)s MB.")
            % {"limit": settings.H5P_MAX_PACKAGE_BYTES // (1024 * 1024)},
            "package_too_large",
        )
    return files


def h5p_package_read(
    *,
    upload: BinaryIO | IO[bytes],
    library_installed: Callable[[LibraryRef], bool] = lambda ref: False,
) -> H5PPackage:
    """Validate a `.h5p` upload (a seekable binary file) and describe what it holds.

    `library_installed` says whether a dependency missing from the package is already installed.
    Raises H5PPackageError with a translated message naming the problem; reads no more than the
    small JSON/SVG files it must check, and writes nothing.
    """
    size = _upload_size(upload)
    if size > settings.H5P_MAX_PACKAGE_BYTES:
        raise _fail(
            _("The package is larger than %(limit)s MB.")
            % {"limit": settings.H5P_MAX_PACKAGE_BYTES // (1024 * 1024)},
            "package_too_large",
        )
    zip_file = _open_zip(upload)
    files = _check_central_directory(zip_file.infolist())
    member_names = {info.filename for info in files}

    content_members: list[str] = []
    library_members: dict[str, list[zipfile.ZipInfo]] = {}
    for info in files:
        name = info.filename
        extension = _extension(name)
        if "/" not in name:
            if name == "h5p.json":
                content_members.append(name)
            elif extension not in CONTENT_EXTENSIONS:
                raise _refused_extension(name)
            # Any other top-level file is skipped: the player never asks for it.
            continue
        top = name.split("/", 1)[0]
        if top == "content":
            if extension not in CONTENT_EXTENSIONS:  # no SVG, JS or CSS under content/
                raise _refused_extension(name)
            content_members.append(name)
        else:
            if extension not in LIBRARY_EXTENSIONS:
                raise _refused_extension(name)
            library_members.setdefault(top, []).append(info)

    metadata = _json_member(zip_file, "h5p.json", missing_code="h5p_json_missing")
    main_ref, dependencies = _check_h5p_json(metadata)
    _json_member(zip_file, "content/content.json", missing_code="content_json_missing")

    # Library SVGs are served as images from the site's origin: none may carry script.
    for infos in library_members.values():
        for info in infos:
            if _extension(info.filename) == "svg":
                _check_svg(zip_file, info)

    libraries: dict[str, PackageLibrary] = {}
    for folder, infos in sorted(library_members.items()):
        if not LIBRARY_FOLDER_RE.match(folder):
            raise _fail(
                _(
                    "The folder “%(folder)s” is not a library folder "
                    "(expected a name like H5P.Example-1.0)."
                )
                % {"folder": folder},
                "library_folder_mismatch",
            )
        library_json = _json_member(
            zip_file, f"{folder}/library.json", missing_code="library_json_missing"
        )
        library = _check_library(folder, library_json, member_names)
        library.members = [info.filename for info in infos]
        libraries[library.ref.folder_name] = library

    available = {library.ref for library in libraries.values()}
    required: list[tuple[LibraryRef, str]] = [(ref, "h5p.json") for ref in dependencies]
    for library in libraries.values():
        required += [(ref, library.ref.folder_name) for ref in library.requires]
    checked: set[LibraryRef] = set()
    for ref, needed_by in required:
        if ref in available or ref in checked:
            continue
        if not library_installed(ref):
            code = "main_library_missing" if ref == main_ref else "dependency_missing"
            raise _fail(
                _("The library %(library)s needed by %(needed_by)s is not in the package.")
                % {"library": ref, "needed_by": needed_by},
                code,
            )
        checked.add(ref)

    unpacked = sum(zip_file.getinfo(name).file_size for name in content_members) + sum(
        info.file_size for infos in library_members.values() for info in infos
    )
    return H5PPackage(
        metadata=metadata,
        title=metadata["title"].strip()[:255],
        language=metadata["language"],
        main_library=main_ref,
        dependencies=dependencies,
        libraries=libraries,
        content_members=content_members,
        unpacked_bytes=unpacked,
        zip_file=zip_file,
    )


def _refused_extension(name: str) -> H5PPackageError:
    return _fail(
        _("The file “%(name)s” has a file type that is not allowed.") % {"name": name},
        "extension_refused",
    )


def _upload_size(upload) -> int:
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        return size
    position = upload.tell()
    upload.seek(0, 2)
    end = upload.tell()
    upload.seek(position)
    return end
