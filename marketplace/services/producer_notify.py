"""Emails to the people who run a producer: its members and its contact address."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ..models import Producer

logger = logging.getLogger(__name__)


def site_url(name: str, *args) -> str:
    """The absolute address of a named marketplace page, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=args)
    return settings.SITE_BASE_URL.rstrip("/") + path


def producer_recipients(*, producer: Producer) -> list[str]:
    """Active members' addresses, then the producer's contact address; each address once."""
    addresses = list(
        producer.members.filter(user__is_active=True)
        .exclude(user__email="")
        .order_by("role", "pk")
        .values_list("user__email", flat=True)
    )
    if producer.email:
        addresses.append(producer.email)
    seen, unique = set(), []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def producer_members_email(*, producer: Producer, template: str, context: dict) -> int:
    """Renders `marketplace/emails/<template>.{txt,html}` (the subject is the first line of
    `<template>_subject.txt`) and sends one message per recipient. Returns how many were sent."""
    recipients = producer_recipients(producer=producer)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"producer": producer, "shop_url": site_url("marketplace:shop_home"), **context}
        subject = render_to_string(f"marketplace/emails/{template}_subject.txt", context)
        subject = " ".join(subject.split())[:200]
        text = render_to_string(f"marketplace/emails/{template}.txt", context)
        html = render_to_string(f"marketplace/emails/{template}.html", context)
    messages = []
    for address in recipients:
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        message.attach_alternative(html, "text/html")
        messages.append(message)
    return get_connection().send_messages(messages) or 0
