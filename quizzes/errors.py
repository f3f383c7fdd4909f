"""Why an attempt action was refused; each carries the message shown to the contestant."""

from django.utils.translation import gettext_lazy as _


class AttemptRefused(Exception):
    status = 400
    default_message = _("This request cannot be accepted.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class AttemptNotFound(AttemptRefused):
    status = 404
    default_message = _("This attempt does not exist or is not yours.")


class AttemptClosed(AttemptRefused):
    status = 409
    default_message = _("Time is up: this attempt has been closed and graded.")


class AssessmentNotOpen(AttemptRefused):
    status = 409
    default_message = _("This test is not open now.")


class AttemptLimitReached(AttemptRefused):
    status = 409
    default_message = _("You have used every attempt allowed for this test.")


class AttemptInvalidAnswer(AttemptRefused):
    status = 400
    default_message = _("This answer does not belong to your test.")


class QuestionBankTooSmall(AttemptRefused):
    status = 409
    default_message = _("The question bank does not have enough active questions for this test.")
