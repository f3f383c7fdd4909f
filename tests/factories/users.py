import factory
from django.contrib.auth import get_user_model

from portal.organisations.models import OrganisationUnit
from portal.organisations.services import organisation_unit_create


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    """Builds units through the service so that the tree columns are always right."""

    class Meta:
        model = OrganisationUnit

    name = factory.Sequence(lambda n: f"Sở thứ {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")
    kind = OrganisationUnit.Kind.DEPARTMENT
    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return organisation_unit_create(parent=parent, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"nguoidung{n}@example.vn")
    full_name = "Nguyễn Văn An"
    phone = "0912345678"
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-Thu-nghiem-1")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*extracted)
        if create:
            self.save()
