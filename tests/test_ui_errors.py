"""The product's own 404, 403 and 500 pages (DEBUG off), in the user's language."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.LANGUAGE_CODE = "zh-hans"


def test_unknown_address_shows_the_products_404_page_in_chinese(people, client_for):
    response = client_for(people["reform_office"]).get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert "国企改革跟踪系统" in html  # the product's header, not Django's bare "Not Found"
    assert "Not Found" not in html


def test_a_task_outside_the_scope_is_the_same_404_page(people, client_for, task_of):
    other = task_of("M-1", "B-SUB")
    response = client_for(people["reform_office"]).get(other.get_absolute_url())
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert other.title not in response.content.decode()


def test_404_page_follows_the_english_ui(db, client):
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert "ReformTrack" in html


def test_an_administrator_on_a_business_page_gets_the_403_page(people, client_for):
    response = client_for(people["audit"]).get("/programmes/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html
    assert "403 Forbidden" not in html


def test_500_page_needs_neither_database_nor_request():
    # No `db` fixture: any query would fail the test.
    html = render_to_string("500.html")
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统出错" in body and "Server error" in body
    assert "<script" not in html and "<style" not in html and "http" not in html
