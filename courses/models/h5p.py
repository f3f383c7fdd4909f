"""H5P packages after validation: shared libraries and content, stored outside public media."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class H5PLibrary(models.Model):
    """One library version (machineName major.minor), stored once and shared by all content."""

    machine_name = models.CharField(_("machine name"), max_length=127)
    major_version = models.PositiveSmallIntegerField(_("major version"))
    minor_version = models.PositiveSmallIntegerField(_("minor version"))
    patch_version = models.PositiveSmallIntegerField(_("patch version"), default=0)
    title = models.CharField(_("title"), max_length=255)
    # library.json as uploaded, parsed.
    metadata = models.JSONField(_("library.json"))
    dependencies = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependants"
    )
    installed_at = models.DateTimeField(_("installed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "-major_version", "-minor_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"],
                name="courses_h5p_library_once",
            )
        ]

    def __str__(self):
        return f"{self.machine_name} {self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder_name(self) -> str:
        """The folder the player looks for: `H5P.TrueFalse-1.6`."""
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


class H5PContent(index.Indexed, models.Model):
    """One uploaded activity: h5p.json, content/ files, and the libraries it runs on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=10, blank=True)
    main_library = models.ForeignKey(
        H5PLibrary,
        on_delete=models.PROTECT,
        related_name="main_of",
        verbose_name=_("main library"),
    )
    libraries = models.ManyToManyField(H5PLibrary, related_name="contents")
    # h5p.json as uploaded, parsed; content/content.json is a file under the content folder.
    metadata = models.JSONField(_("h5p.json"))
    source_name = models.CharField(_("uploaded file"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("unpacked size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    panels = [FieldPanel("title")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title
