"""Every error the API can answer, as declared OpenAPI responses, and the handlers that produce them.

| status | when | body |
|---|---|---|
| 400 | the request body is not JSON | `ErrorOut` |
| 401 | a write without a token; a token that is unknown, revoked or expired (also on reads) | `ErrorOut` |
| 403 | the rule refuses the change (PermissionDenied from the service, the same words as the web page) | `ErrorOut` |
| 404 | no such object, or one the user may not see (existence does not leak) | `ErrorOut` |
| 409 | a stale `version`: someone saved the record after it was read (ConflictError) | `ConflictOut` |
| 422 | a parameter or body field fails its schema, or the service's ValidationError; `loc` names the field | `ValidationErrorOut` |
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from civicplan.editing import ConflictError


class ErrorOut(Schema):
    """An error: e.g. 404 {"detail": "Not Found"} (also for what the user may not see)."""

    detail: str


class ConflictOut(Schema):
    """409: the record was saved by someone else since `expected_version` was read; nothing was written."""

    detail: str
    current_version: int
    expected_version: int


class FieldErrorOut(Schema):
    """One invalid input: `loc` is where it is (e.g. ["body", "raw"], ["query", "year"]), `msg` what is wrong.

    `type` is pydantic's name of the failed schema check (e.g. "string_too_long", "extra_forbidden"), or "rule"
    for a rule of the service that the schema cannot express (the city's 評估體制 legend, a profile that rises
    to 100, a report complete before it is submitted, the rows of a report): `loc` names the field as the web
    page's form does (for report rows "<measurement id>.<field>").
    """

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


UNAUTHORIZED = {401: ErrorOut}
NOT_FOUND = {404: ErrorOut}
INVALID = {422: ValidationErrorOut}
LIST_ERRORS = {**UNAUTHORIZED, **INVALID}
DETAIL_ERRORS = {**UNAUTHORIZED, **NOT_FOUND, **INVALID}
WRITE_ERRORS = {400: ErrorOut, **UNAUTHORIZED, 403: ErrorOut, **NOT_FOUND, 409: ConflictOut, **INVALID}


def field_errors(error: DjangoValidationError) -> list[dict]:
    """A service's ValidationError as the API's 422 items: {"loc": ["body", <field>], "msg", "type"}."""
    if hasattr(error, "error_dict"):
        return [{"loc": ["body", field], "msg": message, "type": "rule"}
                for field, messages in error.message_dict.items() for message in messages]
    return [{"loc": ["body"], "msg": message, "type": "rule"} for message in error.messages]


def input_errors(error: NinjaValidationError) -> list[dict]:
    """ninja's 422 items with the body parameter's own name left out of `loc` (["body", "body", "raw"] → ["body",
    "raw"], as the service's errors name fields), and only `loc`, `msg` and `type` (the input is not echoed)."""
    items = []
    for item in error.errors:
        loc = list(item.get("loc", ()))
        if loc[:2] == ["body", "body"]:
            loc = ["body", *loc[2:]]
        items.append({"loc": loc, "msg": str(item.get("msg", "")), "type": str(item.get("type", "invalid"))})
    return items


def install(api) -> None:
    """Answer the service layer's exceptions as the declared responses."""

    @api.exception_handler(NinjaValidationError)
    def bad_input(request, exc):
        return api.create_response(request, {"detail": input_errors(exc)}, status=422)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        message = exc.message if exc.message != "Unauthorized" else _("An API token is needed (Authorization: Bearer …).")
        response = api.create_response(request, {"detail": message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="civicplan"'
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, {"detail": str(exc) or _("You may not do this.")}, status=403)

    @api.exception_handler(ObjectDoesNotExist)
    def gone(request, exc):
        return api.create_response(request, {"detail": "Not Found"}, status=404)

    @api.exception_handler(ConflictError)
    def conflict(request, exc):
        return api.create_response(request, {"detail": str(exc), "current_version": exc.current,
                                             "expected_version": exc.expected}, status=409)

    @api.exception_handler(DjangoValidationError)
    def invalid(request, exc):
        return api.create_response(request, {"detail": field_errors(exc)}, status=422)
