"""Page-number pagination: 50 items a page by default, at most 200 (a larger page_size → 422).

Pages are stable: every list has a total order ending in the id, and ids (database keys) are never reused.
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="page number, from 1")
        page_size: int = Field(
            PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"items per page (at most {MAX_PAGE_SIZE})"
        )

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
