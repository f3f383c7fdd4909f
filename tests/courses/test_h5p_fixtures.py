"""Real exported packages, when the shared fixtures sit beside the checkout: the top-level ones are
accepted, every one under negative/ is refused (its README says why) and leaves nothing behind."""

from pathlib import Path

import pytest
from django.conf import settings

from courses.h5p import storage
from courses.h5p.package import H5PPackageError
from courses.models import H5PContent, H5PLibrary
from courses.services.h5p import h5p_package_import

FIXTURES = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "h5p"
ACCEPTED = sorted(FIXTURES.glob("*.h5p")) if FIXTURES.is_dir() else []
REFUSED = sorted((FIXTURES / "negative").glob("*.h5p")) if FIXTURES.is_dir() else []

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not FIXTURES.is_dir(), reason="shared/fixtures/h5p is not beside the checkout"
    ),
]


def test_fixtures_are_there():
    assert ACCEPTED and REFUSED


@pytest.mark.parametrize("path", ACCEPTED, ids=lambda path: path.name)
def test_real_package_is_accepted(path):
    with path.open("rb") as upload:
        content = h5p_package_import(upload=upload, user=None)
    main = content.main_library
    assert content.libraries.filter(pk=main.pk).exists()
    folder = storage.h5p_content_dir(content.public_id)
    assert (folder / "h5p.json").is_file()
    assert (folder / "content" / "content.json").is_file()
    for library in main.metadata.get("preloadedJs", []):
        assert (storage.h5p_library_dir(main.folder_name) / library["path"]).is_file()


@pytest.mark.parametrize("path", REFUSED, ids=lambda path: path.name)
def test_negative_package_is_refused(path):
    with path.open("rb") as upload, pytest.raises(H5PPackageError) as caught:
        h5p_package_import(upload=upload, user=None)
    assert caught.value.message
    assert not H5PContent.objects.exists()
    assert not H5PLibrary.objects.exists()
    root = storage.h5p_root()
    assert not [p for p in root.rglob("*") if p.is_file()]


def test_both_real_packages_share_their_common_libraries():
    for path in ACCEPTED:
        with path.open("rb") as upload:
            h5p_package_import(upload=upload, user=None)
    # H5P.JoubelUI 1.3 ships in both packages: one row, one folder.
    assert H5PLibrary.objects.filter(machine_name="H5P.JoubelUI", major_version=1).count() == 1
    assert H5PContent.objects.count() == len(ACCEPTED)
