from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import security_views, views
from accounts.forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/", views.session_keep_alive, name="session_keep_alive"),
    path("mfa/", views.mfa_verify, name="mfa_verify"),
    path("mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("mfa/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("partnerships/<int:partnership_pk>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "partnerships/<int:partnership_pk>/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("security/", security_views.account_security, name="account_security"),
    path("password/", security_views.password_change, name="password_change"),
    path("password/reset/", security_views.password_reset_request, name="password_reset"),
    path(
        "password/reset/<str:uidb64>/<str:token>/", security_views.password_reset_confirm, name="password_reset_confirm"
    ),
    path("passkeys/register/begin/", security_views.passkey_register_begin, name="passkey_register_begin"),
    path("passkeys/register/complete/", security_views.passkey_register_complete, name="passkey_register_complete"),
    path("passkeys/sign-in/begin/", security_views.passkey_auth_begin, name="passkey_auth_begin"),
    path("passkeys/sign-in/complete/", security_views.passkey_auth_complete, name="passkey_auth_complete"),
    path("passkeys/<int:pk>/remove/", security_views.passkey_remove, name="passkey_remove"),
]
