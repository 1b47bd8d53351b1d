from django.urls import path

from hoso.accounts import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp, name="login-otp"),
    path("login/totp/", views.totp_enroll, name="totp-enroll"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.api_tokens, name="api-tokens"),
    path("me/tokens/<id:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("accounts/", views.account_list, name="account-list"),
    path("accounts/new/", views.account_new, name="account-new"),
    path("accounts/<id:pk>/", views.account_detail, name="account-detail"),
    path("accounts/requests/", views.access_requests, name="access-requests"),
    path("accounts/requests/<id:pk>/", views.access_request_decide, name="access-request-decide"),
]
