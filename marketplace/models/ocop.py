"""The OCOP product classification of Decision 148/QĐ-TTg (2023): 6 groups and their sub-groups.

Loaded as data (`marketplace/data/ocop_groups.json`, by a migration); moderators may correct names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OcopGroup(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("OCOP group")
        verbose_name_plural = _("OCOP groups")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class OcopSubgroup(models.Model):
    group = models.ForeignKey(
        OcopGroup, on_delete=models.PROTECT, related_name="subgroups", verbose_name=_("group")
    )
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("OCOP sub-group")
        verbose_name_plural = _("OCOP sub-groups")
        ordering = ["group__position", "position", "code"]

    def __str__(self):
        return self.name
