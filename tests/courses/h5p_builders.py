"""Small `.h5p` packages built in memory for tests: a valid one and helpers to break it."""

import io
import json
import stat
import zipfile

LIBRARY = {"machineName": "H5P.Tiny", "majorVersion": 1, "minorVersion": 2}
LIBRARY_FOLDER = "H5P.Tiny-1.2"
LIBRARY_JSON = {
    "title": "Tiny",
    "machineName": "H5P.Tiny",
    "majorVersion": 1,
    "minorVersion": 2,
    "patchVersion": 3,
    "runnable": 1,
    "preloadedJs": [{"path": "js/tiny.js"}],
    "preloadedCss": [{"path": "css/tiny.css"}],
}
H5P_JSON = {
    "title": "Bài tập nhỏ",
    "language": "vi",
    "mainLibrary": "H5P.Tiny",
    "embedTypes": ["iframe"],
    "preloadedDependencies": [LIBRARY],
}
CONTENT_JSON = {"question": "Chữ ký số có giá trị pháp lý?", "correct": True}
SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
    b'<rect width="4" height="4"/></svg>'
)


def valid_files() -> dict:
    """name -> bytes (or dict/list, written as JSON) of a valid package."""
    return {
        "h5p.json": H5P_JSON,
        "content/content.json": CONTENT_JSON,
        "content/images/picture.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 16,
        f"{LIBRARY_FOLDER}/library.json": LIBRARY_JSON,
        f"{LIBRARY_FOLDER}/js/tiny.js": b"H5P.Tiny = function () {};",
        f"{LIBRARY_FOLDER}/css/tiny.css": b".tiny { color: red; }",
        f"{LIBRARY_FOLDER}/icon.svg": SAFE_SVG,
    }


def build_zip(files: dict, *, symlinks: tuple = (), compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            if isinstance(data, (dict, list)):
                data = json.dumps(data, ensure_ascii=False).encode()
            if name in symlinks:
                info = zipfile.ZipInfo(name)
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, data)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "goi.h5p") -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def package(**changes) -> io.BytesIO:
    """A valid package with files replaced (value) or removed (None)."""
    files = valid_files()
    for name, data in changes.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    return upload(build_zip(files))


def with_files(extra: dict, *, drop: tuple = (), symlinks: tuple = ()) -> io.BytesIO:
    files = valid_files()
    for name in drop:
        files.pop(name)
    files.update(extra)
    return upload(build_zip(files, symlinks=symlinks))


def lying_size_zip(name: str, real: bytes, declared: int) -> bytes:
    """A stored member whose central directory claims `declared` unpacked bytes instead of its
    real size: the limits pass on the claim, the reader must notice the truth."""
    data = build_zip({**valid_files(), name: real}, compression=zipfile.ZIP_STORED)
    encoded = name.encode()
    position = 0
    while True:
        position = data.find(b"PK\x01\x02", position)
        assert position != -1, "member not found"
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length] == encoded:
            break
        position += 4
    # The uncompressed size is 24 bytes into a central directory header.
    assert int.from_bytes(data[position + 24 : position + 28], "little") == len(real)
    return data[: position + 24] + declared.to_bytes(4, "little") + data[position + 28 :]
