"""RSS 2.0 and Atom feeds of berita: all, and per category."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from portal.models import BeritaCategory
from portal.selectors import berita_feed

FEED_LENGTH = 20


class BeritaFeed(Feed):
    link = "/berita/"
    description = "Berita terbaru dari Pemerintah Kabupaten Tabanan."
    language = "id"

    def get_object(self, request, slug=None):
        return get_object_or_404(BeritaCategory, slug=slug) if slug else None

    def title(self, category):
        base = "Berita — Pemerintah Kabupaten Tabanan"
        return f"{category.name} · {base}" if category else base

    def items(self, category):
        return berita_feed(category=category, limit=FEED_LENGTH)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are read as HTML by feed readers, but a
        # summary is plain text: escaped here, "<img onerror=…>" typed into it stays text.
        return escape(item.summary)

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.category.name] if item.category else []


class BeritaAtomFeed(BeritaFeed):
    feed_type = Atom1Feed

    def subtitle(self, category):
        return self.description
