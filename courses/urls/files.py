"""H5P files, outside the language prefix: the player fetches them by fixed paths."""

from django.urls import path

from ..views import h5p_files

urlpatterns = [
    path(
        "h5p/noi-dung/<uuid:public_id>/<path:file_path>",
        h5p_files.h5p_content_file,
        name="h5p_content_file",
    ),
    path(
        "h5p/thu-vien/<str:folder>/<path:file_path>",
        h5p_files.h5p_library_file,
        name="h5p_library_file",
    ),
]
