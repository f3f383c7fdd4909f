"""Producer registration / profile, members, and the producer switch of "My shop"."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.core.validators import normalize_phone, phone_validator
from portal.locations.models import Commune, Province

from ..models import Producer, ProducerMember
from ..services.photos import PRODUCER_PHOTOS_MAX
from ..services.producers import ProducerData
from ..validators import (
    bank_account_name_normalize,
    bank_account_name_problem,
    bank_account_number_normalize,
    bank_account_number_problem,
    tax_code_normalize,
    tax_code_problem,
    vietqr_banks,
)
from .products import PhotosField


def bank_choices() -> list[tuple[str, str]]:
    return [("", _("No bank account (cash on delivery only)"))] + [
        (bank.bin, f"{bank.short_name} – {bank.name}") for bank in vietqr_banks()
    ]


class ProducerForm(forms.Form):
    name = forms.CharField(
        label=_("Producer name"),
        max_length=200,
        help_text=_("As registered, e.g. Hợp tác xã Bưởi Da Xanh Mỹ Thạnh."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Producer.Kind.choices)
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "10 digits, or 10 digits-3 digits for a branch; a household business may enter its "
            "owner's 12-digit personal identification number. Leave empty if you have none."
        ),
    )
    province = forms.ModelChoiceField(label=_("Province / city"), queryset=Province.objects.all())
    commune = forms.ModelChoiceField(label=_("Commune / ward"), queryset=Commune.objects.none())
    street_address = forms.CharField(
        label=_("House number, street, hamlet"), max_length=255, required=False
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=15,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    description = forms.CharField(
        label=_("About the producer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your story, your land, how you make your products."),
    )
    photos = PhotosField(label=_("Add photos"))
    bank_bin = forms.ChoiceField(label=_("Bank (VietQR)"), required=False, choices=())
    bank_account_number = forms.CharField(
        label=_("Account number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_account_name = forms.CharField(
        label=_("Account name"),
        max_length=80,
        required=False,
        help_text=_("As the bank shows it; we write it in capitals without diacritics."),
    )

    def __init__(self, *args, producer: Producer | None = None, read_only: bool = False, **kw):
        super().__init__(*args, **kw)
        self.producer = producer
        self.fields["bank_bin"].choices = bank_choices()
        self.fields["photos"].help_text = _(
            "JPEG, PNG or WebP, up to %(count)s photos of your farm or workshop."
        ) % {"count": PRODUCER_PHOTOS_MAX}
        if producer is not None and not self.is_bound:
            self.initial.update(
                {
                    field: getattr(producer, field)
                    for field in (
                        "name",
                        "kind",
                        "tax_code",
                        "street_address",
                        "phone",
                        "email",
                        "description",
                        "bank_bin",
                        "bank_account_number",
                        "bank_account_name",
                    )
                }
            )
            self.initial.update(province=producer.province_id, commune=producer.commune_id)
        province = self.data.get(self.add_prefix("province")) or self.initial.get("province")
        if not str(province or "").isdigit():  # a forged value is the field's error, later
            province = settings.PORTAL_PROVINCE_CODE
        self.initial.setdefault("province", province)
        self.fields["commune"].queryset = Commune.objects.filter(province_id=province)
        if read_only:
            for field in self.fields.values():
                field.disabled = True
            del self.fields["photos"]

    def clean_tax_code(self):
        value = tax_code_normalize(self.cleaned_data["tax_code"])
        kind = self.cleaned_data.get("kind")  # cleaned first: declared before the tax code
        if value and (problem := tax_code_problem(value, kind=kind)):
            raise ValidationError(problem, code="tax_code")
        return value

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_bank_account_number(self):
        value = bank_account_number_normalize(self.cleaned_data["bank_account_number"])
        if value and (problem := bank_account_number_problem(value)):
            raise ValidationError(problem)
        return value

    def clean_bank_account_name(self):
        value = bank_account_name_normalize(self.cleaned_data["bank_account_name"])
        if value and (problem := bank_account_name_problem(value)):
            raise ValidationError(problem)
        return value

    def clean(self):
        cleaned = super().clean()
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error("commune", _("This commune is not in the chosen province."))
        bank_fields = ("bank_bin", "bank_account_number", "bank_account_name")
        if any(cleaned.get(field) or self.has_error(field) for field in bank_fields):
            required = {
                "bank_bin": _("Choose the bank of the account."),
                "bank_account_number": _("Enter the account number."),
                "bank_account_name": _("Enter the account name."),
            }
            for field, message in required.items():
                if not cleaned.get(field) and not self.has_error(field):
                    self.add_error(field, message)
        photos = cleaned.get("photos") or []
        existing = self.producer.photos.count() if self.producer is not None else 0
        if len(photos) > PRODUCER_PHOTOS_MAX - existing:
            self.add_error(
                "photos",
                _("You can add %(room)s more photo(s); you chose %(count)s.")
                % {"room": max(PRODUCER_PHOTOS_MAX - existing, 0), "count": len(photos)},
            )
        return cleaned

    def producer_data(self) -> ProducerData:
        data = self.cleaned_data
        return ProducerData(
            name=data["name"],
            kind=data["kind"],
            province=data["province"],
            commune=data["commune"],
            phone=data["phone"],
            tax_code=data.get("tax_code", ""),
            street_address=data.get("street_address", ""),
            email=data.get("email", ""),
            description=data.get("description", ""),
            bank_bin=data.get("bank_bin", ""),
            bank_account_number=data.get("bank_account_number", ""),
            bank_account_name=data.get("bank_account_name", ""),
        )


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of their account"),
        help_text=_("They must already have an account on the portal."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ProducerMember.Role.choices, initial=ProducerMember.Role.STAFF
    )
