"""Site-wide pages (home, search) and the pieces every list view shares."""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from django.views.static import serve
from django_filters.views import FilterView

from missions.models import Mission, Payload
from partners.forms import SearchForm
from partners.models import Agreement, Partner

from .citation import Citation
from .pictures.mission_timeline import compact_timeline
from .pictures.world_map import world_map

# At most this many partners are expanded on the search page: a short query such as "an"
# matches many names, and a visitor then refines it rather than reading every partner.
SEARCH_MAX_PARTNERS = 12
SEARCH_MAX_MISSIONS = 12


class ForgivingPaginationMixin:
    """Any `page` value shows a real page, never an error: Paginator.get_page() gives the first
    page for a malformed value and the last for one out of range; "last" works as in ListView."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        number = self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(paginator.num_pages if number == "last" else number)
        return paginator, page, page.object_list, page.has_other_pages()


class StaffPreviewMixin:
    """A detail page as the public will see it, for staff who may view the content; for anyone
    else the page does not exist (404), so a draft's address reveals nothing."""

    def dispatch(self, request, *args, **kwargs):
        opts = self.model._meta
        if not (request.user.is_staff and request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)


class CitationFileView(DetailView):
    """A page's citation as a BibTeX file, for reference managers. The queryset must be
    published items with their sources prefetched."""

    def render_to_response(self, context):
        citation = Citation.for_page(self.object, self.request, self.object.sources.all())
        response = HttpResponse(citation.bibtex, content_type="application/x-bibtex; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="lunarportal-{self.object.slug}.bib"'
        return response


class PublicListView(ForgivingPaginationMixin, FilterView):
    """A public list: a django-filter form over a published queryset, paginated."""

    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.filterset.show_facet_counts()
        context["filters_applied"] = any(self.filterset.form.data.get(name) for name in self.filterset.filters)
        return context


def home(request):
    context = {
        "mission_count": Mission.objects.published().count(),
        "international_payload_count": Payload.objects.published().international().count(),
        "partner_nation_count": Partner.objects.published().countries().count(),
        "agreement_count": Agreement.objects.published().count(),
        "upcoming_missions": Mission.objects.for_listing().upcoming()[:3],
        "latest_missions": Mission.objects.for_listing().launched()[:3],
        "world_map": world_map(Partner.objects.published().with_involvement_counts()),
        "timeline": compact_timeline(Mission.objects.published().in_launch_order()),
    }
    return render(request, "home.html", context)


def search(request):
    """Search by partner nation: what the program does with a country or organisation."""
    form = SearchForm(request.GET)
    query = ""
    partners = missions = suggestions = []
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        # One more than shown, to tell the visitor when to refine the query.
        partners = list(Partner.objects.published().matching(query).with_involvement()[: SEARCH_MAX_PARTNERS + 1])
        missions = list(Mission.objects.for_listing().matching(query)[: SEARCH_MAX_MISSIONS + 1])
        if not partners:
            suggestions = Partner.objects.published().closest_to(query)
    context = {
        "form": form,
        "query": query,
        "partners": partners[:SEARCH_MAX_PARTNERS],
        "more_partners": len(partners) > SEARCH_MAX_PARTNERS,
        "missions": missions[:SEARCH_MAX_MISSIONS],
        "more_missions": len(missions) > SEARCH_MAX_MISSIONS,
        "suggestions": suggestions,
    }
    return render(request, "search.html", context)


# Uploads are re-encoded to these formats; anything else in the media folder is offered as a
# download, never displayed, so that a browser cannot run it as a page of this site.
INLINE_MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def media(request, path):
    """Uploaded files on a local site (DJANGO_SERVE_MEDIA). MEDIA_ROOT is read per request,
    not when the URLs load, so a changed setting (a test's temporary folder) is followed."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if not path.lower().endswith(INLINE_MEDIA_SUFFIXES):
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=Path(path).name)
    return response
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@require_safe
def robots_txt(request):
    """Crawlers may read every public page, not the admin or previews; the sitemap lists them."""
    context = {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
