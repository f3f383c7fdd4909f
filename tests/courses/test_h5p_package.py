"""Importing `.h5p` packages: valid ones are stored once, every kind of bad one is refused with a
message naming the problem, and a refused one leaves no rows and no files."""

import io
import zipfile

import pytest
from django.conf import settings
from django.utils import translation

from courses.h5p import storage
from courses.h5p.package import H5PPackageError
from courses.models import H5PContent, H5PLibrary
from courses.services.h5p import h5p_package_import
from tests.courses import h5p_builders as b

pytestmark = pytest.mark.django_db


def stored_files():
    root = storage.h5p_root()
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def assert_refused(upload, code, *, contains=""):
    with translation.override("en"), pytest.raises(H5PPackageError) as caught:
        h5p_package_import(upload=upload, user=None)
    assert caught.value.code == code, caught.value.message
    assert contains in caught.value.message
    assert not H5PContent.objects.exists()
    assert not H5PLibrary.objects.exists()
    assert stored_files() == []
    return caught.value


def test_valid_package_is_stored_privately():
    content = h5p_package_import(upload=b.package(), user=None)

    assert content.title == "Bài tập nhỏ"
    assert content.language == "vi"
    assert content.main_library.folder_name == "H5P.Tiny-1.2"
    assert content.main_library.patch_version == 3
    assert list(content.libraries.all()) == [content.main_library]
    assert content.source_name == "goi.h5p"
    files = stored_files()
    folder = f"content/{content.public_id}"
    assert f"{folder}/h5p.json" in files
    assert f"{folder}/content/content.json" in files
    assert f"{folder}/content/images/picture.png" in files
    assert "libraries/H5P.Tiny-1.2/js/tiny.js" in files
    assert "libraries/H5P.Tiny-1.2/library.json" in files
    assert not any(name.startswith(".staging") for name in files)
    # Private storage only: nothing under MEDIA_ROOT.
    assert not list(__import__("pathlib").Path(settings.MEDIA_ROOT).rglob("*.json"))


def test_library_is_stored_once_and_never_overwritten():
    first = h5p_package_import(upload=b.package(), user=None)
    library_js = storage.h5p_library_dir("H5P.Tiny-1.2") / "js" / "tiny.js"
    newer = {**b.LIBRARY_JSON, "patchVersion": 9}
    second = h5p_package_import(
        upload=b.package(
            **{"H5P.Tiny-1.2/library.json": newer, "H5P.Tiny-1.2/js/tiny.js": b"changed();"}
        ),
        user=None,
    )

    assert H5PLibrary.objects.count() == 1
    assert first.main_library_id == second.main_library_id
    assert H5PLibrary.objects.get().patch_version == 3
    assert library_js.read_bytes() == b"H5P.Tiny = function () {};"
    assert H5PContent.objects.count() == 2


def test_dependency_already_installed_may_be_left_out():
    h5p_package_import(upload=b.package(), user=None)
    files = b.valid_files()
    lean = {name: data for name, data in files.items() if not name.startswith("H5P.Tiny-1.2/")}
    content = h5p_package_import(upload=b.upload(b.build_zip(lean)), user=None)
    assert content.main_library.folder_name == "H5P.Tiny-1.2"


def test_library_dependencies_are_recorded():
    helper_json = {
        "title": "Helper",
        "machineName": "H5P.Helper",
        "majorVersion": 2,
        "minorVersion": 0,
        "patchVersion": 0,
        "preloadedJs": [{"path": "helper.js"}],
    }
    tiny = {
        **b.LIBRARY_JSON,
        "preloadedDependencies": [
            {"machineName": "H5P.Helper", "majorVersion": "2", "minorVersion": "0"}
        ],
        # Editor libraries are left out of exports; they are not required.
        "editorDependencies": [
            {"machineName": "H5PEditor.Gone", "majorVersion": 1, "minorVersion": 0}
        ],
    }
    content = h5p_package_import(
        upload=b.with_files(
            {
                "H5P.Tiny-1.2/library.json": tiny,
                "H5P.Helper-2.0/library.json": helper_json,
                "H5P.Helper-2.0/helper.js": b"var helper;",
            }
        ),
        user=None,
    )
    main = content.main_library
    assert [lib.folder_name for lib in main.dependencies.all()] == ["H5P.Helper-2.0"]
    assert sorted(lib.folder_name for lib in content.libraries.all()) == [
        "H5P.Helper-2.0",
        "H5P.Tiny-1.2",
    ]


def test_not_a_zip():
    assert_refused(b.upload(b"this is not a zip"), "not_zip", contains="not a ZIP")


