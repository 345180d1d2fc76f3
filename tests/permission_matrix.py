"""Who may call what: one row per page (by URL name) or API operation, one column per role.

A cell is the HTTP status that role gets. "204/404" means: 204 for an object of the
requester's own side (Northwind's, or the requester's own token, view or notification) and 404
for another organization's object (Tailspin's); a single status holds for both. Routes without
objects in their path are requested once.

Every page or API answer a role reads (a 2xx to a GET) is also searched for the marker strings
of MARKERS: each sits in one object of the shared data (build_world) and names the roles that
may see it, so another partner's data or the other side's private notes in a body fail the test.

A new page or API route adds a row here; tests/test_permission_matrix.py fails until it has
one. When its path names an object (`{contact_id}`, `<int:contact_id>`), add a builder for
that parameter to BUILDERS; when it takes a body, add one to BODIES.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from openprm.accounts import services as account_services
from openprm.accounts.models import Invitation, Organization, User, hash_secret
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD, MembershipFactory
from openprm.core.dates import program_today
from openprm.core.models import Event
from openprm.crm.applications.tests.kit import pending_application
from openprm.crm.models import Currency, ExchangeRate, Market, Opportunity, Product
from openprm.crm.tests.factories import (
    CustomerFactory,
    OpportunityFactory,
    ProductFactory,
    SubscriptionFactory,
)
from openprm.dashboard import services as dashboard_services
from openprm.dashboard.periods import Period
from openprm.deals.models import (
    AssignmentRule,
    Deal,
    DealView,
    PipelineStage,
)
from openprm.goals.models import GoalPlan, TaskTemplate
from openprm.goals.tests.factories import action_task
from openprm.imports.models import ImportJob
from openprm.notifications.tests.factories import NotificationFactory
from openprm.points.ledger import services as ledger_services
from openprm.points.models import CommissionStatement
from openprm.points.tests.factories import WonOpportunityFactory
from openprm.referrals.crm_stages.services import crm_stage_save
from openprm.referrals.models import AssessmentVetting, ReferralTeamMember, SolutionType
from openprm.webhooks.models import Delivery, Webhook

# A public address, so the SSRF check passes without a resolver; nothing is ever sent to it.
WEBHOOK_URL = "https://93.184.215.14/openprm"

ROLES = (
    "anonymous",
    "program_admin",
    "pdm",
    "other_pdm",
    "sales_rep",
    "reviewer",
    "partner_admin",
    "partner_user",
    "user_out_of_scope",
    "user_off_team",
)

# Pages are named by their URL name, API operations by their path under /api/v1.
# Columns, in ROLES order:
#   anon     not signed in
#   padmin   victor, the program admin
#   pdm      pam, the PDM assigned to Northwind
#   pdm2     paul, another vendor PDM (of Fabrikam, not of Northwind)
#   rep      sam, a sales rep: Northwind's shared deal is assigned to him
#   rev      rita, the registration reviewer
#   ptadmin  alice, Northwind's partner admin
#   ptuser   bob, a Northwind partner user scoped to the US, on the team of Northwind's referral
#            (at Seattle)
#   ptout    uma, a Northwind partner user on that team too, but scoped to Japan: the referral
#            is out of her location scope
#   ptoff    otto, a Northwind partner user scoped to the US, not on that team
TABLE = """
kind method route                                     anon padmin  pdm     pdm2    rep     rev     ptadmin ptuser  ptout   ptoff
page GET    home                                      302  302     302     302     302     302     302     302     302     302
page GET    login                                     200  302     302     302     302     302     302     302     302     302
page GET    healthz                                   200  200     200     200     200     200     200     200     200     200
page POST   logout                                    302  302     302     302     302     302     302     302     302     302
page GET    admin:index                               302  200     302     302     302     302     302     302     302     302
page GET    accounts:settings                         302  200     200     200     200     200     200     200     200     200
page GET    accounts:password_change                  302  200     200     200     200     200     200     200     200     200
page GET    accounts:tokens                           302  200     200     200     200     200     200     200     200     200
page POST   accounts:token_revoke                     302  302/404 302/404 302/404 302/404 302/404 302/404 302/404 302/404 302/404
page GET    accounts:users                            302  200     404     404     404     404     200     404     404     404
page GET    accounts:user_invite                      302  200     404     404     404     404     200     404     404     404
page GET    accounts:user_edit                        302  404     404     404     404     404     200/404 404     404     404
page POST   accounts:user_deactivate                  302  404     404     404     404     404     302/404 404     404     404
page POST   accounts:user_reactivate                  302  404     404     404     404     404     302/404 404     404     404
page GET    accounts:invitation_accept                200  403     403     403     403     403     403     403     403     403
page GET    accounts:two_factor_sign_in               302  302     302     302     302     302     302     302     302     302
page GET    accounts:two_factor                       302  200     200     200     200     200     200     200     200     200
page GET    accounts:two_factor_setup                 302  200     200     200     200     200     200     200     200     200
page POST   accounts:two_factor_recovery              302  302     302     302     302     302     302     302     302     302
page POST   accounts:two_factor_disable               302  200     200     200     200     200     200     200     200     200
page POST   accounts:two_factor_requirement           302  302     404     404     404     404     302     404     404     404
page POST   accounts:set_language                     302  302     302     302     302     302     302     302     302     302
page GET    accounts:password_reset                   200  200     200     200     200     200     200     200     200     200
page GET    accounts:password_reset_done              200  200     200     200     200     200     200     200     200     200
page GET    accounts:password_reset_confirm           302  302     302     302     302     302     302     302     302     302
page GET    accounts:password_reset_complete          200  200     200     200     200     200     200     200     200     200
page GET    notifications:inbox                       302  200     200     200     200     200     200     200     200     200
page POST   notifications:mark-read                   302  302/404 302/404 302/404 302/404 302/404 302/404 302/404 302/404 302/404
page POST   notifications:mark-all-read               302  302     302     302     302     302     302     302     302     302
page GET    notifications:preferences                 302  200     200     200     200     200     200     200     200     200
page GET    crm:customers                             302  200     200     200     200     200     200     200     200     200
page GET    crm:customer-detail                       302  200     200     200     200     200     200     200     200     200
page POST   crm:customer-note-add                     302  302     302     302     302     302     302     302     302     302
page GET    crm:contacts                              302  200     200     200     200     200     200     200     200     200
page GET    crm:contact-create                        302  404     404     404     404     404     200     200     200     200
page GET    crm:contact-detail                        302  200     200/404 404     404     404     200/404 200/404 200/404 200/404
page GET    crm:contact-edit                          302  404     404     404     404     404     200/404 200/404 200/404 200/404
page POST   crm:contact-delete                        302  403     403/404 404     404     404     302/404 302/404 302/404 302/404
page GET    crm:partners                              302  200     200     200     200     200     404     404     404     404
page GET    crm:partner-detail                        302  200     200/404 404     200     200     404     404     404     404
page GET    crm:partner-create                        302  200     403     403     403     403     403     403     403     403
page GET    crm:partner-edit                          302  200     403/404 404     403     403     403/404 403/404 403/404 403/404
page POST   crm:partner-deactivate                    302  302     403/404 404     403     403     403/404 403/404 403/404 403/404
page POST   crm:partner-reactivate                    302  302     403/404 404     403     403     403/404 403/404 403/404 403/404
page GET    crm:partner-location-add                  302  200     403/404 404     403     403     403/404 403/404 403/404 403/404
page GET    crm:partner-invite                        302  200     403/404 404     403     403     403/404 403/404 403/404 403/404
page GET    crm:partner-apply                         200  200     200     200     200     200     200     200     200     200
page GET    crm:partner-apply-sent                    200  200     200     200     200     200     200     200     200     200
page GET    crm:partner-applications                  302  200     404     404     404     404     404     404     404     404
page GET    crm:partner-application-detail            302  200     404     404     404     404     404     404     404     404
page GET    crm:partner-application-approve           302  200     404     404     404     404     404     404     404     404
page GET    crm:partner-application-reject            302  200     404     404     404     404     404     404     404     404
api  POST   /auth/tokens                              400  201     201     201     201     201     201     201     201     201
api  GET    /auth/tokens                              401  200     200     200     200     200     200     200     200     200
api  DELETE /auth/tokens/{token_id}                   401  204/404 204/404 204/404 204/404 204/404 204/404 204/404 204/404 204/404
api  GET    /me                                       401  200     200     200     200     200     200     200     200     200
api  PATCH  /me                                       401  200     200     200     200     200     200     200     200     200
api  GET    /users                                    401  200     404     404     404     404     200     404     404     404
api  POST   /users/invitations                        401  201     404     404     404     404     201     404     404     404
api  GET    /invitations                              401  200     404     404     404     404     200     404     404     404
api  POST   /invitations                              401  201     404     404     404     404     404     404     404     404
api  GET    /users/{user_id}                          401  404     404     404     404     404     200/404 404     404     404
api  PATCH  /users/{user_id}                          401  404     404     404     404     404     200/404 404     404     404
api  POST   /users/{user_id}/deactivate               401  404     404     404     404     404     200/404 404     404     404
api  POST   /users/{user_id}/reactivate               401  404     404     404     404     404     200/404 404     404     404
api  GET    /notifications                            401  200     200     200     200     200     200     200     200     200
api  POST   /notifications/read-all                   401  200     200     200     200     200     200     200     200     200
api  POST   /notifications/{notification_id}/read     401  200/404 200/404 200/404 200/404 200/404 200/404 200/404 200/404 200/404
api  GET    /notifications/preferences                401  200     200     200     200     200     200     200     200     200
api  PUT    /notifications/preferences                401  200     200     200     200     200     200     200     200     200
api  GET    /partners                                 401  200     200     200     200     200     200     200     200     200
api  GET    /partners/{int:partner_id}                401  200     200/404 404     200     200     200/404 200/404 200/404 200/404
api  POST   /partners                                 401  201     403     403     403     403     403     403     403     403
api  PUT    /partners/{int:partner_id}                401  200     403/404 404     403     403     403/404 403/404 403/404 403/404
api  POST   /partners/{int:partner_id}/deactivate     401  200     403/404 404     403     403     403/404 403/404 403/404 403/404
api  POST   /partners/{int:partner_id}/reactivate     401  200     403/404 404     403     403     403/404 403/404 403/404 403/404
api  GET    /partners/{int:partner_id}/locations      401  200     200/404 404     200     200     200/404 200/404 200/404 200/404
api  POST   /partners/{int:partner_id}/locations      401  201     403/404 404     403     403     403/404 403/404 403/404 403/404
api  POST   /partner-applications                     201  201     201     201     201     201     201     201     201     201
api  GET    /partner-applications                     401  200     404     404     404     404     404     404     404     404
api  GET    /partner-applications/{int:application_id}  401  200     404     404     404     404     404     404     404     404
api  POST   /partner-applications/{int:application_id}/approve  401  200     404     404     404     404     404     404     404     404
api  POST   /partner-applications/{int:application_id}/reject  401  200     404     404     404     404     404     404     404     404
api  GET    /customers                                401  200     200     200     200     200     200     200     200     200
api  POST   /customers                                401  201     403     403     403     403     403     403     403     403
api  GET    /customers/{int:customer_id}              401  200     200     200     200     200     200     200     200     200
api  PATCH  /customers/{int:customer_id}              401  200     403     403     403     403     403     403     403     403
api  GET    /contacts                                 401  200     200     200     200     200     200     200     200     200
api  POST   /contacts                                 401  403     403     403     403     403     201     201     201     201
api  GET    /contacts/{int:contact_id}                401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  PATCH  /contacts/{int:contact_id}                401  403     403/404 404     404     404     200/404 200/404 200/404 200/404
api  DELETE /contacts/{int:contact_id}                401  403     403/404 404     404     404     204/404 204/404 204/404 204/404
api  GET    /products                                 401  200     200     200     200     200     200     200     200     200
api  GET    /subscriptions                            401  200     200     200     200     200     200     200     200     200
api  GET    /subscriptions/{int:subscription_id}      401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  POST   /customers/import                         401  200     403     403     403     403     403     403     403     403
api  POST   /subscriptions/import                     401  200     403     403     403     403     403     403     403     403
api  POST   /usage/import                             401  200     403     403     403     403     403     403     403     403
api  POST   /certifications/import                    401  200     403     403     403     403     403     403     403     403
page GET    points:tier                               302  404     404     404     404     404     200     200     200     200
page GET    points:breakdown                          302  404     404     404     404     404     200     200     200     200
page GET    points:customer                           302  404     404     404     404     404     200/404 200/404 200/404 200/404
page GET    goals:plan                                302  302     302     302     302     302     200     200     200     200
page GET    goals:portfolio                           302  200     200     200     404     404     404     404     404     404
page GET    goals:setup                               302  200     200/404 404     404     404     200/404 403/404 403/404 403/404
page GET    goals:detail                              302  200     200/404 404     404     404     200/404 200/404 200/404 200/404
page GET    goals:targets                             302  200     200/404 404     404     404     200/404 403/404 403/404 403/404
page GET    goals:review-new                          302  200     200/404 404     404     404     200/404 403/404 403/404 403/404
page GET    goals:review                              302  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  GET    /goal-plans                               401  200     200     200     200     200     200     200     200     200
api  POST   /goal-plans                               401  201     201     404     404     404     201     403     403     403
api  GET    /goal-plans/{plan_id}                     401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  PATCH  /goal-plans/{plan_id}                     401  200     200/404 404     404     404     200/404 403/404 403/404 403/404
api  GET    /goal-plans/{plan_id}/targets             401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  PUT    /goal-plans/{plan_id}/targets             401  200     200/404 404     404     404     200/404 403/404 403/404 403/404
api  POST   /goal-plans/{plan_id}/apply-growth        401  200     200/404 404     404     404     200/404 403/404 403/404 403/404
api  GET    /goal-plans/{plan_id}/progress            401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  GET    /goal-plans/{plan_id}/reviews             401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  POST   /goal-plans/{plan_id}/reviews             401  201     201/404 404     404     404     201/404 403/404 403/404 403/404
api  GET    /goal-plans/{plan_id}/reviews/{review_id} 401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  PATCH  /goal-plans/{plan_id}/reviews/{review_id} 401  200     200/404 404     404     404     200/404 403/404 403/404 403/404
page GET    goals:tasks                               302  200     200/404 404     404     404     200/404 200/404 200/404 200/404
page GET    goals:task-new                            302  200     200/404 404     404     404     200/404 200/404 200/404 200/404
page GET    goals:task                                302  200     200/404 404     404     404     200/404 200/404 200/404 200/404
page POST   goals:task-complete                       302  302     302/404 404     404     404     302/404 302/404 302/404 302/404
page POST   goals:task-reopen                         302  302     302/404 404     404     404     302/404 302/404 302/404 302/404
page POST   goals:task-delete                         302  302     302/404 404     404     404     302/404 302/404 302/404 302/404
api  GET    /goal-plans/{plan_id}/reviews/{review_id}/task-updates 401 200 200/404 404 404 404 200/404 200/404 200/404 200/404
api  POST   /goal-plans/{plan_id}/reviews/{review_id}/task-updates 401 201/422 201/404 404 404 404 201/404 201/404 201/404 201/404
api  GET    /tasks                                    401  200     200     200     200     200     200     200     200     200
api  POST   /tasks                                    401  201     201     404     404     404     201     201     201     201
api  GET    /tasks/{task_id}                          401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  PATCH  /tasks/{task_id}                          401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  DELETE /tasks/{task_id}                          401  204     204/404 404     404     404     204/404 204/404 204/404 204/404
api  POST   /tasks/{task_id}/complete                 401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  POST   /tasks/{task_id}/reopen                   401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  GET    /tasks/{task_id}/progress-updates         401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  POST   /tasks/{task_id}/progress-updates         401  201     201/404 404     404     404     201/404 201/404 201/404 201/404
api  GET    /points/ledger                            401  200     200     200     200     200     200     200     200     200
api  GET    /points/ledger/{entry_id}                 401  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  POST   /points/calculator                        401  200     200     200     200     200     200     200     200     200
api  POST   /points/calculator/currency               401  200     200     200     200     200     200     200     200     200
api  GET    /tiers                                    401  200     200     200     200     200     200     200     200     200
api  GET    /tiers/path                               401  422     422     422     404     404     200     200     200     200
api  GET    /points/breakdown                         401  422     422     422     404     404     200     200     200     200
api  GET    /points/customers/{customer_id}           401  422     422     422     404     404     200/404 200/404 200/404 200/404
page GET    dashboard:home                            302  302     302     302     404     404     200     200     200     200
page GET    dashboard:channel                         302  200     200     200     404     404     404     404     404     404
page GET    dashboard:partner                         302  200     200/404 404     404     404     404     404     404     404
page GET    dashboard:partner-report                  302  200     200/404 404     404     404     404     404     404     404
page GET    dashboard:report                          302  404     404     404     404     404     200     200     200     200
page POST   dashboard:report-use-in-list              302  404     404     404     404     404     422     422     422     422
page POST   dashboard:report-export                   302  404     404     404     404     404     422     422     422     422
page POST   dashboard:report-save                     302  404     404     404     404     404     422     422     422     422
page GET    dashboard:saved-reports                   302  404     404     404     404     404     200     200     200     200
page GET    dashboard:saved-report                    302  404     404     404     404     404     200/404 200/404 200/404 200/404
page POST   dashboard:saved-report-delete             302  404     404     404     404     404     302/404 302/404 302/404 302/404
page GET    dashboard:lists                           302  404     404     404     404     404     200     200     200     200
page GET    dashboard:list-detail                     302  404     404     404     404     404     200/404 200/404 200/404 200/404
page POST   dashboard:list-delete                     302  404     404     404     404     404     302/404 302/404 302/404 302/404
page POST   dashboard:list-member-remove              302  404     404     404     404     404     302/404 302/404 302/404 302/404
page GET    dashboard:exports                         302  404     404     404     404     404     200     200     200     200
page GET    dashboard:export-download                 302  404     404     404     404     404     200/404 200/404 200/404 200/404
page GET    dashboard:statement-download              302  200     200/404 404     404     404     200/404 200/404 200/404 200/404
api  GET    /dashboard                                401  404     404     404     404     404     200     200     200     200
api  GET    /reports                                  401  200     200     200     200     200     200     200     200     200
api  POST   /reports                                  401  404     404     404     404     404     201     201     201     201
api  GET    /reports/{int:report_id}                  401  404     404     404     404     404     200/404 200/404 200/404 200/404
api  PATCH  /reports/{int:report_id}                  401  404     404     404     404     404     200/404 200/404 200/404 200/404
api  DELETE /reports/{int:report_id}                  401  404     404     404     404     404     204/404 204/404 204/404 204/404
api  GET    /reports/{int:report_id}/run              401  404     404     404     404     404     200/404 200/404 200/404 200/404
api  GET    /lists                                    401  200     200     200     200     200     200     200     200     200
api  POST   /lists                                    401  404     404     404     404     404     201     201     201     201
api  GET    /lists/{int:list_id}                      401  404     404     404     404     404     200/404 200/404 200/404 200/404
api  PATCH  /lists/{int:list_id}                      401  404     404     404     404     404     200/404 200/404 200/404 200/404
api  DELETE /lists/{int:list_id}                      401  404     404     404     404     404     204/404 204/404 204/404 204/404
api  GET    /lists/{int:list_id}/members              401  404     404     404     404     404     200/404 200/404 200/404 200/404
api  POST   /lists/{int:list_id}/members              401  404     404     404     404     404     201/404 201/404 201/404 201/404
api  DELETE /lists/{int:list_id}/members/{int:customer_id} 401 404 404 404 404 404 204/404 204/404 204/404 204/404
api  GET    /exports                                  401  200     200     200     200     200     200     200     200     200
api  POST   /exports                                  401  404     404     404     404     404     201     201     201     201
api  GET    /exports/{int:export_id}                  401  404     404     404     404     404     200/404 200/404 200/404 200/404
api  GET    /exports/{int:export_id}/download         401  404     404     404     404     404     200/404 200/404 200/404 200/404
api  GET    /commissions/statements                   401  200     200     200     200     200     200     200     200     200
api  GET    /commissions/statements/{int:statement_id} 401 200 200/404 404 404 404 200/404 200/404 200/404 200/404
api  GET    /commissions/statements/{int:statement_id}/csv 401 200 200/404 404 404 404 200/404 200/404 200/404 200/404
page GET    deals:list                                302  302     302     302     302     302     200     200     200     200
page GET    deals:vendor-list                         302  200     200     200     200     200     404     404     404     404
page GET    deals:vendor-opportunities                302  200     404     404     200     404     404     404     404     404
page GET    deals:convert                             302  200/404 404     404     200/404 404     404     404     404     404
page GET    deals:create                              302  404     404     404     404     404     200     200     200     200
page GET    deals:detail                              302  200     200/404 404     200/404 200     200/404 200/404 200/404 200/404
page GET    deals:change-product                      302  200     403/404 404     200/404 403     200/404 200/404 200/404 200/404
page POST   deals:view-save                           302  302     302     302     302     302     302     302     302     302
page POST   deals:view-delete                         302  302/404 302/404 302/404 302/404 302/404 302/404 302/404 302/404 302/404
page GET    deals:edit                                302  200     403/404 404     200/404 403     200/404 200/404 200/404 200/404
page POST   deals:stage                               302  302     403/404 404     302/404 403     302/404 302/404 302/404 302/404
page POST   deals:note-add                            302  302     403/404 404     302/404 403     302/404 302/404 302/404 302/404
page POST   deals:comment-add                         302  302     403/404 404     302/404 403     302/404 302/404 302/404 302/404
page GET    deals:attachment                          302  200     200/404 404     200/404 200     200/404 200/404 200/404 200/404
page POST   deals:attachment-delete                   302  302     403/404 404     302/404 403     302/404 302/404 302/404 302/404
page GET    deals:lead-recipients                     302  404     404     404     404     404     200     404     404     404
page GET    deals:registrations                       302  200     404     404     404     200     404     404     404     404
page POST   deals:registration-decide                 302  302     404     404     404     302     404     404     404     404
page POST   deals:registration-extension              302  302     302/404 404     302/404 302     302/404 302/404 302/404 302/404
page POST   deals:registration-answer                 302  302     302/404 404     302/404 302     302/404 302/404 302/404 302/404
page GET    privacy:requests                          302  200     404     404     404     404     200     404     404     404
page POST   privacy:export                            302  422     404     404     404     404     422     404     404     404
page POST   privacy:erase                             302  422     404     404     404     404     422     404     404     404
api  GET    /privacy/subjects                         401  422     404     404     404     404     422     404     404     404
api  GET    /privacy/subjects/export                  401  422     404     404     404     404     422     404     404     404
api  GET    /privacy/erasures                         401  200     404     404     404     404     200     404     404     404
api  POST   /privacy/erasures                         401  201     404     404     404     404     201     404     404     404
page GET    audit:log                                 302  200     404     404     404     404     200     404     404     404
api  GET    /audit                                    401  200     404     404     404     404     200     404     404     404
api  POST   /deal-stages                              401  201     403     403     403     403     403     403     403     403
api  PATCH  /deal-stages/{int:pipeline_stage_id}      401  200     403     403     403     403     403     403     403     403
api  DELETE /deal-stages/{int:pipeline_stage_id}      401  204     403     403     403     403     403     403     403     403
api  GET    /settings/assignment-rules                401  200     403     403     403     403     403     403     403     403
api  POST   /settings/assignment-rules                401  201     403     403     403     403     403     403     403     403
api  PATCH  /settings/assignment-rules/{int:rule_id}  401  200     403     403     403     403     403     403     403     403
api  DELETE /settings/assignment-rules/{int:rule_id}  401  204     403     403     403     403     403     403     403     403
api  GET    /settings/solution-types                  401  200     403     403     403     403     403     403     403     403
api  POST   /settings/solution-types                  401  201     403     403     403     403     403     403     403     403
api  PATCH  /settings/solution-types/{int:solution_type_id} 401 200 403   403     403     403     403     403     403     403
api  GET    /settings/two-factor-requirement          401  200     404     404     404     404     200     404     404     404
api  PUT    /settings/two-factor-requirement          401  200     404     404     404     404     200     404     404     404
api  GET    /settings/points-rules                    401  200     403     403     403     403     403     403     403     403
api  POST   /settings/points-rules                    401  201     403     403     403     403     403     403     403     403
api  PUT    /settings/tiers                           401  201     403     403     403     403     403     403     403     403
api  GET    /settings/markets                         401  200     403     403     403     403     403     403     403     403
api  POST   /settings/markets                         401  201     403     403     403     403     403     403     403     403
api  PATCH  /settings/markets/{int:market_id}         401  200     403     403     403     403     403     403     403     403
api  DELETE /settings/markets/{int:market_id}         401  204     403     403     403     403     403     403     403     403
api  GET    /settings/exchange-rates                  401  200     403     403     403     403     403     403     403     403
api  POST   /settings/exchange-rates                  401  201     403     403     403     403     403     403     403     403
api  PATCH  /settings/exchange-rates/{int:rate_id}    401  200     403     403     403     403     403     403     403     403
api  GET    /settings/products                        401  200     403     403     403     403     403     403     403     403
api  POST   /settings/products                        401  201     403     403     403     403     403     403     403     403
api  PATCH  /settings/products/{int:product_id}       401  200     403     403     403     403     403     403     403     403
api  GET    /settings/currencies                      401  200     403     403     403     403     403     403     403     403
api  POST   /settings/currencies                      401  201     403     403     403     403     403     403     403     403
api  PATCH  /settings/currencies/{code}               401  200     403     403     403     403     403     403     403     403
api  GET    /settings/default-tasks                   401  200     403     403     403     403     403     403     403     403
api  POST   /settings/default-tasks                   401  201     403     403     403     403     403     403     403     403
api  PATCH  /settings/default-tasks/{int:template_id} 401  200     403     403     403     403     403     403     403     403
api  DELETE /settings/default-tasks/{int:template_id} 401  204     403     403     403     403     403     403     403     403
api  GET    /settings/assessment-vettings             401  200     403     403     403     403     403     403     403     403
api  POST   /settings/assessment-vettings             401  201     403     403     403     403     403     403     403     403
api  PATCH  /settings/assessment-vettings/{int:vetting_id} 401 200 403    403     403     403     403     403     403     403
api  DELETE /settings/assessment-vettings/{int:vetting_id} 401 204 403    403     403     403     403     403     403     403
api  GET    /settings/deal-program                    401  200     403     403     403     403     403     403     403     403
api  PATCH  /settings/deal-program                    401  200     403     403     403     403     403     403     403     403
api  GET    /settings/referral-program                401  200     403     403     403     403     403     403     403     403
api  PATCH  /settings/referral-program                401  200     403     403     403     403     403     403     403     403
api  GET    /settings/commission-program              401  200     403     403     403     403     403     403     403     403
api  PATCH  /settings/commission-program              401  200     403     403     403     403     403     403     403     403
api  GET    /settings/lead-recipients                 401  404     404     404     404     404     200     404     404     404
api  PUT    /settings/lead-recipients                 401  404     404     404     404     404     200     404     404     404
page GET    webhooks:list                             302  200     404     404     404     404     200     404     404     404
page GET    webhooks:create                           302  200     404     404     404     404     200     404     404     404
page GET    webhooks:detail                           302  200/404 404     404     404     404     200/404 404     404     404
page GET    webhooks:edit                             302  200/404 404     404     404     404     200/404 404     404     404
page POST   webhooks:delete                           302  302/404 404     404     404     404     302/404 404     404     404
page POST   webhooks:ping                             302  302/404 404     404     404     404     302/404 404     404     404
page POST   webhooks:redeliver                        302  302/404 404     404     404     404     302/404 404     404     404
api  GET    /webhooks                                 401  200     404     404     404     404     200     404     404     404
api  POST   /webhooks                                 401  201     404     404     404     404     201     404     404     404
api  GET    /webhooks/{int:webhook_id}                401  200/404 404     404     404     404     200/404 404     404     404
api  PATCH  /webhooks/{int:webhook_id}                401  200/404 404     404     404     404     200/404 404     404     404
api  DELETE /webhooks/{int:webhook_id}                401  204/404 404     404     404     404     204/404 404     404     404
api  POST   /webhooks/{int:webhook_id}/ping           401  202/404 404     404     404     404     202/404 404     404     404
api  GET    /webhooks/{int:webhook_id}/deliveries     401  200/404 404     404     404     404     200/404 404     404     404
api  POST   /webhooks/deliveries/{int:delivery_id}/redeliver 401 202/404 404 404 404   404     202/404 404     404     404
page GET    imports:list                              302  200     404     404     404     404     200     200     200     200
page GET    imports:upload                            302  200     404     404     404     404     200     200     200     200
page GET    imports:detail                            302  200/404 404     404     404     404     200/404 200/404 200/404 200/404
page POST   imports:check                             302  422/404 404     404     404     404     422/404 422/404 422/404 422/404
page POST   imports:start                             302  302/404 404     404     404     404     302/404 302/404 302/404 302/404
page GET    imports:template                          302  200     404     404     404     404     200     200     200     200
api  GET    /imports                                  401  200     404     404     404     404     200     200     200     200
api  POST   /imports                                  401  422     422     422     422     422     422     422     422     422
api  GET    /imports/{int:import_id}                  401  200/404 404     404     404     404     200/404 200/404 200/404 200/404
api  POST   /imports/{int:import_id}/check            401  422/404 404     404     404     404     422/404 422/404 422/404 422/404
api  POST   /imports/{int:import_id}/start            401  409/404 404     404     404     404     409/404 409/404 409/404 409/404
api  GET    /imports/templates/{import_kind}/{file_format} 401 200 404     404     404     404     200     200     200     200
page GET    referrals:list                            302  302     302     302     302     302     200     200     200     200
page GET    referrals:vendor-list                     302  200     200     200     200     200     404     404     404     404
page GET    referrals:export                          302  200     200     200     200     200     200     200     200     200
page GET    referrals:send                            302  200     404     404     200     404     200     200     200     200
page GET    referrals:create                          302  404     404     404     404     404     200     200     200     200
page GET    referrals:customer-suggestions            302  200     200     200     200     200     200     200     200     200
page GET    referrals:campaigns                       302  200     200     200     200     200     200     200     200     200
page GET    referrals:crm-stages                      302  404     404     404     404     404     200     404     404     404
page POST   referrals:crm-stage-delete                302  404     404     404     404     404     302/404 404     404     404
page GET    referrals:detail                          302  200     200/404 404     404     404     200/404 200/404 404     404
page GET    referrals:accept                          302  404     404     404     404     404     404     404     404     404
page GET    referrals:decline                         302  404     404     404     404     404     404     404     404     404
page GET    referrals:edit                            302  404     404     404     404     404     200/404 200/404 404     404
page GET    referrals:team-add                        302  404     404     404     404     404     200/404 200/404 404     404
page GET    referrals:team-edit                       302  404     404     404     404     404     200/404 200/404 404     404
page GET    referrals:team-remove                     302  404     404     404     404     404     200/404 200/404 404     404
page POST   referrals:stages                          302  404     404     404     404     404     302/404 302/404 404     404
page POST   referrals:close-won                       302  404     404     404     404     404     302/404 302/404 404     404
page GET    referrals:close-lost                      302  404     404     404     404     404     200/404 200/404 404     404
page GET    referrals:register                        302  404     404     404     404     404     404     404     404     404
api  GET    /referrals                                401  200     200     200     200     200     200     200     200     200
api  POST   /referrals                                401  403     403     403     403     403     201     201     422     201
api  POST   /referrals/send                           401  201     403     403     201     403     201     201     201     201
api  GET    /referrals/{int:referral_id}              401  200     200/404 404     404     404     200/404 200/404 404     404
api  PATCH  /referrals/{int:referral_id}              401  403     403/404 404     404     404     200/404 200/404 404     404
api  POST   /referrals/{int:referral_id}/accept       401  403     403/404 404     404     404     409/404 409/404 404     404
api  POST   /referrals/{int:referral_id}/decline      401  403     403/404 404     404     404     409/404 409/404 404     404
api  POST   /referrals/{int:referral_id}/stages       401  403     403/404 404     404     404     200/404 200/404 404     404
api  POST   /referrals/{int:referral_id}/close        401  403     403/404 404     404     404     200/404 200/404 404     404
api  POST   /referrals/{int:referral_id}/team         401  403     403/404 404     404     404     200/404 200/404 404     404
api  PATCH  /referrals/{int:referral_id}/team/{int:member_id} 401 403 403/404 404 404   404     200/404 200/404 404     404
api  DELETE /referrals/{int:referral_id}/team/{int:member_id} 401 403 403/404 404 404   404     200/404 200/404 404     404
api  POST   /referrals/{int:referral_id}/registration 401  422     422     422     422     422     422     422     422     422
api  GET    /referrals/sales-stages                   401  200     200     200     200     200     200     200     200     200
api  GET    /referrals/solution-types                 401  200     200     200     200     200     200     200     200     200
api  GET    /referrals/stage-mappings                 401  200     200     200     200     200     200     200     200     200
api  POST   /referrals/stage-mappings                 401  403     403     403     403     403     201     403     403     403
api  DELETE /referrals/stage-mappings/{int:stage_id}  401  403     403/404 404     404     404     204/404 403/404 403/404 403/404
api  GET    /referrals/campaigns                      401  200     200     200     200     200     200     200     200     200
api  GET    /referrals/export                         401  200     200     200     200     200     200     200     200     200
api  GET    /deals                                    401  200     200     200     200     200     200     200     200     200
api  POST   /deals                                    401  403     403     403     403     403     201     201     201     201
api  POST   /deals/convert                            401  201     404     404     201     404     404     404     404     404
api  GET    /deals/views                              401  200     200     200     200     200     200     200     200     200
api  POST   /deals/views                              401  201     201     201     201     201     201     201     201     201
api  DELETE /deals/views/{int:view_id}                401  204/404 204/404 204/404 204/404 204/404 204/404 204/404 204/404 204/404
api  GET    /deals/{int:deal_id}                      401  200     200/404 404     200/404 200     200/404 200/404 200/404 200/404
api  PATCH  /deals/{int:deal_id}                      401  200     403/404 404     200/404 403     200/404 200/404 200/404 200/404
api  POST   /deals/{int:deal_id}/stage                401  200     403/404 404     200/404 403     200/404 200/404 200/404 200/404
api  GET    /deal-stages                              401  200     200     200     200     200     200     200     200     200
api  GET    /deals/{int:deal_id}/notes                401  200     200/404 404     200/404 200     200/404 200/404 200/404 200/404
api  POST   /deals/{int:deal_id}/notes                401  201     403/404 404     201/404 403     201/404 201/404 201/404 201/404
api  POST   /deals/{int:deal_id}/notes/{int:note_id}/attachments 401 422 422 422 422 422 422 422 422 422
api  POST   /deals/{int:deal_id}/notes/{int:note_id}/comments 401 201 403/404 404 201/404 403 201/404 201/404 201/404 201/404
api  GET    /deals/attachments/{int:attachment_id}    401  200     200/404 404     200/404 200     200/404 200/404 200/404 200/404
api  DELETE /deals/attachments/{int:attachment_id}    401  204     403/404 404     204/404 403     204/404 204/404 204/404 204/404
api  GET    /registrations                            401  200     200     200     200     200     200     200     200     200
api  GET    /registrations/{int:registration_id}      401  200     200/404 404     200/404 200     200/404 200/404 200/404 200/404
api  POST   /registrations/{int:registration_id}/approve 401 200 403/404 404 403/404 200 403/404 403/404 403/404 403/404
api  POST   /registrations/{int:registration_id}/reject 401 200 403/404 404 403/404 200 403/404 403/404 403/404 403/404
api  POST   /registrations/{int:registration_id}/request-info 401 200 403/404 404 403/404 200 403/404 403/404 403/404 403/404
api  POST   /registrations/{int:registration_id}/resubmit 401 403 403/404 404 403/404 403 409/404 409/404 409/404 409/404
api  POST   /registrations/{int:registration_id}/extension 401 403 403/404 404 403/404 403 200/404 200/404 200/404 200/404
api  POST   /registrations/{int:registration_id}/extension/decision 401 409 403/404 404 403/404 409 403/404 403/404 403/404 403/404
"""


@dataclass(frozen=True)
class Row:
    kind: str  # "page" or "api"
    method: str
    route: str
    own: dict[str, int]
    other: dict[str, int]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.method, self.route)

    def __str__(self) -> str:
        return f"{self.kind} {self.method} {self.route}"


def parse(table: str) -> list[Row]:
    header, *lines = [line.split() for line in table.strip().splitlines()]
    assert len(header[3:]) == len(ROLES), "one column per role, in ROLES order"
    rows = []
    for kind, method, route, *cells in lines:
        assert len(cells) == len(ROLES), f"{method} {route}: one cell per role"
        own, other = {}, {}
        for role, cell in zip(ROLES, cells, strict=True):
            own_status, _, other_status = cell.partition("/")
            own[role] = int(own_status)
            other[role] = int(other_status or own_status)
        rows.append(Row(kind, method, route, own, other))
    return rows


ROWS = parse(TABLE)


@dataclass
class Cast:
    """The standing cast of conftest.py, the roles it does not name, and the shared data."""

    northwind: Organization  # the "own" side (pam's partner)
    tailspin: Organization  # another organization
    alice: User  # Northwind's partner admin: owns the objects an anonymous request names
    charlie: User  # Tailspin's partner admin
    actors: dict[str, User | None]  # by role
    world: dict[tuple[str, bool], int]  # tests/matrix_world.py's objects: (name, own) -> id

    def own_side_user(self, actor: User | None) -> User:
        return actor if actor is not None else self.alice


Builder = Callable[[Cast, User | None, bool], Any]


def token_id(cast: Cast, actor: User | None, own: bool) -> int:
    """Tokens belong to a person: the requester's own token, or one of Tailspin's admin."""
    owner = cast.own_side_user(actor) if own else cast.charlie
    token, _secret = account_services.api_token_create(user=owner, name="matrix")
    return token.pk


def partner_id(cast: Cast, actor: User | None, own: bool) -> int:
    return (cast.northwind if own else cast.tailspin).pk


def customer_id(cast: Cast, actor: User | None, own: bool) -> int:
    """The customer directory is shared: "other" is a customer only Tailspin works with."""
    return cast.world["customer", own]


def contact_id(cast: Cast, actor: User | None, own: bool) -> int:
    return cast.world["contact", own]


def subscription_id(cast: Cast, actor: User | None, own: bool) -> int:
    partner = cast.northwind if own else cast.tailspin
    return SubscriptionFactory.create(managing_partners=[partner]).pk


def plan(cast: Cast, own: bool) -> GoalPlan:
    """One plan per side, so /goal-plans/{plan_id}/reviews/{review_id} names a matching pair."""
    return GoalPlan.objects.get(pk=cast.world["plan", own])


def plan_id(cast: Cast, actor: User | None, own: bool) -> int:
    return cast.world["plan", own]


def review_id(cast: Cast, actor: User | None, own: bool) -> int:
    return cast.world["review", own]


def user_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A fellow member of the requester's side, or one of Tailspin's."""
    organization = cast.northwind if own else cast.tailspin
    return MembershipFactory.create(organization=organization, role=Role.PARTNER_USER).user.pk


