from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Partner

# A visitor's query is capped: enough for any name, too short to be abused.
QUERY_MAX_LENGTH = 200


class PartnerField(forms.CharField):
    """A published partner, named the way a visitor would: an ISO code, slug or acronym, or a whole
    name or alias in English or Chinese, in any case and with or without accents (see
    PartnerQuerySet.identified_by)."""

    default_error_messages = {
        "unknown": _(
            "No partner is known as “%(value)s”. "
            "Try a country name, its ISO code (PK or PAK) or the partner’s address name."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", QUERY_MAX_LENGTH)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        partner = Partner.objects.published().identified_by(value).first()
        if partner is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"value": value})
        return partner


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Country, organisation or mission"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Pakistan, PK, 巴基斯坦, ESA…")}),
    )
