"""Admin viewsets for records: rows written by the site itself (certificates, payments, sync logs,
registrations moderated elsewhere) that are listed, filtered, inspected and acted on, but never
added, edited, copied or deleted by hand.

A viewset names its actions by overriding `record_buttons(instance, user)`; they appear in the
list's "More" menu and in the inspect page's header. `list_queryset(queryset)` shapes the list.
Links to a record from elsewhere in the admin open its inspect page.
"""

from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

HAND_EDIT_VIEWS = {"add", "edit", "delete", "copy"}


class RecordIndexView(IndexView):
    record_viewset = None

    def get_base_queryset(self):
        return self.record_viewset.list_queryset(super().get_base_queryset())

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *self.record_viewset.record_buttons(instance, self.request.user),
        ]


class RecordInspectView(InspectView):
    record_viewset = None

    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            *self.record_viewset.record_buttons(self.object, self.request.user),
        ]


class RecordViewSet(ModelViewSet):
    index_view_class = RecordIndexView
    inspect_view_class = RecordInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # No add/edit URL is registered (see get_urlpatterns); Wagtail still builds a form class.
    form_fields = []
    search_backend_name = None
    list_per_page = 50

    def list_queryset(self, queryset):
        """The list's rows: add select_related / ordering here."""
        return queryset

    def record_buttons(self, instance, user) -> list:
        """The actions `user` may take on `instance` (wagtail.admin.widgets.button.Button)."""
        return []

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(record_viewset=self, **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(record_viewset=self, **kwargs)

    def get_urlpatterns(self):
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name not in HAND_EDIT_VIEWS
        ]

    @property
    def url_finder_class(self):
        if not self.inspect_view_enabled:
            return super().url_finder_class
        return type(
            f"{self.model.__name__}URLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )
