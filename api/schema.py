from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


PARAMETER_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"status": ["Select a valid choice. launched is not one of the available choices."]},
    },
    description="A query parameter is not valid: each one refused, with why.",
)


class APIAutoSchema(AutoSchema):
    """Also documents the errors every operation may answer with, so that a client (and the
    schemathesis run in the tests) knows their shape: a refused parameter (400, lists), an unknown
    record (404, details), the rate limit (429, with Retry-After) and a database that does not
    answer (503, with Retry-After)."""

    def _get_parameters(self):
        # As on the public pages' forms, an empty query parameter (`status=`, `page=`) means
        # "not given": the server answers as without it, and the schema says so.
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query":
                parameter["allowEmptyValue"] = True
        return parameters

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        if not isinstance(responses, dict):
            responses = {200: responses}
        if getattr(self.view, "action", None) == "list":
            responses.setdefault(400, PARAMETER_ERRORS)
        else:
            responses.setdefault(404, OpenApiResponse(ErrorSerializer, description="No published record here."))
        responses.setdefault(429, OpenApiResponse(ErrorSerializer, description="Too many requests: see Retry-After."))
        responses.setdefault(
            503, OpenApiResponse(ErrorSerializer, description="Unavailable for a moment: see Retry-After.")
        )
        return responses
