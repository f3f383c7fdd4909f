"""Checkout and order-action forms: they parse and check input; the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.core.validators import normalize_phone, phone_validator
from portal.locations.models import Commune, Province

from ..models import Order
from ..services.checkout import DeliveryDetails
from ..services.orders import CARRIER_MAX_LENGTH, REASON_MAX_LENGTH

# Suggestions only: any carrier may be typed.
CARRIERS = ["Viettel Post", "VNPost", "Giao Hàng Nhanh", "Giao Hàng Tiết Kiệm", "J&T Express"]


class PhoneField(forms.CharField):
    """A Vietnamese phone number as people type it ("0911 222 333", "+84-911.222.333"),
    checked and stored in one spelling ("0911222333")."""

    def to_python(self, value):
        value = super().to_python(value)
        for separator in (".", "-", "(", ")"):
            value = value.replace(separator, "")
        return normalize_phone(value)


class CommuneChoiceField(forms.ModelChoiceField):
    """Communes of one province, by name (the province is chosen beside it)."""

    def label_from_instance(self, obj):
        return obj.name


class CheckoutForm(forms.Form):
    recipient_name = forms.CharField(
        label=_("Recipient"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = PhoneField(
        label=_("Phone"),
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    province = forms.ModelChoiceField(label=_("Province / city"), queryset=Province.objects.all())
    commune = CommuneChoiceField(label=_("Commune / ward"), queryset=Commune.objects.none())
    street_address = forms.CharField(
        label=_("House number, street, hamlet"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    note = forms.CharField(
        label=_("Note for the producers"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    payment_method = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)
    checkout_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, methods: list[str], checkout_token: str, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Order.PaymentMethod.choices)
        self.fields["payment_method"].choices = [(m, labels[m]) for m in methods]
        self.initial.setdefault("payment_method", methods[0])
        self.initial.setdefault("checkout_token", checkout_token)
        self.initial.setdefault("recipient_name", user.full_name)
        self.initial.setdefault("phone", user.phone)
        province = self.data.get(self.add_prefix("province")) or self.initial.get("province")
        if not str(province or "").isdigit():  # a forged value is the field's error, later
            province = settings.PORTAL_PROVINCE_CODE
        self.initial.setdefault("province", province)
        self.fields["commune"].queryset = Commune.objects.filter(province_id=province).order_by(
            "name"
        )

    def clean(self):
        cleaned = super().clean()
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error("commune", _("This commune is not in the chosen province."))
        return cleaned

    def delivery(self) -> DeliveryDetails:
        data = self.cleaned_data
        return DeliveryDetails(
            recipient_name=data["recipient_name"],
            phone=data["phone"],
            province=data["province"],
            commune=data["commune"],
            street_address=data["street_address"],
            note=data.get("note", ""),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the buyer will read it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BuyerCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=REASON_MAX_LENGTH, required=False
    )


class MarkPaidForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Total amount received (VND)"),
        min_value=0,
        max_value=10**12,
        help_text=_("Type the amount you see in your bank account, to confirm it is complete."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=CARRIER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"list": "carriers"}),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=CARRIER_MAX_LENGTH, required=False
    )
