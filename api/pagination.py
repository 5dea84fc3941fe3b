from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class StablePageNumberPagination(PageNumberPagination):
    """`count`, `next`, `previous` and `results`; `page_size` up to 100.

    A page that does not exist (`page=abc`, `page=0`, `page=99999`) is a bad query parameter,
    so a 400 that names it, not DRF's 404, which would read as "this list does not exist".
    The views order every list by a unique key last, so that pages never overlap or skip rows.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    page_size_query_description = _("Results per page, at most 100 (default 50).")

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({self.page_query_param: [error.detail]}) from error
