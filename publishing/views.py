"""What the public pages of every app share: read-only views, staff previews, record pages built
from parts, filtered and paginated lists, and citation files."""

from copy import copy

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.views.generic import DetailView
from django_filters.views import FilterView

from . import caching
from .citation import Citation


class DeferredRows:
    """A list's rows, built on first use: a page whose results come from the cache never builds
    their queryset (for a filtered missions list, 0.8 ms of its 3.8). Enough of a QuerySet for
    Paginator (count, slices) and for templates (truth, iteration, length)."""

    # Paginator warns about rows in no fixed order: every public list orders its queryset.
    ordered = True

    def __init__(self, build):
        self.build = build

    @cached_property
    def queryset(self):
        return self.build()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return DeferredRows(lambda: self.queryset[index])
        return self.queryset[index]

    def __iter__(self):
        return iter(self.queryset)

    def __len__(self) -> int:
        return len(self.queryset)

    def __bool__(self) -> bool:
        return bool(self.queryset)


class SharedCountPaginator(Paginator):
    """A Paginator whose total (a COUNT over every matching row, the costliest query of a
    filtered list) is shared through the cache by every visitor who asks the same `question`."""

    def __init__(self, *args, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question

    @cached_property
    def count(self) -> int:
        if self.question is None:
            return Paginator.count.func(self)
        return caching.remember("count", self.question, lambda: Paginator.count.func(self))


class ForgivingPaginationMixin:
    """Any `page` value shows a real page, never an error: Paginator.get_page() gives the first
    page for a malformed value and the last for one out of range; "last" works as in ListView."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        number = self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(paginator.num_pages if number == "last" else number)
        return paginator, page, page.object_list, page.has_other_pages()


class ReadOnlyViewMixin:
    """A public page, which writes nothing, served outside a transaction. ATOMIC_REQUESTS would
    open a database connection for every request (checking it with a query first, on
    PostgreSQL) and a transaction, even when all the page shows comes from the cache: without
    them such a request touches no database at all, and is answered while the database is down."""

    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class RecordPageMixin(ReadOnlyViewMixin):
    """A public detail page whose record parts are rendered once per content version, language
    and site address, and shared by every visitor (publishing.caching): a repeat view reads
    nothing from the database and costs only the page shell. This is the page-sized doll of
    "Russian doll" caching, around the cards and rows inside it.

    The parts are found by the address's slug, so a slug no published record has is a 404
    the first time and every time. `get_full_queryset()` gives the records with everything
    their parts show, and `get_part_context()` adds what the parts need besides the record.
    Each of `parts` (name: template) is in the page's context as `parts.<name>`, with the
    record's `title` and `description` for the shell. A staff preview renders its parts
    afresh and never shares them."""

    parts: dict[str, str] = {}
    preview = False

    def get_full_queryset(self):
        raise NotImplementedError

    def get_part_context(self, record) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        self.object = None  # read only when the parts are rendered
        return self.render_to_response(self.get_context_data(parts=self.record_parts()))

    def record_parts(self) -> dict[str, str]:
        if self.preview:
            return self.render_parts()
        # Absolute addresses in the parts (citation, structured data) name the site they were asked on.
        meaning = (
            self.model._meta.label,
            self.kwargs[self.slug_url_kwarg],
            get_language(),
            self.request.scheme,
            self.request.get_host(),
        )
        return caching.remember("record-page", meaning, self.render_parts)

    def render_parts(self) -> dict[str, str]:
        record = self.get_object(self.get_full_queryset())
        context = {
            self.get_context_object_name(record): record,
            "preview": self.preview,
            **self.get_part_context(record),
        }
        return {
            "title": record.local_name,
            "description": record.summary,
            **{name: render_to_string(template, context, self.request) for name, template in self.parts.items()},
        }


class StaffPreviewMixin:
    """A detail page as the public will see it, for staff who may view the content; for anyone
    else the page does not exist (404), so a draft's address reveals nothing. Its record parts
    are never shared (RecordPageMixin): a preview may show what the public must not see."""

    preview = True

    def dispatch(self, request, *args, **kwargs):
        opts = self.model._meta
        if not (request.user.is_staff and request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)


class CitationFileView(DetailView):
    """A page's citation as a BibTeX file, for reference managers. The queryset must be
    published items with their sources prefetched."""

    def render_to_response(self, context):
        citation = Citation.for_page(self.object, self.request, self.object.sources.all())
        response = HttpResponse(citation.bibtex, content_type="application/x-bibtex; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="lunarportal-{self.object.slug}.bib"'
        return response


class PublicListView(ReadOnlyViewMixin, ForgivingPaginationMixin, FilterView):
    """A public list: a django-filter form over a published queryset, paginated.

    The page's content (`content_template_name`, shown as `content` inside the page's shell,
    `template_name`) depends only on the filters and the page number sent: it is rendered once
    per such question, content version and language, and shared by every address that asks it
    (publishing.caching). An address with a tracking parameter thus costs the shell alone. The
    content's own links (other pages, the CSV) carry those parameters only."""

    paginate_by = 20
    paginator_class = SharedCountPaginator
    content_template_name: str

    def get(self, request, *args, **kwargs):
        asked = self.asked()
        # Its links are paths, the same on every site address (unlike a record page's citation).
        meaning = (self.content_template_name, get_language(), list(asked.lists()))
        content = caching.remember("list-content", meaning, lambda: self.render_content(asked))
        return self.render_to_response({"view": self, "content": content})

    def get_template_names(self):
        return [self.template_name]  # the shell; ListView's default would build the rows to name one

    def asked(self) -> QueryDict:
        """The parameters the content depends on, in one order: the filters and the page."""
        query, asked = self.request.GET, QueryDict(mutable=True)
        for name in sorted({*self.filterset_class.base_filters, self.page_kwarg} & query.keys()):
            asked.setlist(name, query.getlist(name))
        return asked

    def render_content(self, asked: QueryDict) -> str:
        # The filters, the paginator and the links all read the request's query: the asked part
        # only, so that the content is the same for every address that shares it.
        self.request = copy(self.request)
        self.request.GET = asked
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.object_list = DeferredRows(self.rows)
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return render_to_string(self.content_template_name, context, self.request)

    def get_filterset_kwargs(self, filterset_class):
        # The form needs only the model: the rows are built from get_queryset() by rows().
        return {"data": self.request.GET or None, "request": self.request}

    def rows(self):
        """What the visitor asked for; nothing while the form shows errors."""
        queryset = self.get_queryset()
        if not self.filterset.is_bound:
            return queryset
        return self.filterset.filter_queryset(queryset) if self.filterset.is_valid() else queryset.none()

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(*args, question=self.filterset.question(), **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters_applied"] = any(self.filterset.form.data.get(name) for name in self.filterset.filters)
        # Cards show a highlighted excerpt instead of the summary when the list is a text search.
        valid = self.filterset.is_valid()
        context["search_query"] = self.filterset.form.cleaned_data.get("q", "") if valid else ""
        # What the page's results depend on: every address asking the same question shares them.
        context["results_key"] = (self.filterset.question(), context["page_obj"].number)
        return context
