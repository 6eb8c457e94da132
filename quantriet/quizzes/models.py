"""Quizzes: a question bank per document, one quiz per plan, members' timed attempts.

An attempt stores its layout (the drawn question ids in order, each with its choice ids in the
order shown), so the page, the API and the scoring all see the same paper. A question once drawn
into an attempt is marked ``used``: its kind and choices are then frozen (past attempts keep what
they were scored against) and deleting it retires it (``active`` off) instead.

``QuizResult`` is the rollup the boards read: one row per (quiz, member), rewritten in the same
transaction as every attempt that closes (services.attempt_close).
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from quantriet.documents.models import Document
from quantriet.org.models import Member
from quantriet.study.models import StudyPlan

#: Answers arriving this long after the deadline are still taken (network, a slow phone).
GRACE = timedelta(seconds=30)
#: Choices per question ("Đáp án A" … "Đáp án F").
MAX_CHOICES = 6


class QuestionKind(models.TextChoices):
    SINGLE = "mot", "Một đáp án"
    MULTIPLE = "nhieu", "Nhiều đáp án"


class RevealPolicy(models.TextChoices):
    """When a member sees the correct answers and explanations of a submitted attempt."""

    EACH = "moi_lan", "Công bố sau mỗi lần làm bài"
    LAST = "lan_cuoi", "Chỉ công bố sau lần làm cuối cùng được phép (hoặc khi đã đạt)"
    NEVER = "khong", "Không công bố"


class Question(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="quiz_questions")
    kind = models.CharField("loại", max_length=8, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField("câu hỏi")
    explanation = models.TextField("giải thích", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: Off once retired: no longer drawn for new attempts; attempts that drew it still show it.
    active = models.BooleanField("đang sử dụng", default=True)
    #: Set when first drawn into an attempt: from then on its kind and choices cannot change.
    used = models.BooleanField("đã có trong bài làm", default=False, editable=False)

    class Meta:
        verbose_name = "câu hỏi"
        verbose_name_plural = "câu hỏi"
        ordering = ["id"]

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    text = models.CharField("đáp án", max_length=500)
    correct = models.BooleanField("đúng", default=False)

    class Meta:
        verbose_name = "đáp án"
        verbose_name_plural = "đáp án"
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:80]

    @property
    def letter(self):
        return "ABCDEF"[self.position] if self.position < MAX_CHOICES else str(self.position + 1)


class Quiz(models.Model):
    """Bài kiểm tra of a plan, drawn from the question banks of the plan's documents."""

    plan = models.OneToOneField(StudyPlan, on_delete=models.CASCADE, related_name="quiz")
    time_limit_minutes = models.PositiveSmallIntegerField(
        "thời gian làm bài (phút)", default=20, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        "số câu mỗi lần làm", default=10, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        "số lần được làm", default=2, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        "điểm đạt (%)", default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    shuffle = models.BooleanField("xáo trộn câu hỏi và đáp án", default=True)
    reveal = models.CharField(
        "công bố đáp án đúng và giải thích", max_length=8, choices=RevealPolicy.choices, default=RevealPolicy.LAST
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "bài kiểm tra"
        verbose_name_plural = "bài kiểm tra"

    def __str__(self):
        return f"Bài kiểm tra — {self.plan}"

    def bank(self):
        """The questions new attempts are drawn from: the active ones of the plan's documents."""
        return Question.objects.filter(document__in=self.plan.documents.all(), active=True)


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField("lần làm")
    seed = models.BigIntegerField()
    layout = models.JSONField(default=list, help_text='[{"q": question id, "c": [choice ids in shown order]}]')
    started_at = models.DateTimeField("bắt đầu")
    deadline_at = models.DateTimeField("hết giờ")
    submitted_at = models.DateTimeField("nộp bài", null=True, blank=True)
    closed_late = models.BooleanField("hết giờ, đóng với câu trả lời đã lưu", default=False)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.DecimalField("điểm (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField("đạt", null=True, blank=True)

    class Meta:
        verbose_name = "lần làm bài kiểm tra"
        verbose_name_plural = "lần làm bài kiểm tra"
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "member", "number"], name="attempt_number")]
        indexes = [models.Index(fields=["quiz", "member"])]

    def __str__(self):
        return f"{self.member} — lần {self.number}"

    def get_absolute_url(self):
        return reverse("quizzes:attempt", args=[self.pk])

    @property
    def is_open(self):
        return self.submitted_at is None

    def question_ids(self):
        return [item["q"] for item in self.layout]

    def expired(self, at=None):
        """Past the deadline and its grace: nothing more is taken."""
        return (at or timezone.now()) > self.deadline_at + GRACE


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice_ids = models.JSONField(default=list)
    correct = models.BooleanField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_per_question")]

    def __str__(self):
        return f"{self.attempt} — câu {self.question_id}"


class QuizResult(models.Model):
    """One member's standing on one quiz: the rollup the results pages (and later the fidelity index) read.

    Rewritten from the member's attempts in the same transaction whenever one of them closes
    (``services.attempt_close``: submitted, or closed when its time ran out), and rebuilt for a whole
    quiz by ``services.rebuild_results``. Only submitted (closed) attempts count; a member with no
    closed attempt has no row (the results pages left-join the quiz's takers to this table).

    - ``attempts``: closed attempts (submitted in time or closed late).
    - ``best_score``: the highest score (%) among them.
    - ``passed``: whether any of them passed (against the pass mark in force when it was scored).
    - ``last_submitted_at``: when the latest one closed (its deadline, for one closed late).
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="results")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="quiz_results")
    attempts = models.PositiveSmallIntegerField("số lần đã nộp", default=0)
    best_score = models.DecimalField("điểm cao nhất (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField("đạt", default=False)
    last_submitted_at = models.DateTimeField("nộp lần cuối", null=True, blank=True)
    #: Rewritten (or rebuilt) at: the fidelity rollups look for changes since their last run.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "kết quả kiểm tra"
        verbose_name_plural = "kết quả kiểm tra"
        constraints = [models.UniqueConstraint(fields=["quiz", "member"], name="quiz_result_per_member")]

    def __str__(self):
        return f"{self.member} — {self.best_score}%"
