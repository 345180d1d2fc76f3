"""The REST API: one NinjaAPI under /api/v1/ that mounts each app's router."""

from ninja import NinjaAPI

from openprm.accounts.api import router as accounts_router
from openprm.accounts.api_auth import API_AUTH
from openprm.audit.api import router as audit_router
from openprm.core.api import install_error_handlers
from openprm.core.throttling import AnonymousRateThrottle, UserRateThrottle
from openprm.crm.api import router as crm_router
from openprm.dashboard.api import router as dashboard_router
from openprm.deals.api import router as deals_router
from openprm.goals.plans.api import router as goal_plans_router
from openprm.goals.tasks.api import router as goal_tasks_router
from openprm.imports.api import router as imports_router
from openprm.notifications.api import router as notifications_router
from openprm.points.api import router as points_router
from openprm.points.commissions.api import router as commissions_router
from openprm.privacy.api import router as privacy_router
from openprm.referrals.api import router as referrals_router
from openprm.webhooks.api import router as webhooks_router

api = NinjaAPI(
    title="OpenPRM API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    throttle=[UserRateThrottle(), AnonymousRateThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("/", accounts_router)
api.add_router("/", audit_router)
api.add_router("/", crm_router)
api.add_router("/", dashboard_router)
api.add_router("/", commissions_router)
api.add_router("/", deals_router)
api.add_router("/", goal_plans_router)
api.add_router("/", goal_tasks_router)
api.add_router("/", notifications_router)
api.add_router("/", points_router)
api.add_router("/", privacy_router)
api.add_router("/", referrals_router)
api.add_router("/", webhooks_router)
api.add_router("/", imports_router)
