"""Contest registration form: the fields the organiser switched on, checked before any write."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.core.validators import citizen_id_problem, normalize_phone, phone_validator
from portal.locations.models import Commune, Province
from portal.organisations.selectors import organisation_unit_choices

from .services.registrations import RegistrationData


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.indented_name


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    phone = forms.CharField(label=_("Phone"), max_length=15, validators=[phone_validator])
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(
        label=_("Password for your account"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("You will sign in with your email and this password to take the rounds."),
    )
    citizen_id = forms.CharField(
        label=_("Citizen ID (CCCD)"),
        max_length=12,
        min_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("12 digits. Stored encrypted and shown masked."),
    )
    province = forms.ModelChoiceField(label=_("Province / city"), queryset=Province.objects.all())
    commune = forms.ModelChoiceField(
        label=_("Commune / ward"), queryset=Commune.objects.select_related("province")
    )
    unit = UnitChoiceField(
        label=_("Organisation unit"),
        queryset=organisation_unit_choices(),
        required=False,
        empty_label=_("Citizen (not working for a state agency)"),
    )
    consent = forms.BooleanField(label=_("I agree to the processing of my personal data."))

    def __init__(self, *args, contest, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["consent"].help_text = contest.consent_text
        switches = {
            "birth_date": contest.ask_birth_date,
            "phone": contest.ask_phone,
            "citizen_id": contest.ask_citizen_id,
            "province": contest.ask_address,
            "commune": contest.ask_address,
            # A restricted contest takes the unit of the staff account, not a choice.
            "unit": contest.ask_unit and contest.access == contest.Access.PUBLIC,
            "password": self.user is None,
        }
        for name, shown in switches.items():
            if not shown:
                del self.fields[name]
        if self.user is not None:
            self.initial.setdefault("full_name", self.user.full_name)
            self.initial.setdefault("email", self.user.email)
            self.initial.setdefault("phone", self.user.phone)
            self.initial.setdefault("unit", self.user.unit_id)
            self.fields["email"].disabled = True
        if "commune" in self.fields:
            province = self.data.get(self.add_prefix("province")) or self.initial.get("province")
            if not str(province or "").isdigit():  # a forged value is the field's error, later
                province = settings.PORTAL_PROVINCE_CODE
            self.initial.setdefault("province", province)
            self.fields["commune"].queryset = Commune.objects.filter(province_id=province)

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_citizen_id(self):
        return self.cleaned_data["citizen_id"].strip()

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password

    def clean(self):
        cleaned = super().clean()
        citizen_id = cleaned.get("citizen_id")
        if citizen_id:
            problem = citizen_id_problem(citizen_id, birth_date=cleaned.get("birth_date"))
            if problem:
                self.add_error("citizen_id", problem)
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error("commune", _("This commune is not in the chosen province."))
        return cleaned

    def registration_data(self) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            full_name=data["full_name"],
            email=self.user.email if self.user else data["email"],
            birth_date=data.get("birth_date"),
            phone=data.get("phone", ""),
            citizen_id=data.get("citizen_id", ""),
            province=data.get("province"),
            commune=data.get("commune"),
            unit=(
                self.user.unit
                if self.user is not None and self.contest.access == self.contest.Access.UNITS
                else data.get("unit")
            ),
        )
