"""Sign-in and sign-out for contestants and learners (the admin has its own)."""

from django.contrib.auth import views as auth_views


class PortalLoginView(auth_views.LoginView):
    template_name = "users/login.html"
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    next_page = "/"