def test_empty_file():
    assert_refused(b.upload(b""), "not_zip")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../evil.json", "name_traversal"),
        ("content/../../evil.json", "name_traversal"),
        ("/etc/evil.json", "name_absolute"),
        ("C:/evil.json", "name_absolute"),
        ("content\\evil.json", "name_backslash"),
        ("content/.hidden.json", "name_hidden"),
        (".git/config.txt", "name_hidden"),
    ],
)
def test_unsafe_names_are_refused(name, code):
    error = assert_refused(b.with_files({name: b"{}"}), code)
    assert name in error.message


def test_symlink_entry_is_refused():
    assert_refused(
        b.with_files({"content/link.json": b"/etc/passwd"}, symlinks=("content/link.json",)),
        "symlink",
        contains="content/link.json",
    )


def test_macos_metadata_tree_is_skipped():
    content = h5p_package_import(
        upload=b.with_files({"__MACOSX/content/._content.json": b"junk"}), user=None
    )
    assert not any("MACOSX" in name for name in stored_files())
    assert content.pk


def test_zip_bomb_by_declared_size(settings):
    settings.H5P_MAX_PACKAGE_BYTES = 64 * 1024
    assert_refused(b.with_files({"content/big.txt": b"a" * (70 * 1024)}), "package_too_large")


def test_zip_bomb_by_file_size(settings):
    settings.H5P_MAX_FILE_BYTES = 32 * 1024
    assert_refused(
        b.with_files({"content/big.txt": b"a" * (40 * 1024)}),
        "file_too_large",
        contains="content/big.txt",
    )


def test_zip_bomb_by_compression_ratio():
    # 8 MiB of zeros packs to a few KiB: far beyond any real activity's ratio.
    assert_refused(
        b.with_files({"content/zeros.txt": b"\0" * (8 * 1024 * 1024)}),
        "compression_ratio",
        contains="content/zeros.txt",
    )


def test_too_many_files(settings):
    settings.H5P_MAX_FILES = 20
    extra = {f"content/images/p{index}.png": b"\x89PNG" for index in range(30)}
    assert_refused(b.with_files(extra), "too_many_files", contains="37 files")


def test_member_lying_about_its_size_is_caught_while_reading():
    data = b.lying_size_zip("content/notes.txt", b"x" * 200_000, 10)
    error = assert_refused(b.upload(data), "member_damaged")
    assert "content/notes.txt" in error.message


def test_package_larger_than_limit_before_opening(settings):
    settings.H5P_MAX_PACKAGE_BYTES = 100
    assert_refused(b.package(), "package_too_large")


@pytest.mark.parametrize(
    "name",
    [
        "content/run.php",
        "content/page.html",
        "content/page.htm",
        "H5P.Tiny-1.2/server.php",
        "H5P.Tiny-1.2/index.html",
        "content/script.js",
        "content/noextension",
        "readme.exe",
    ],
)
def test_file_types_outside_the_whitelist_are_refused(name):
    assert_refused(b.with_files({name: b"<?php echo 1;"}), "extension_refused", contains=name)


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<a x:href="javascript:alert(1)"><text>x</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        b'<a href="java\nscript:alert(1)"><text>x</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="x"/></svg>',
    ],
)
def test_library_svg_with_script_is_refused(svg):
    assert_refused(
        b.package(**{f"{b.LIBRARY_FOLDER}/icon.svg": svg}), "svg_active", contains="icon.svg"
    )


def test_broken_library_svg_is_refused():
    assert_refused(b.package(**{f"{b.LIBRARY_FOLDER}/icon.svg": b"<svg"}), "svg_invalid")


def test_svg_under_content_is_refused_even_when_harmless():
    """H5P core allows SVG (like JS, CSS, XML) only inside library folders."""
    assert_refused(
        b.package(**{"content/images/shape.svg": b.SAFE_SVG}),
        "extension_refused",
        contains="shape.svg",
    )


def test_missing_h5p_json():
    assert_refused(b.package(**{"h5p.json": None}), "h5p_json_missing", contains="h5p.json")


def test_broken_json():
    assert_refused(b.package(**{"h5p.json": b"{not json"}), "json_invalid", contains="h5p.json")


def test_broken_content_json():
    assert_refused(
        b.package(**{"content/content.json": b"[1, "}),
        "json_invalid",
        contains="content/content.json",
    )


def test_missing_content_json():
    assert_refused(b.package(**{"content/content.json": None}), "content_json_missing")


