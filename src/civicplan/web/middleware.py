"""zh-TW first: the interface is in Traditional Chinese unless the user picked English (the language switch).

Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC set up in English would
get an English interface nobody asked for; here only the user's own choice (the language cookie) counts.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
