"""What the public pages of every app share: read-only views, staff previews, record pages,
filtered and paginated lists, and citation files."""

from copy import copy

from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView
from django_filters.views import FilterView

from .citation import Citation


class ForgivingPaginationMixin:
    """Any `page` value shows a real page, never an error: Paginator.get_page() gives the first
    page for a malformed value and the last for one out of range; "last" works as in ListView."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        number = self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(paginator.num_pages if number == "last" else number)
        return paginator, page, page.object_list, page.has_other_pages()


class ReadOnlyViewMixin:
    """A public page, which writes nothing, served outside a transaction: ATOMIC_REQUESTS would
    open one (and a connection, checked with a query first on PostgreSQL) for nothing."""

    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class RecordPageMixin(ReadOnlyViewMixin):
    """A public detail page. `get_full_queryset()` gives the records with everything their page
    shows, and `get_part_context()` adds what the page needs besides the record."""

    preview = False

    def get_full_queryset(self):
        raise NotImplementedError

    def get_part_context(self, record) -> dict:
        return {}

    def get_object(self, queryset=None):
        return super().get_object(self.get_full_queryset() if queryset is None else queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **self.get_part_context(self.object), **kwargs)


class StaffPreviewMixin:
    """A detail page as the public will see it, for staff who may view the content; for anyone
    else the page does not exist (404), so a draft's address reveals nothing. A preview may show
    what the public must not see, so no cache may keep it (Cache-Control: private, no-store, and
    no ETag to revalidate)."""

    preview = True

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        opts = self.model._meta
        if not (request.user.is_staff and request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CitationFileView(DetailView):
    """A page's citation as a BibTeX file, for reference managers. The queryset must be
    published items with their sources prefetched."""

    def render_to_response(self, context):
        citation = Citation.for_page(self.object, self.request, self.object.sources.all())
        response = HttpResponse(citation.bibtex, content_type="application/x-bibtex; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="lunarportal-{self.object.slug}.bib"'
        return response


class PublicListView(ReadOnlyViewMixin, ForgivingPaginationMixin, FilterView):
    """A public list: a django-filter form over a published queryset, paginated. Nothing while
    the form shows errors (django-filter's strict mode).

    The page reads only the filters and the page number of its address: its own links (other
    pages, the CSV) carry those and nothing else (a tracking parameter, say)."""

    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.request = copy(request)
        self.request.GET = self.asked()
        return super().get(self.request, *args, **kwargs)

    def asked(self) -> QueryDict:
        """The parameters the page depends on, in one order: the filters and the page."""
        query, asked = self.request.GET, QueryDict(mutable=True)
        for name in sorted({*self.filterset_class.base_filters, self.page_kwarg} & query.keys()):
            asked.setlist(name, query.getlist(name))
        return asked

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # How many filters are set (the "Filters" button of a phone says so while they are folded away).
        context["filters_applied"] = sum(1 for name in self.filterset.filters if self.filterset.form.data.get(name))
        # Cards show a highlighted excerpt instead of the summary when the list is a text search.
        valid = self.filterset.is_valid()
        context["search_query"] = self.filterset.form.cleaned_data.get("q", "") if valid else ""
        return context
