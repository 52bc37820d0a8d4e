"""A person changes their own password (/account/password/) or resets a forgotten one
from a link e-mailed to them (/password-reset/): Django's views, with our pages.

Django's admin ships pages under the registration/ names these views use by default, and
it comes first among the apps, so every page here is named explicitly. The e-mailed link
starts with SITE_URL, like every link Lodestar mails, never with the Host the request
named (a forged Host would otherwise put the attacker's address in front of the token)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/change_password.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChanged(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_changed.html"


class PasswordReset(auth_views.PasswordResetView):
    template_name = "registration/reset_password.html"
    email_template_name = "registration/reset_password_email.txt"
    subject_template_name = "registration/reset_password_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self) -> dict:
        return {"site_url": settings.SITE_URL}


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "registration/reset_password_sent.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "registration/reset_password_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "registration/reset_password_complete.html"
