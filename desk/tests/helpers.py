"""Driving the desk over HTTP as the people who use it."""

import re

from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from desk.models import Liputan
from lontar.testing import PASSWORD


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def page_form_data(page, *, title=None, summary=None, body=None, source="", action=None, **extra):
    data = {
        "title": title or page.title,
        "slug": page.slug,
        "summary": summary if summary is not None else page.summary,
        "body": rich_text(body if body is not None else (page.body or "<p></p>")),
        "images": inline_formset([]),
        "comments": inline_formset([]),
        "category": "",
        "source": source,
        **extra,
    }
    form = nested_form_data(data)
    if action:
        form[action] = "1"
    return form


def current_task_state_id(liputan: Liputan) -> int:
    liputan.refresh_from_db()
    return liputan.page.specific.current_workflow_state.current_task_state_id


def act(client, liputan, action, **fields):
    data = {"action": action, "task_state_id": current_task_state_id(liputan), **fields}
    return client.post(reverse("desk:act", args=[liputan.pk]), data)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())