@pytest.mark.parametrize(
    "field", ["title", "language", "mainLibrary", "preloadedDependencies", "embedTypes"]
)
def test_missing_h5p_json_fields(field):
    metadata = {key: value for key, value in b.H5P_JSON.items() if key != field}
    assert_refused(b.package(**{"h5p.json": metadata}), "h5p_json_field_missing", contains=field)


def test_bad_embed_types():
    metadata = {**b.H5P_JSON, "embedTypes": ["html"]}
    assert_refused(b.package(**{"h5p.json": metadata}), "h5p_json_field_invalid")


def test_main_library_not_among_dependencies():
    metadata = {**b.H5P_JSON, "mainLibrary": "H5P.Other"}
    assert_refused(
        b.package(**{"h5p.json": metadata}), "main_library_missing", contains="H5P.Other"
    )


def test_missing_main_library():
    files = {n: d for n, d in b.valid_files().items() if not n.startswith("H5P.Tiny-1.2/")}
    assert_refused(b.upload(b.build_zip(files)), "main_library_missing", contains="H5P.Tiny 1.2")


def test_missing_dependency_of_a_library():
    tiny = {
        **b.LIBRARY_JSON,
        "preloadedDependencies": [
            {"machineName": "H5P.Absent", "majorVersion": 1, "minorVersion": 0}
        ],
    }
    assert_refused(
        b.package(**{"H5P.Tiny-1.2/library.json": tiny}),
        "dependency_missing",
        contains="H5P.Absent 1.0",
    )


def test_mismatched_library_folder_name():
    files = {
        (
            name.replace("H5P.Tiny-1.2/", "H5P.Tiny-1.3/") if name.startswith("H5P.Tiny") else name
        ): data
        for name, data in b.valid_files().items()
    }
    error = assert_refused(b.upload(b.build_zip(files)), "library_folder_mismatch")
    assert "H5P.Tiny-1.3" in error.message and "H5P.Tiny-1.2" in error.message


def test_library_folder_without_version_is_refused():
    files = {
        (name.replace("H5P.Tiny-1.2/", "H5P.Tiny/") if name.startswith("H5P.Tiny") else name): data
        for name, data in b.valid_files().items()
    }
    assert_refused(b.upload(b.build_zip(files)), "library_folder_mismatch", contains="H5P.Tiny")


def test_missing_library_json():
    assert_refused(
        b.package(**{"H5P.Tiny-1.2/library.json": None}),
        "library_json_missing",
        contains="H5P.Tiny-1.2/library.json",
    )


def test_missing_library_json_field():
    tiny = {key: value for key, value in b.LIBRARY_JSON.items() if key != "patchVersion"}
    assert_refused(
        b.package(**{"H5P.Tiny-1.2/library.json": tiny}),
        "library_json_field_missing",
        contains="patchVersion",
    )


def test_missing_preloaded_js():
    assert_refused(
        b.package(**{"H5P.Tiny-1.2/js/tiny.js": None}),
        "preloaded_file_missing",
        contains="js/tiny.js",
    )


def test_missing_preloaded_css():
    assert_refused(
        b.package(**{"H5P.Tiny-1.2/css/tiny.css": None}),
        "preloaded_file_missing",
        contains="css/tiny.css",
    )


def test_duplicate_names_are_refused():
    buffer = io.BytesIO(b.build_zip(b.valid_files()))
    with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("content/content.json", b"{}")
    assert_refused(b.upload(buffer.getvalue()), "name_duplicate")


def test_failure_while_moving_files_leaves_nothing(monkeypatch):
    def broken_move(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(storage, "staged_tree_move", broken_move)
    with pytest.raises(OSError):
        h5p_package_import(upload=b.package(), user=None)
    assert not H5PContent.objects.exists()
    assert not H5PLibrary.objects.exists()
    assert stored_files() == []


def test_demo_package_passes_the_validator():
    from courses.h5p_demo import h5p_demo_package_build

    data = h5p_demo_package_build(
        title="Kiểm tra nhanh",
        questions=[{"text": "Chuyển đổi số là gì?", "answers": ["Đúng", "Sai"], "correct": 0}],
    )
    content = h5p_package_import(upload=b.upload(data, "demo.h5p"), user=None)
    assert content.main_library.machine_name == "CDS.ChoiceQuiz"
    content_json = storage.h5p_content_dir(content.public_id) / "content" / "content.json"
    assert "Chuyển đổi số là gì?" in content_json.read_text(encoding="utf-8")
    assert (storage.h5p_library_dir("CDS.ChoiceQuiz-1.0") / "choice-quiz.js").is_file()
