from ninja import NinjaAPI

api = NinjaAPI(title="civicplan API", version="1", urls_namespace="api")
