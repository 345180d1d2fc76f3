"""The REST API: one NinjaAPI under /api/v1/ that mounts each app's router."""

from ninja import NinjaAPI

from openprm.accounts.api import router as accounts_router
from openprm.accounts.api_auth import API_AUTH
from openprm.core.api import install_error_handlers
from openprm.crm.api import router as crm_router

api = NinjaAPI(
    title="OpenPRM API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("/", accounts_router)
api.add_router("/", crm_router)
