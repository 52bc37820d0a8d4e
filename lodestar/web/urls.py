"""Every page of the web app. Names are stable: alerts, e-mails and tests reverse them."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from lodestar.web.views import (
    account,
    alerts,
    alignment,
    carry_over,
    dashboard,
    edit_okrs,
    edit_strategy,
    first_run,
    front_door,
    history,
    manage_units,
    okrs,
    passkeys,
    passwords,
    people,
    profile,
    second_factor,
    sessions,
    signin,
    strategy,
)


def favicon(request) -> HttpResponsePermanentRedirect:
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))


urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon),
    path("login/", signin.SignIn.as_view(), name="login"),
    path("setup/", first_run.setup, name="first-run"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One's own password: changed signed in, or reset from a link e-mailed (Django's names).
    path("account/password/", passwords.PasswordChange.as_view(), name="password_change"),
    path(
        "account/password/changed/",
        passwords.PasswordChanged.as_view(),
        name="password_change_done",
    ),
    path("password-reset/", passwords.PasswordReset.as_view(), name="password_reset"),
    path("password-reset/sent/", passwords.PasswordResetSent.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        passwords.PasswordResetComplete.as_view(),
        name="password_reset_complete",
    ),
    path("", dashboard.dashboard, name="dashboard"),
    path("alerts/snooze/", alerts.snooze, name="alert-snooze"),
    path("alerts/unsnooze/", alerts.unsnooze, name="alert-unsnooze"),
    # Strategy (Balanced Scorecard)
    path("scorecards/", strategy.scorecard_list, name="scorecard-list"),
    path("scorecards/<int:pk>/", strategy.scorecard, name="scorecard"),
    path("scorecards/<int:pk>/map/", strategy.strategy_map, name="strategy-map"),
    path("scorecards/<int:pk>/map.svg", strategy.strategy_map_svg, name="strategy-map-svg"),
    path(
        "strategic-objectives/<int:pk>/", strategy.strategic_objective, name="strategic-objective"
    ),
    path("measures/<int:pk>/", strategy.measure, name="measure"),
    path("initiatives/<int:pk>/", strategy.initiative, name="initiative"),
    path("heatmap/", strategy.heatmap, name="heatmap"),
    path("units/", strategy.unit_list, name="unit-list"),
    path("units/<int:pk>/", strategy.unit, name="unit"),
    # The tree and its people, managed in the app (issue 23): the admin's.
    path("units/new", manage_units.unit_new, name="unit-new"),
    path("units/<int:pk>/edit", manage_units.unit_edit, name="unit-edit"),
    path("units/<int:pk>/lead", manage_units.unit_lead_page, name="unit-lead"),
    path("units/<int:pk>/close", manage_units.unit_close_page, name="unit-close"),
    path("people/", people.people, name="people"),
    path("people/invite/", people.invite, name="people-invite"),
    path("people/invite-many/", people.invite_many, name="people-invite-many"),
    path("people/<int:pk>/edit", people.person_edit_page, name="person-edit"),
    path("people/<int:pk>/deactivate", people.deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate", people.reactivate, name="person-reactivate"),
    path("people/<int:pk>/invite-again", people.invite_again, name="person-invite-again"),
    path("invitation/<uidb64>/<token>/", people.InvitationAccept.as_view(), name="invitation"),
    # OKRs
    path("okrs/", okrs.okr_tree, name="okr-tree"),
    path("okrs/branch/<int:pk>/", okrs.okr_branch, name="okr-branch"),
    path("okrs/unit/<int:pk>/", okrs.okr_unit, name="okr-unit"),
    path("cycles/", okrs.cycle_list, name="cycle-list"),
    path("cycles/<int:pk>/", okrs.cycle, name="cycle"),
    path("cycles/<int:pk>/carry-over", carry_over.carry_over, name="cycle-carry-over"),
    path("objectives/<int:pk>/", okrs.objective, name="objective"),
    path("objectives/<int:pk>/grade", okrs.objective_grade, name="objective-grade"),
    path("key-results/<int:pk>/", okrs.key_result, name="key-result"),
    path("key-results/<int:pk>/check-in", okrs.checkin, name="checkin"),
    path("my/", okrs.my_key_results, name="my-key-results"),
    path("people/<int:pk>/", okrs.person, name="person"),
    path("account/email/", account.email, name="account-email"),
    path("account/two-factor/", second_factor.two_factor, name="two-factor"),
    path("account/verify/", second_factor.verify, name="verify"),
    path(
        "account/two-factor/passkeys/<int:pk>/remove",
        second_factor.passkey_delete,
        name="passkey-remove",
    ),
    path("account/", include((passkeys.urlpatterns, "otp_webauthn"))),
    path("account/email/confirm/<str:token>/", account.email_confirm, name="account-email-confirm"),
    # Insights
    path("alignment/", alignment.alignment, name="alignment"),
    # Every change to an object, a page at a time (its own page shows the latest).
    path("history/<slug:kind>/<int:pk>/", history.history, name="history"),
    # Forms: the strategy office builds a scorecard, a team its OKRs, without the admin.
    path("scorecards/new", edit_strategy.scorecard_new, name="scorecard-new"),
    path("scorecards/<int:pk>/edit", edit_strategy.scorecard_edit, name="scorecard-edit"),
    path("scorecards/<int:pk>/publish", edit_strategy.scorecard_publish, name="scorecard-publish"),
    path(
        "scorecards/<int:pk>/perspectives/new",
        edit_strategy.perspective_new,
        name="perspective-new",
    ),
    path("perspectives/<int:pk>/edit", edit_strategy.perspective_edit, name="perspective-edit"),
    path("scorecards/<int:pk>/themes/new", edit_strategy.theme_new, name="theme-new"),
    path("themes/<int:pk>/edit", edit_strategy.theme_edit, name="theme-edit"),
    path(
        "scorecards/<int:pk>/objectives/new",
        edit_strategy.strategic_objective_new,
        name="strategic-objective-new",
    ),
    path(
        "strategic-objectives/<int:pk>/edit",
        edit_strategy.strategic_objective_edit,
        name="strategic-objective-edit",
    ),
    path("scorecards/<int:pk>/links/new", edit_strategy.link_new, name="link-new"),
    path("links/<int:pk>/edit", edit_strategy.link_edit, name="link-edit"),
    path(
        "strategic-objectives/<int:pk>/measures/new",
        edit_strategy.measure_new,
        name="measure-new",
    ),
    path("measures/<int:pk>/edit", edit_strategy.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/values/new", edit_strategy.measure_value_new, name="measure-value-new"),
    path("initiatives/new", edit_strategy.initiative_new, name="initiative-new"),
    path("initiatives/<int:pk>/edit", edit_strategy.initiative_edit, name="initiative-edit"),
    path("cycles/new", edit_okrs.cycle_new, name="cycle-new"),
    path("cycles/<int:pk>/edit", edit_okrs.cycle_edit, name="cycle-edit"),
    path("objectives/new", edit_okrs.objective_new, name="objective-new"),
    path("objectives/<int:pk>/edit", edit_okrs.objective_edit, name="objective-edit"),
    path(
        "objectives/<int:pk>/key-results/new",
        edit_okrs.key_result_new,
        name="key-result-new",
    ),
    path("key-results/<int:pk>/edit", edit_okrs.key_result_edit, name="key-result-edit"),
    # Deletes (GET asks, POST deletes) and the cycle's state buttons (POST).
    path("scorecards/<int:pk>/delete", edit_strategy.scorecard_delete, name="scorecard-delete"),
    path(
        "perspectives/<int:pk>/delete", edit_strategy.perspective_delete, name="perspective-delete"
    ),
    path("themes/<int:pk>/delete", edit_strategy.theme_delete, name="theme-delete"),
    path(
        "strategic-objectives/<int:pk>/delete",
        edit_strategy.strategic_objective_delete,
        name="strategic-objective-delete",
    ),
    path("links/<int:pk>/delete", edit_strategy.link_delete, name="link-delete"),
    path("measures/<int:pk>/delete", edit_strategy.measure_delete, name="measure-delete"),
    path(
        "measure-values/<int:pk>/delete",
        edit_strategy.measure_value_delete,
        name="measure-value-delete",
    ),
    path("initiatives/<int:pk>/delete", edit_strategy.initiative_delete, name="initiative-delete"),
    path("cycles/<int:pk>/delete", edit_okrs.cycle_delete, name="cycle-delete"),
    path("cycles/<int:pk>/activate", edit_okrs.cycle_activate, name="cycle-activate"),
    path("cycles/<int:pk>/close", edit_okrs.cycle_close, name="cycle-close"),
    path("objectives/<int:pk>/delete", edit_okrs.objective_delete, name="objective-delete"),
    path("key-results/<int:pk>/delete", edit_okrs.key_result_delete, name="key-result-delete"),
    path("objectives/<int:pk>/key-results/hold", edit_okrs.key_result_hold, name="key-result-hold"),
    # One's own account; the admin's view of everyone's sign-ins and the second-factor rule.
    path("account/profile/", profile.profile, name="account-profile"),
    path("account/sessions/", sessions.sessions, name="sessions"),
    path("account/sessions/end", sessions.session_end, name="session-end"),
    path("account/sessions/end-others", sessions.sessions_end_others, name="sessions-end-others"),
    path("people/history/", front_door.people_history, name="people-history"),
    path("settings/second-factor/", front_door.second_factor_policy, name="second-factor-policy"),
]
