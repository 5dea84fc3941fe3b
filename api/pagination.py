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

    def get_page_size(self, request):
        """`page_size` from 1 to 100, as the schema says; another value is a bad query parameter
        (a 400 that names it), not a silent default. Empty means not given."""
        value = request.query_params.get(self.page_size_query_param, "")
        if not value:
            return self.page_size
        if value.isascii() and value.isdigit() and len(value) <= 3 and 1 <= int(value) <= self.max_page_size:
            return int(value)
        message = _("Give a whole number from 1 to %(most)d.") % {"most": self.max_page_size}
        raise ValidationError({self.page_size_query_param: [message]})

    def get_schema_operation_parameters(self, view):
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({self.page_query_param: [error.detail]}) from error
