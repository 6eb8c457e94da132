"""Quizzes, attempts and bank questions by id, through the gate and the policy (org.policy): out of
scope (or missing) is a 404, in scope without the right the action's 403.

- A quiz is reached through its plan (`study.access.access_plan`): configuring it is `plan.manage`
  on the plan's issuer; its results are `quiz.results` on the organisation a page shows
  (`study.access.access_plan_org`).
- A question is reached through its document's bank: `quiz.bank` on the document's issuing
  organisation, at the top of the tree for a central document (`documents.access.access_document`).
- An attempt is its member's alone: anyone else's is a 404, whatever their role.
"""

from django.shortcuts import get_object_or_404

from quantriet.documents.access import access_document
from quantriet.org.policy import VIEW, access
from quantriet.study.access import access_plan

from .models import Attempt, Question, Quiz


def access_quiz(user, plan_id, action=VIEW) -> Quiz:
    """The quiz of the plan PLAN_ID, the plan as `access_plan` gives it (404 / 403); no quiz yet is a 404."""
    plan = access_plan(user, plan_id, action)
    return get_object_or_404(Quiz.objects.select_related("plan", "plan__issuer"), plan=plan)


def access_question(user, document_id, question_id, action="quiz.bank") -> Question:
    """The question QUESTION_ID of the bank of the document DOCUMENT_ID, the document as
    `access_document` gives it for ACTION (404 / 403); a question of another document is a 404."""
    document = access_document(user, document_id, action)
    return get_object_or_404(Question.objects.filter(document=document).select_related("document"), pk=question_id)


def access_attempt(user, attempt_id, action=VIEW) -> Attempt:
    """The attempt ATTEMPT_ID if it is USER's own (else 404); ACTION is checked on their cell."""
    attempts = Attempt.objects.filter(member__user=user).select_related("quiz", "quiz__plan")
    return access(attempts, attempt_id, user, action, org_of=lambda attempt: attempt.member.cell)
