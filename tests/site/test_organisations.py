"""The organisation tree: services keep it consistent; the admin edits it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.organisations.models import OrganisationUnit
from portal.organisations.selectors import organisation_unit_subtree
from portal.organisations.services import organisation_unit_update
from tests.factories.users import OrganisationUnitFactory, UserFactory


@pytest.fixture
def tree(db):
    province = OrganisationUnitFactory(
        name="UBND tỉnh Vĩnh Long", code="ubnd-tinh", kind=OrganisationUnit.Kind.PROVINCE
    )
    department = OrganisationUnitFactory(name="Sở Nội vụ", code="so-noi-vu", parent=province)
    office = OrganisationUnitFactory(
        name="Phòng Công chức",
        code="phong-cc",
        kind=OrganisationUnit.Kind.OFFICE,
        parent=department,
    )
    other = OrganisationUnitFactory(name="Sở Tài chính", code="so-tai-chinh", parent=province)
    return province, department, office, other


def test_subtree_follows_the_tree(tree):
    province, department, office, other = tree
    assert list(organisation_unit_subtree(unit=department)) == [department, office]
    assert set(organisation_unit_subtree(unit=province)) == {province, department, office, other}


def test_move_carries_descendants(tree):
    province, department, office, other = tree
    organisation_unit_update(unit=department, parent=other, name=department.name)
    office.refresh_from_db()
    assert office.is_descendant_of(other)
    assert office.depth == 4


def test_unit_cannot_move_under_its_descendant(tree):
    province, department, office, other = tree
    with pytest.raises(ValidationError):
        organisation_unit_update(unit=department, parent=office, name=department.name)
    department.refresh_from_db()
    assert department.get_parent() == province


@pytest.mark.django_db
def test_admin_creates_and_refuses_cycle(client, tree):
    province, department, office, other = tree
    admin = UserFactory(email="qtv@example.vn", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("organisation_units:add"),
        {
            "parent": department.pk,
            "name": "Phòng Tổ chức",
            "code": "phong-tc",
            "kind": "office",
            "commune": "",
            "headcount": "25",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = OrganisationUnit.objects.get(code="phong-tc")
    assert created.get_parent() == department

    response = client.post(
        reverse("organisation_units:edit", args=(department.pk,)),
        {
            "parent": office.pk,
            "name": "Sở Nội vụ",
            "code": "so-noi-vu",
            "kind": "department",
            "commune": "",
            "headcount": "25",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "không thể đặt dưới chính nó" in response.content.decode()
    department.refresh_from_db()
    assert department.get_parent() == province

    listing = client.get(reverse("organisation_units:index"))
    assert listing.status_code == 200
    assert "— Sở Nội vụ" in listing.content.decode()
