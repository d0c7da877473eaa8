"""Product name and icon (UI review P3-16, P3-17)."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from PIL import Image


def test_the_icon_is_served_offline_and_linked(db, client):
    html = client.get("/accounts/login/").content.decode()
    links = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert links == ["/static/reformtrack/favicon.ico", "/static/reformtrack/favicon.svg"]
    with Image.open(finders.find("reformtrack/favicon.ico")) as icon:
        assert icon.format == "ICO"
        assert (16, 16) in icon.info["sizes"] and (32, 32) in icon.info["sizes"]


def test_english_ui_names_the_product_reformtrack(db, client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Sign in to ReformTrack</h1>" in html
    assert re.search(r'<a class="brand" [^>]*>ReformTrack</a>', html)
    assert "· ReformTrack</title>" in html


def test_chinese_ui_keeps_its_product_name(db, client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r'<a class="brand" [^>]*>国企改革跟踪系统</a>', html)
