"""Admin screens for H5P: activities are added by uploading a `.h5p` package (validated, stored
privately); libraries are listed for reference only (they arrive with packages)."""

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from ..h5p import storage
from ..h5p.package import H5PPackageError
from ..models import H5PContent, H5PLibrary
from ..services.h5p import h5p_package_import


class H5PUploadForm(forms.Form):
    file = forms.FileField(
        label=_("H5P package"),
        help_text=_(
            "A .h5p file exported from H5P. It is checked before anything is stored; "
            "libraries already installed are reused."
        ),
        widget=forms.FileInput(attrs={"accept": ".h5p"}),
    )


class H5PUploadView(CreateView):
    """The "add" screen of H5P activities: an upload form that calls the import service."""

    template_name = "courses/admin/h5p_upload.html"

    def _render(self, form, *, status=200):
        context = {
            "form": form,
            "index_url": self.get_index_url() if hasattr(self, "get_index_url") else "",
            "page_title": gettext("Upload an H5P activity"),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self._render(H5PUploadForm())

    def post(self, request, *args, **kwargs):
        form = H5PUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                content = h5p_package_import(upload=form.cleaned_data["file"], user=request.user)
            except H5PPackageError as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request,
                    gettext("H5P activity “%(title)s” uploaded.") % {"title": content.title},
                )
                return redirect(self.index_url_name)
        return self._render(form, status=400)


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    icon = "pick"
    menu_label = _("H5P activities")
    url_prefix = "courses/h5p"
    add_view_class = H5PUploadView
    copy_view_enabled = False
    list_display = [
        "title",
        Column("main_library", label=_("Main library")),
        DateColumn("uploaded_at", label=_("Uploaded at")),
    ]
    list_filter = ["main_library"]
    search_fields = ["title"]


class LibraryReadOnlyPolicy(ModelPermissionPolicy):
    """Libraries come with packages and are shared: nobody adds, edits or deletes them here."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete", "publish", "lock", "unlock"):
            return False
        if action == "view":
            return super().user_has_permission(user, "view") or user.has_perm(
                "courses.change_h5pcontent"
            )
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class H5PLibraryViewSet(SnippetViewSet):
    model = H5PLibrary
    icon = "code"
    menu_label = _("H5P libraries")
    url_prefix = "courses/h5p-libraries"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "machine_name",
        Column("version", label=_("Version"), accessor="__str__"),
        "title",
        DateColumn("installed_at", label=_("Installed at")),
    ]
    search_fields = ["machine_name", "title"]


class TrainingViewSetGroup(SnippetViewSetGroup):
    """The "Training" admin menu; other course screens may add their items to it."""

    menu_label = _("Training")
    menu_icon = "folder-open-inverse"
    menu_name = "courses-training"
    menu_order = 260
    items = (H5PContentViewSet, H5PLibraryViewSet)


register_permission_policy(H5PLibrary, LibraryReadOnlyPolicy(H5PLibrary))
register_snippet(TrainingViewSetGroup)


@hooks.register("after_delete_snippet")
def h5p_content_files_remove(request, instances):
    """Deleting an activity in the admin also removes its content files (libraries stay)."""
    for instance in instances:
        if isinstance(instance, H5PContent):
            storage.tree_remove(storage.h5p_content_dir(instance.public_id))
