"""The "My shop" product form: parses and checks input, hands a ProductData to the service."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.locations.models import Commune, Province

from ..models import OcopGroup, OcopSubgroup, Product
from ..models.products import STOCK_MAX
from ..services.certificates import certificate_default_expiry
from ..services.products import CERTIFICATE_DATE_MIN, ProductData
from ..validators import certificate_pdf_problem, photo_upload_problem, price_parse

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form: on the field it names when the form has it,
    else at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once; each is checked by its bytes (Pillow) and its size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["data-max-bytes"] = str(settings.MARKETPLACE_PHOTO_MAX_BYTES)
        return attrs

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        uploads = [super(PhotosField, self).clean(upload, initial) for upload in uploads]
        uploads = [upload for upload in uploads if upload]
        problems = [
            problem
            for upload in uploads
            if (
                problem := photo_upload_problem(
                    upload, max_bytes=settings.MARKETPLACE_PHOTO_MAX_BYTES
                )
            )
        ]
        if problems:
            raise ValidationError(problems, code="photo")
        return uploads


class PriceField(forms.CharField):
    """VND as a whole number: "150.000" or "150000"; decimals, text and absurd amounts refused."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return price_parse(value)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


class SubgroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=200)
    group = forms.ModelChoiceField(label=_("OCOP group"), queryset=OcopGroup.objects.all())
    subgroup = SubgroupChoiceField(
        label=_("OCOP sub-group"),
        queryset=OcopSubgroup.objects.select_related("group"),
    )
    stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        choices=Product.Stars.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    potential_five_star = forms.BooleanField(
        label=_("Potential 5 stars"),
        required=False,
        help_text=_("Only for 4-star products that the province proposed for 5 stars."),
    )
    certificate_number = forms.CharField(
        label=_("Decision number"),
        max_length=100,
        help_text=_("As written on the decision, e.g. 1234/QĐ-UBND."),
    )
    certificate_date = forms.DateField(
        label=_("Decision date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
    )
    certificate_authority = forms.CharField(
        label=_("Issuing authority"),
        max_length=255,
        help_text=_("3 and 4 stars: the provincial People's Committee; 5 stars: the Ministry."),
    )
    certificate_expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Leave empty: 36 months after the decision date."),
    )
    certificate_file = forms.FileField(
        label=_("Scanned certificate (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("Needed before you send the product for approval. Only moderators see it."),
    )
    price = PriceField(label=_("Price (VND)"), help_text=_("For example 150.000"))
    unit = forms.ChoiceField(label=_("Sold by"), choices=Product.Unit.choices)
    stock = forms.IntegerField(
        label=_("In stock"),
        min_value=0,
        max_value=STOCK_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    photos = PhotosField(label=_("Add photos"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    origin_province = forms.ModelChoiceField(
        label=_("Origin: province"), queryset=Province.objects.all(), required=False
    )
    origin_commune = forms.ModelChoiceField(
        label=_("Origin: commune"),
        queryset=Commune.objects.none(),
        required=False,
        help_text=_("Where it is grown or made, if not at the producer's address."),
    )
    other_certifications = forms.MultipleChoiceField(
        label=_("Other certifications"),
        choices=Product.Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, producer, product: Product | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.producer = producer
        self.product = product
        today = timezone.localdate()
        self.fields["certificate_date"].widget.attrs.update(
            {"max": today.isoformat(), "min": CERTIFICATE_DATE_MIN.isoformat()}
        )
        if product is not None and not self.is_bound:
            self.initial.update(self._initial_from(product))
        # Communes of the chosen province only; a forged province is that field's error.
        province = self.data.get(self.add_prefix("origin_province")) or self.initial.get(
            "origin_province"
        )
        province = getattr(province, "pk", province)
        if not str(province or "").isdigit():
            province = producer.province_id
        self.initial.setdefault("origin_province", province)
        self.fields["origin_commune"].queryset = Commune.objects.filter(province_id=province)
        photos_max = settings.MARKETPLACE_PHOTOS_PER_PRODUCT
        self.fields["photos"].help_text = _(
            "JPEG, PNG or WebP, up to %(size)s MB each, %(count)s photos in all. "
            "The first photo is the cover."
        ) % {"size": settings.MARKETPLACE_PHOTO_MAX_BYTES // (1024 * 1024), "count": photos_max}

    @staticmethod
    def _initial_from(product: Product) -> dict:
        return {
            "name": product.name,
            "group": product.group_id,
            "subgroup": product.subgroup_id,
            "stars": product.stars,
            "potential_five_star": product.potential_five_star,
            "certificate_number": product.certificate_number,
            "certificate_date": product.certificate_date,
            "certificate_authority": product.certificate_authority,
            "certificate_expires_on": product.certificate_expires_on,
            "price": product.price,
            "unit": product.unit,
            "stock": product.stock,
            "description": product.description,
            "origin_province": (
                product.origin_commune.province_id if product.origin_commune else None
            ),
            "origin_commune": product.origin_commune_id,
            "other_certifications": product.other_certifications,
        }

    def clean_certificate_file(self):
        upload = self.cleaned_data.get("certificate_file")
        if upload:
            problem = certificate_pdf_problem(
                upload, max_bytes=settings.MARKETPLACE_CERTIFICATE_MAX_BYTES
            )
            if problem:
                raise ValidationError(problem, code="certificate")
        return upload or None

    def clean_certificate_date(self):
        value = self.cleaned_data["certificate_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The decision date cannot be in the future."))
        if value < CERTIFICATE_DATE_MIN:
            raise ValidationError(
                _("OCOP certificates date from 2018 onwards; check the decision date.")
            )
        return value

    def clean(self):
        cleaned = super().clean()
        group, subgroup = cleaned.get("group"), cleaned.get("subgroup")
        if group and subgroup and subgroup.group_id != group.pk:
            self.add_error("subgroup", _("This sub-group is not part of the chosen group."))
        stars, potential = cleaned.get("stars"), cleaned.get("potential_five_star")
        if potential and stars and stars != Product.Stars.FOUR:
            self.add_error(
                "potential_five_star",
                _("“Potential 5 stars” is given only to 4-star products."),
            )
        decided, expires = cleaned.get("certificate_date"), cleaned.get("certificate_expires_on")
        if decided and expires and expires <= decided:
            self.add_error(
                "certificate_expires_on", _("The certificate must end after its decision date.")
            )
        province, commune = cleaned.get("origin_province"), cleaned.get("origin_commune")
        if commune and province and commune.province_id != province.pk:
            self.add_error("origin_commune", _("This commune is not in the chosen province."))
        photos = cleaned.get("photos") or []
        existing = self.product.photos.count() if self.product is not None else 0
        room = settings.MARKETPLACE_PHOTOS_PER_PRODUCT - existing
        if len(photos) > room:
            self.add_error(
                "photos",
                _("You can add %(room)s more photo(s); you chose %(count)s.")
                % {"room": max(room, 0), "count": len(photos)},
            )
        return cleaned

    def default_expiry(self):
        decided = self.cleaned_data.get("certificate_date")
        return certificate_default_expiry(decided_on=decided) if decided else None

    def product_data(self) -> ProductData:
        data = self.cleaned_data
        return ProductData(
            name=data["name"],
            group=data["group"],
            subgroup=data["subgroup"],
            stars=data["stars"],
            potential_five_star=data["potential_five_star"],
            certificate_number=data["certificate_number"],
            certificate_date=data["certificate_date"],
            certificate_authority=data["certificate_authority"],
            certificate_expires_on=data.get("certificate_expires_on"),
            price=data["price"],
            unit=data["unit"],
            stock=data["stock"],
            description=data.get("description", ""),
            origin_commune=data.get("origin_commune"),
            other_certifications=tuple(data.get("other_certifications") or ()),
        )

    def subgroups_by_group(self) -> dict[str, list[dict]]:
        """{group id: [{id, label}]} for the sub-group select to follow the group (shop.js)."""
        mapping: dict[str, list[dict]] = {}
        for subgroup in OcopSubgroup.objects.order_by("group__position", "position", "code"):
            mapping.setdefault(str(subgroup.group_id), []).append(
                {"id": subgroup.pk, "label": f"{subgroup.code} {subgroup.name}"}
            )
        return mapping


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The producer reads this in the email and in My shop."),
    )
