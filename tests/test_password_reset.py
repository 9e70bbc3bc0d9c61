"""Password reset is offered only when e-mail is configured."""

import pytest
from django.core import mail
from django.urls import reverse


@pytest.mark.django_db
def test_without_mail_there_is_no_reset_link_and_no_reset_page(client, settings, soup_of):
    settings.EMAIL_CONFIGURED = False
    login = soup_of(client.get(reverse("login")))
    assert not login.find("a", href=reverse("password_reset"))
    assert client.get(reverse("password_reset")).status_code == 404
    assert client.post(reverse("password_reset"), {"email": "a@example.com"}).status_code == 404


@pytest.mark.django_db
def test_with_mail_the_login_page_links_to_a_working_reset(client, settings, soup_of, make_user):
    settings.EMAIL_CONFIGURED = True
    make_user("alice", email="alice@example.com", password="a long enough test password")
    login = soup_of(client.get(reverse("login")))
    assert login.find("a", href=reverse("password_reset"))
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
