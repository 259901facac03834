"""Middleware shared by the whole site."""

from lontar.security_headers import is_admin_request

# Wagtail's admin searches (pages, documents, images, users, snippets, the PPID list, reports)
# pass the whole ``q`` to the search backend. 10,000 characters of single words made the SQLite
# backend build a query too deep for Python (RecursionError, a 500) after 17 s; PostgreSQL gets
# the same number of terms. People type a few words.
ADMIN_SEARCH_MAX_LENGTH = 200
ADMIN_SEARCH_MAX_TERMS = 20
# Wagtail reads each pair of double quotes as a phrase, and a phrase costs more than a word: 200
# characters of '"\'' were 100 phrases and 1.5 s. Past a few phrases the quotes are dropped.
ADMIN_SEARCH_MAX_QUOTES = 8


def bounded_query(
    query: str, *, max_length: int = ADMIN_SEARCH_MAX_LENGTH, max_terms: int = ADMIN_SEARCH_MAX_TERMS
) -> str:
    if query.count('"') > ADMIN_SEARCH_MAX_QUOTES:
        query = query.replace('"', " ")
    return " ".join(query.split()[:max_terms])[:max_length]


class AdminSearchLimitMiddleware:
    """Cut the ``q`` of every admin request to ``bounded_query`` before a view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "q" in request.GET and is_admin_request(request):
            queries = request.GET.getlist("q")
            bounded = [bounded_query(query) for query in queries[:1]]
            if bounded != queries:
                params = request.GET.copy()
                params.setlist("q", bounded)
                request.GET = params
        return self.get_response(request)