def notification_id(cast: Cast, actor: User | None, own: bool) -> int:
    recipient = cast.own_side_user(actor) if own else cast.charlie
    return NotificationFactory.create(recipient=recipient).pk


def secret(cast: Cast, actor: User | None, own: bool) -> str:
    """An invitation link: the secret in it is the permission, whichever organization sent it."""
    link_secret = f"matrix-invitation-{own}"
    Invitation.objects.create(
        organization=cast.northwind if own else cast.tailspin,
        email=f"invitee-{own}@example.com",
        role=Role.PARTNER_USER,
        token_hash=hash_secret(link_secret),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return link_secret


def application_id(cast: Cast, actor: User | None, own: bool) -> int:
    """Applications belong to no organization: "own" and "other" are one pending application."""
    return pending_application().pk


def uidb64(cast: Cast, actor: User | None, own: bool) -> str:
    return urlsafe_base64_encode(force_bytes((cast.alice if own else cast.charlie).pk))


def token(cast: Cast, actor: User | None, own: bool) -> str:
    return default_token_generator.make_token(cast.alice if own else cast.charlie)


def task_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A task of the side's plan, assigned to that partner's admin."""
    return cast.world["task", own]


def new_task(cast: Cast, actor: User | None) -> dict:
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    return {
        "plan_id": plan(cast, True).pk,
        "title": "Call Contoso",
        "assignee_id": cast.alice.pk,
        "due_at": due.isoformat(),
        "reminder": "1d",
    }


def review_task_updates(cast: Cast, actor: User | None) -> dict:
    task = action_task(plan(cast, True), cast.alice)
    return {"updates": [{"task_id": task.pk, "text": "Proposal sent"}]}


def year(cast: Cast, actor: User | None, own: bool) -> int:
    return dt.date.today().year


def entry_id(cast: Cast, actor: User | None, own: bool) -> int:
    organization = cast.northwind if own else cast.tailspin
    entry = ledger_services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=organization)
    )
    assert entry is not None
    return entry.pk


def vendor_opportunity(cast: Cast) -> Opportunity:
    """One of the vendor's own open opportunities, for "Convert to shared deal"."""
    vendor = Organization.objects.get(kind="vendor")
    return OpportunityFactory.create(organization=vendor, brought_by=vendor)


def opportunity_id(cast: Cast, actor: User | None, own: bool) -> int:
    """ "Other" is a partner's opportunity, which no one converts."""
    if own:
        return vendor_opportunity(cast).pk
    return OpportunityFactory.create(organization=cast.tailspin).pk


def deal_conversion(cast: Cast, actor: User | None) -> dict:
    return {
        "opportunity_id": vendor_opportunity(cast).pk,
        "partner_id": cast.northwind.pk,
        "owner_id": cast.alice.pk,
        "welcome_note": "Welcome aboard",
        "confirmed": True,
    }


def deal_id(cast: Cast, actor: User | None, own: bool) -> int:
    """One shared deal per side (Northwind's assigned to the sales rep), with a shared message,
    its quote, and one private note of each side."""
    return cast.world["deal", own]


def note_id(cast: Cast, actor: User | None, own: bool) -> int:
    return cast.world["note", own]


def attachment_id(cast: Cast, actor: User | None, own: bool) -> int:
    return cast.world["attachment", own]


def view_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A saved deal view is its owner's: the requester's own, or Tailspin's admin's."""
    owner = cast.own_side_user(actor) if own else cast.charlie
    return DealView.objects.create(user=owner, name=f"Matrix view {DealView.objects.count()}").pk


def registration_id(cast: Cast, actor: User | None, own: bool) -> int:
    return Deal.objects.get(pk=cast.world["deal", own]).opportunity.registrations.get().pk


def partner_member(cast: Cast, actor: User | None, own: bool) -> User:
    """Who owns a partner's dashboard records: the requester when a partner, else Northwind's
    admin; Tailspin's admin for the other side."""
    if not own:
        return cast.charlie
    return actor if actor is not None and actor.is_partner else cast.alice


def kind(cast: Cast, actor: User | None, own: bool) -> str:
    return "closed_won"


MATRIX_PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def report_id(cast: Cast, actor: User | None, own: bool) -> int:
    return dashboard_services.saved_report_create(
        actor=partner_member(cast, actor, own), name="Matrix", kind="closed_won",
        period=MATRIX_PERIOD,
    ).pk  # fmt: skip


def list_id(cast: Cast, actor: User | None, own: bool) -> int:
    return dashboard_services.customer_list_create(
        actor=partner_member(cast, actor, own), name=f"Matrix {own}", customer_ids=[]
    ).pk


def export_id(cast: Cast, actor: User | None, own: bool) -> int:
    return dashboard_services.export_create(
        actor=partner_member(cast, actor, own), name="Matrix", file_format="csv",
        kind="closed_won", period=MATRIX_PERIOD,
    ).pk  # fmt: skip


def statement_id(cast: Cast, actor: User | None, own: bool) -> int:
    return CommissionStatement.objects.create(
        organization=cast.northwind if own else cast.tailspin,
        quarter_start=dt.date(2026, 1, 1), quarter_end=dt.date(2026, 3, 31), currency_id="USD",
        rate_percent=20, revenue_minor=100_00, commission_minor=20_00,
        payable_on=dt.date(2026, 5, 15),
    ).pk  # fmt: skip


def referral_id(cast: Cast, actor: User | None, own: bool) -> int:
    """An accepted deal of Northwind's at Seattle with Bob and Uma on its team, or one of
    Tailspin's; accepting or declining it is over, working it is not."""
    return cast.world["referral", own]


def member_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A member of the team of the referral `referral_id` names, neither its owner nor its
    last member, so that editing and removing it are allowed to whoever works the deal."""
    referral = cast.world["referral", own]
    return ReferralTeamMember.objects.create(
        referral_id=referral,
        first_name="Mia",
        last_name="Matrix",
        phone="+1 206 555 0199",
        email=f"mia-{ReferralTeamMember.objects.count()}@matrix.example",
    ).pk


def stage_id(cast: Cast, actor: User | None, own: bool) -> int:
    """One of the partner's own CRM stages, or one of Tailspin's."""
    owner = cast.alice if own else cast.charlie
    return crm_stage_save(actor=owner, name="Matrix stage", percentage=40).pk


def pipeline_stage_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A stage of the shared-deal pipeline, the program's, the same for both sides; no deal is
    at it, so that it can be removed."""
    return PipelineStage.objects.create(name="Matrix unused stage", position=99).pk


def rule_id(cast: Cast, actor: User | None, own: bool) -> int:
    """An assignment rule of the program, the same for both sides."""
    return AssignmentRule.objects.create(name="Matrix rule", position=99).pk


def solution_type_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A solution type of the program, the same for both sides."""
    return SolutionType.objects.create(name="Matrix review", code="matrix-review").pk


def tomorrow() -> str:
    return (program_today() + dt.timedelta(days=1)).isoformat()


def market_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A market of the program, the same for both sides."""
    return Market.objects.get_or_create(country="AQ")[0].pk


def product_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A product of the program, the same for both sides."""
    return Product.objects.get_or_create(code="matrix-product", defaults={"name": "Matrix"})[0].pk


def code(cast: Cast, actor: User | None, own: bool) -> str:
    """A currency of the program, the same for both sides."""
    return Currency.objects.get_or_create(
        code="EUR", defaults={"name": "Euro", "usd100_equivalent": 90}
    )[0].code


def template_id(cast: Cast, actor: User | None, own: bool) -> int:
    """A default task of the program, the same for both sides."""
    return TaskTemplate.objects.get_or_create(title="Matrix default task")[0].pk


def vetting_id(cast: Cast, actor: User | None, own: bool) -> int:
    """Tailspin's vetting for solution assessments, the same for both sides."""
    day = dt.date(2026, 11, 2)
    return AssessmentVetting.objects.get_or_create(organization=cast.tailspin,
                                                   defaults={"vetted_on": day})[0].pk  # fmt: skip


def rate_id(cast: Cast, actor: User | None, own: bool) -> int:
    """An exchange rate of the program, the same for both sides."""
    eur = Currency.objects.get_or_create(code="EUR", defaults={"name": "Euro"})[0]
    day = dt.date(2001, 2, 4)
    return ExchangeRate.objects.get_or_create(currency=eur, valid_from=day,
                                              defaults={"usd_per_unit": 1})[0].pk  # fmt: skip


def webhook(cast: Cast, actor: User | None, own: bool) -> Webhook:
    """A webhook of the requester's own organization (Northwind's for anonymous), or one of
    Tailspin's; made directly, since only admins may subscribe through the service."""
    organization = cast.tailspin
    if own:
        organization = (actor.organization if actor is not None else None) or cast.northwind
    return Webhook.objects.create(
        organization=organization,
        url=WEBHOOK_URL,
        event_types=["deal.created"],
        secret="whsec_matrix",
    )


def webhook_id(cast: Cast, actor: User | None, own: bool) -> int:
    return webhook(cast, actor, own).pk


def delivery_id(cast: Cast, actor: User | None, own: bool) -> int:
    hook = webhook(cast, actor, own)
    event = Event.objects.create(
        kind="deal.created", organization=hook.organization, object_type="deals.deal", object_id="1"
    )
    return Delivery.objects.create(
        webhook=hook,
        event=event,
        event_type="deal.created",
        chain="deals.deal:1",
        body="{}",
        state="delivered",
        attempts_left=0,
        next_attempt_at=timezone.now(),
    ).pk


def import_id(cast: Cast, actor: User | None, own: bool) -> int:
    """An import of the requester's own (Alice's for anonymous), or one of Charlie's."""
    owner = (actor or cast.alice) if own else cast.charlie
    return ImportJob.objects.create(
        organization=owner.organization or cast.northwind,
        requested_by=owner,
        kind="contacts" if owner.is_partner else "customers",
        file="imports/matrix.csv",
        filename="matrix.csv",
        file_format="csv",
        headers=["first_name"],
    ).pk


def import_kind(cast: Cast, actor: User | None, own: bool) -> str:
    return "customers" if actor is not None and actor.is_program_admin else "contacts"


def file_format(cast: Cast, actor: User | None, own: bool) -> str:
    return "csv"


# Objects named by path parameters, keyed by parameter name.
BUILDERS: dict[str, Builder] = {
    "token_id": token_id,
    "partner_id": partner_id,
    "customer_id": customer_id,
    "contact_id": contact_id,
    "subscription_id": subscription_id,
    "plan_id": plan_id,
    "review_id": review_id,
    "year": year,
    "task_id": task_id,
    "user_id": user_id,
    "notification_id": notification_id,
    "secret": secret,
    "application_id": application_id,
    "uidb64": uidb64,
    "token": token,
    "entry_id": entry_id,
    "deal_id": deal_id,
    "opportunity_id": opportunity_id,
    "note_id": note_id,
    "attachment_id": attachment_id,
    "registration_id": registration_id,
    "referral_id": referral_id,
    "member_id": member_id,
    "stage_id": stage_id,
    "pipeline_stage_id": pipeline_stage_id,
    "rule_id": rule_id,
    "market_id": market_id,
    "rate_id": rate_id,
    "vetting_id": vetting_id,
    "template_id": template_id,
    "product_id": product_id,
    "code": code,
    "solution_type_id": solution_type_id,
    "view_id": view_id,
    "kind": kind,
    "report_id": report_id,
    "list_id": list_id,
    "export_id": export_id,
    "statement_id": statement_id,
    "webhook_id": webhook_id,
    "delivery_id": delivery_id,
    "import_id": import_id,
    "import_kind": import_kind,
    "file_format": file_format,
}


def credentials(cast: Cast, actor: User | None) -> dict:
    if actor is None:
        return {"email": "nobody@example.com", "password": PASSWORD}
    return {"email": actor.email, "password": PASSWORD}


def new_customer(cast: Cast, actor: User | None) -> dict:
    return {"name": "Matrix Customer", "country": "US", "currency": "USD"}


def new_contact(cast: Cast, actor: User | None) -> dict:
    return {"first_name": "Mia", "customer": CustomerFactory.create().pk}


def new_partner(cast: Cast, actor: User | None) -> dict:
    return {
        "name": "Matrix Partner",
        "country": "DE",
        "currency": "USD",
        "locations": [{"name": "Berlin", "country": "DE", "code": "MATRIX-BER"}],
    }


def partner_update(cast: Cast, actor: User | None) -> dict:
    return {"name": "Matrix Renamed Partner", "country": "US", "currency": "USD"}


def renamed(cast: Cast, actor: User | None) -> dict:
    return {"name": "Renamed Customer"}


def retitled(cast: Cast, actor: User | None) -> dict:
    return {"job_title": "CTO"}


def no_rows(cast: Cast, actor: User | None) -> list:
    return []


def new_plan(cast: Cast, actor: User | None) -> dict:
    partner = cast.northwind.pk if actor is not None and actor.is_vendor_staff else None
    return {"year": dt.date.today().year, "partner_id": partner}


def sale(cast: Cast, actor: User | None) -> dict:
    return {"mrr": "1000", "source": "sourced", "country": "US", "currency": "USD"}


def conversion(cast: Cast, actor: User | None) -> dict:
    return {"direction": "money_to_points", "country": "US", "currency": "USD", "sold": "1000"}


def new_deal(cast: Cast, actor: User | None) -> dict:
    product = ProductFactory.create(code="matrix-product", name="Matrix product")
    return {
        "customer_id": CustomerFactory.create().pk,
        "name": "Matrix deal",
        "amount": "1000",
        "mrr": "100",
        "currency": "USD",
        "close_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "products": [product.pk],
    }


def open_stage(cast: Cast, actor: User | None) -> dict:
    stage = PipelineStage.objects.filter(outcome="open").last()
    assert stage is not None, "the pipeline's default stages come from a migration"
    return {"stage_id": stage.pk}


def team_member() -> dict:
    return {"first_name": "Mia", "last_name": "Ito", "phone": "+1 206 555 0199",
            "email": "mia@northwind.example"}  # fmt: skip


def new_referral(cast: Cast, actor: User | None) -> dict:
    """The D2 wizard's body: a co-sell deal at Northwind's Seattle office."""
    return {
        "kind": "co_sell",
        "customer_id": CustomerFactory.create().pk,
        "name": "Matrix referral",
        "location_id": cast.northwind.locations.get(name="Seattle").pk,
        "value": "1000",
        "currency": "USD",
        "estimated_close_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "notes": "Matrix",
        "team": [team_member()],
        "agreed": True,
    }


def sent_referral(cast: Cast, actor: User | None) -> dict:
    """The vendor sends to Northwind; a partner sends to another partner (Tailspin)."""
    partner = cast.tailspin if actor is not None and actor.is_partner else cast.northwind
    return {
        "partner_id": partner.pk,
        "customer_id": CustomerFactory.create().pk,
        "name": "Matrix lead",
        "value": "1000",
        "currency": "USD",
        "notes": "Matrix",
    }


# Request bodies, keyed like rows.
BODIES: dict[tuple[str, str, str], Callable[[Cast, User | None], dict | list]] = {
    ("api", "POST", "/auth/tokens"): credentials,
    ("api", "POST", "/customers"): new_customer,
    ("api", "POST", "/partners"): new_partner,
    ("api", "PUT", "/partners/{int:partner_id}"): partner_update,
    ("api", "POST", "/partner-applications"): lambda cast, actor: {
        "company_name": "Matrix Applicant",
        "country": "TH",
        "contact_name": "Nok Suksan",
        "contact_email": "nok@matrix.example",
    },
    ("api", "POST", "/partner-applications/{int:application_id}/approve"): lambda cast, actor: {
        "currency": "USD",
        "location": {"name": "Bangkok", "country": "TH", "code": "MATRIX-BKK"},
    },
    ("api", "POST", "/partner-applications/{int:application_id}/reject"): (
        lambda cast, actor: {"reason": "Not this year"}
    ),
    ("api", "POST", "/partners/{int:partner_id}/locations"): lambda cast, actor: {
        "name": "Matrix office",
        "country": "US",
        "code": "MATRIX-SEA",
    },
    ("api", "PATCH", "/customers/{int:customer_id}"): renamed,
    ("api", "POST", "/contacts"): new_contact,
    ("api", "PATCH", "/contacts/{int:contact_id}"): retitled,
    ("api", "POST", "/customers/import"): no_rows,
    ("api", "POST", "/subscriptions/import"): no_rows,
    ("api", "POST", "/usage/import"): no_rows,
    ("api", "POST", "/certifications/import"): no_rows,
    ("api", "POST", "/goal-plans"): new_plan,
    ("api", "PATCH", "/goal-plans/{plan_id}"): lambda cast, actor: {"market_goal": "Japan"},
    ("api", "PUT", "/goal-plans/{plan_id}/targets"): lambda cast, actor: {"targets": []},
    ("api", "POST", "/goal-plans/{plan_id}/apply-growth"): lambda cast, actor: {"percent": 10},
    ("api", "POST", "/goal-plans/{plan_id}/reviews"): lambda cast, actor: {"quarter": 1},
    ("api", "PATCH", "/goal-plans/{plan_id}/reviews/{review_id}"): (
        lambda cast, actor: {"focus_notes": "Japan"}
    ),
    ("api", "POST", "/goal-plans/{plan_id}/reviews/{review_id}/task-updates"): (
        review_task_updates
    ),
    ("api", "POST", "/tasks"): new_task,
    ("api", "PATCH", "/tasks/{task_id}"): lambda cast, actor: {"priority": "low"},
    ("api", "POST", "/tasks/{task_id}/progress-updates"): (
        lambda cast, actor: {"text": "Demo booked"}
    ),
    ("api", "PATCH", "/me"): lambda cast, actor: {"timezone": "Asia/Tokyo"},
    ("api", "POST", "/users/invitations"): lambda cast, actor: {
        "email": "new.member@example.com",
        "full_name": "New Member",
        "role": "partner_user" if actor and actor.is_partner else "sales_rep",
    },
    ("api", "PATCH", "/users/{user_id}"): lambda cast, actor: {"role": "partner_admin"},
    ("api", "POST", "/invitations"): lambda cast, actor: {
        "partner_id": cast.northwind.pk,
        "email": "first.admin@example.com",
        "full_name": "First Admin",
    },
    ("api", "PUT", "/notifications/preferences"): lambda cast, actor: {"preferences": []},
    ("api", "POST", "/points/calculator"): sale,
    ("api", "POST", "/points/calculator/currency"): conversion,
    ("api", "POST", "/deals"): new_deal,
    ("api", "POST", "/deals/convert"): deal_conversion,
    ("api", "POST", "/deals/views"): lambda cast, actor: {
        "name": "Registered deals",
        "min_active_registrations": 1,
    },
    ("api", "PATCH", "/deals/{int:deal_id}"): lambda cast, actor: {"name": "Renamed deal"},
    ("api", "POST", "/deal-stages"): lambda cast, actor: {"name": "Matrix pipeline stage"},
    ("api", "PATCH", "/deal-stages/{int:pipeline_stage_id}"): lambda cast, actor: {"position": 5},
    ("api", "POST", "/settings/assignment-rules"): lambda cast, actor: {"name": "Matrix rule 2"},
    ("api", "PATCH", "/settings/assignment-rules/{int:rule_id}"): lambda cast, actor: {
        "country": "US"
    },
    ("api", "POST", "/settings/solution-types"): lambda cast, actor: {"name": "Matrix type"},
    ("api", "PATCH", "/settings/solution-types/{int:solution_type_id}"): lambda cast, actor: {
        "is_active": False
    },
    ("api", "PUT", "/settings/two-factor-requirement"): lambda cast, actor: {"required": False},
    ("api", "POST", "/settings/points-rules"): lambda cast, actor: {"effective_from": tomorrow()},
    ("api", "PUT", "/settings/tiers"): lambda cast, actor: {
        "effective_from": tomorrow(),
        "tiers": [{"name": "Matrix tier", "threshold": "100"}],
    },
    ("api", "POST", "/settings/markets"): lambda cast, actor: {"country": "AQ"},
    ("api", "PATCH", "/settings/markets/{int:market_id}"): lambda cast, actor: {"is_growth": True},
    ("api", "POST", "/settings/exchange-rates"): lambda cast, actor: {
        "currency": "EUR",
        "valid_from": "2001-02-03",
        "usd_per_unit": "1.1",
    },
    ("api", "PUT", "/settings/lead-recipients"): lambda cast, actor: {"users": []},
    ("api", "PATCH", "/settings/exchange-rates/{int:rate_id}"): lambda cast, actor: {
        "usd_per_unit": "1.2"
    },
    ("api", "POST", "/settings/products"): lambda cast, actor: {"name": "Matrix add-on"},
    ("api", "PATCH", "/settings/products/{int:product_id}"): lambda cast, actor: {
        "description": "Changed"
    },
    ("api", "POST", "/settings/currencies"): lambda cast, actor: {
        "code": "XMX",
        "name": "Matrix money",
        "usd100_equivalent": "100",
    },
    ("api", "PATCH", "/settings/currencies/{code}"): lambda cast, actor: {"name": "Euro"},
    ("api", "POST", "/settings/default-tasks"): lambda cast, actor: {"title": "Matrix task"},
    ("api", "PATCH", "/settings/default-tasks/{int:template_id}"): lambda cast, actor: {
        "priority": "low"
    },
    ("api", "POST", "/settings/assessment-vettings"): lambda cast, actor: {
        "partner_id": cast.tailspin.pk,
        "vetted_on": "2026-11-03",
    },
    ("api", "PATCH", "/settings/assessment-vettings/{int:vetting_id}"): lambda cast, actor: {
        "note": "Checked"
    },
    ("api", "PATCH", "/settings/deal-program"): lambda cast, actor: {"exclusivity_days": 30},
    ("api", "PATCH", "/settings/referral-program"): lambda cast, actor: {"response_days": 10},
    ("api", "PATCH", "/settings/commission-program"): lambda cast, actor: {"years": 2},
    ("api", "POST", "/deals/{int:deal_id}/stage"): open_stage,
    ("api", "POST", "/deals/{int:deal_id}/notes"): lambda cast, actor: {
        "body": "Hi",
        "shared": True,
    },
    ("api", "POST", "/deals/{int:deal_id}/notes/{int:note_id}/comments"): (
        lambda cast, actor: {"body": "Nice"}
    ),
    ("api", "POST", "/registrations/{int:registration_id}/reject"): (
        lambda cast, actor: {"reason": "Existing customer"}
    ),
    ("api", "POST", "/registrations/{int:registration_id}/request-info"): (
        lambda cast, actor: {"reason": "Budget?"}
    ),
    ("api", "POST", "/registrations/{int:registration_id}/extension"): (
        lambda cast, actor: {"reason": "The customer's board meets next month"}
    ),
    ("api", "POST", "/registrations/{int:registration_id}/extension/decision"): (
        lambda cast, actor: {"grant": True}
    ),
    ("api", "POST", "/registrations/{int:registration_id}/resubmit"): (
        lambda cast, actor: {"answer": "50k"}
    ),
    ("api", "POST", "/reports"): lambda cast, actor: {
        "name": "Matrix report",
        "kind": "closed_won",
        "start": "2026-01-01",
        "end": "2026-12-31",
    },
    ("api", "PATCH", "/reports/{int:report_id}"): lambda cast, actor: {"on_dashboard": True},
    ("api", "POST", "/lists"): lambda cast, actor: {"name": "Matrix list"},
    ("api", "PATCH", "/lists/{int:list_id}"): lambda cast, actor: {"name": "Renamed list"},
    ("api", "POST", "/lists/{int:list_id}/members"): lambda cast, actor: {"customer_ids": []},
    ("api", "POST", "/exports"): lambda cast, actor: {
        "name": "Matrix export",
        "file_format": "csv",
        "kind": "closed_won",
        "start": "2026-01-01",
        "end": "2026-12-31",
    },
    ("api", "POST", "/webhooks"): lambda cast, actor: {
        "url": WEBHOOK_URL,
        "event_types": ["deal.created", "referral.received"],
    },
    ("api", "PATCH", "/webhooks/{int:webhook_id}"): lambda cast, actor: {"description": "CRM"},
    ("api", "POST", "/imports/{int:import_id}/check"): lambda cast, actor: {"mapping": []},
    ("api", "POST", "/privacy/erasures"): lambda cast, actor: {
        "email": "yui@sakura.example",
        "reason": "Matrix ticket 1",
    },
    ("api", "POST", "/referrals"): new_referral,
    ("api", "POST", "/referrals/send"): sent_referral,
    ("api", "PATCH", "/referrals/{int:referral_id}"): lambda cast, actor: {"notes": "Update"},
    ("api", "POST", "/referrals/{int:referral_id}/accept"): lambda cast, actor: {"notes": "Mine"},
    ("api", "POST", "/referrals/{int:referral_id}/decline"): lambda cast, actor: {
        "reason": "other"
    },
    ("api", "POST", "/referrals/{int:referral_id}/stages"): (
        lambda cast, actor: {"stage": "gather_data"}
    ),
    ("api", "POST", "/referrals/{int:referral_id}/close"): (
        lambda cast, actor: {"outcome": "lost", "lost_reason": "price"}
    ),
    ("api", "POST", "/referrals/{int:referral_id}/team"): (
        lambda cast, actor: {"members": [team_member()]}
    ),
    ("api", "PATCH", "/referrals/{int:referral_id}/team/{int:member_id}"): (
        lambda cast, actor: {"phone": "+1 206 555 0198"}
    ),
    ("api", "POST", "/referrals/stage-mappings"): (
        lambda cast, actor: {"name": "Proposal", "percentage": 60}
    ),
}

# GET routes whose answer changes with its query string: each is read again with these, where
# the same status holds and the body checks look too.
QUERIES: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("page", "GET", "deals:detail"): ("?tab=notes", "?tab=history"),
    ("api", "GET", "/deals/{int:deal_id}/notes"): ("?shared=false",),
    ("page", "GET", "referrals:list"): ("?tab=outbound", "?tab=closed"),
    ("page", "GET", "referrals:export"): ("?tab=outbound", "?tab=closed"),
}
