"""Questionnaires, their fieldwork and the answers.

How answers are stored (for exports and the analysis in ``glas/surveys/analysis/``): one
``Answer`` row per response and question, with the value in exactly one typed column chosen by
the question type (``Question.STORAGE``):

* ``text`` — a choice code (single, dropdown, yes/no, Likert, settlement: the settlement's slug)
  or the text itself (short and long text);
* ``number`` — numeric and 0–10 answers (a Decimal, so no float rounding);
* ``date`` — date answers;
* ``codes`` — JSON: the list of chosen codes (multiple choice; ranking, in rank order) or the
  object ``{row code: scale code}`` (matrix);
* ``other_text`` — "other, please specify" beside the reserved code ``other``.

``glas.surveys.selectors.response_table`` flattens these to one row per response with one
column per export variable (``var``, ``var_<code>`` 0/1 for multiple choice, ``var_<row>`` for
matrix rows, ``var_<rank>`` for ranking, ``var_other``, and ``var_code`` or ``var_c<code>``
for open answers coded into a ``CodeFrame``), which is what CSV/XLSX/SPSS exports and the
weighting engine read.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

VARIABLE_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,63}$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
OTHER_CODE = "other"
TEXT_CAP = 5000  # the longest text answer accepted, whatever a question says
SHORT_TEXT_DEFAULT = 200
LONG_TEXT_DEFAULT = 2000


class Survey(models.Model):
    """A questionnaire and its fieldwork (проучване)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FIELDWORK = "fieldwork", _("in fieldwork")
        CLOSED = "closed", _("closed")
        ARCHIVED = "archived", _("archived")

    class Anonymity(models.TextChoices):
        ANONYMOUS = "anonymous", _("anonymous: no link between person and answers")
        CONFIDENTIAL = "confidential", _("confidential: invitation tokens only mark completion")
        IDENTIFIED = "identified", _("identified: answers linked to the respondent")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="surveys_owned", verbose_name=_("owner")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    fieldwork_start = models.DateField(_("fieldwork starts"), null=True, blank=True)
    fieldwork_end = models.DateField(_("fieldwork ends"), null=True, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    consent_text = models.TextField(_("informed consent"), blank=True)
    anonymity = models.CharField(_("anonymity"), max_length=20, choices=Anonymity.choices, default=Anonymity.ANONYMOUS)
    wave_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_waves",
        verbose_name=_("first wave"),
    )
    wave = models.PositiveSmallIntegerField(_("wave"), default=1)
    is_demo = models.BooleanField(_("demo data"), default=False)
    results_published = models.BooleanField(_("results published"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fieldwork_start__isnull=True)
                | Q(fieldwork_end__isnull=True)
                | Q(fieldwork_end__gte=F("fieldwork_start")),
                name="survey_fieldwork_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "fieldwork", "closed", "archived"]), name="survey_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(anonymity__in=["anonymous", "confidential", "identified"]), name="survey_anonymity_valid"
            ),
            models.CheckConstraint(condition=Q(wave__gte=1), name="survey_wave_positive"),
            models.CheckConstraint(
                condition=Q(wave_of__isnull=True) | Q(wave__gte=2), name="survey_later_wave_numbered"
            ),
            models.UniqueConstraint(fields=["wave_of", "wave"], name="survey_wave_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open_for_responses(self) -> bool:
        if self.status != self.Status.FIELDWORK:
            return False
        today = timezone.localdate()
        if self.fieldwork_start and today < self.fieldwork_start:
            return False
        return not (self.fieldwork_end and today > self.fieldwork_end)


class Section(models.Model):
    """A page of the questionnaire; shown only when its display logic holds."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    logic = models.JSONField(_("display logic"), null=True, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.title or f"#{self.position}"


class Question(models.Model):
    """One question. ``variable`` names it in exports and logic and stays the same across waves."""

    class Type(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        DROPDOWN = "dropdown", _("dropdown")
        YES_NO = "yes_no", _("yes / no")
        LIKERT = "likert", _("Likert scale")
        MATRIX = "matrix", _("matrix (rows × scale)")
        NUMERIC = "numeric", _("number")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        DATE = "date", _("date")
        RANKING = "ranking", _("ranking")
        SCALE_0_10 = "scale_0_10", _("scale 0–10")
        SETTLEMENT = "settlement", _("settlement of residence")
        NOTE = "note", _("note (text only, no answer)")

    # Types whose answer is one of the question's choices (the code is stored in ``text``).
    CHOICE_TYPES = frozenset({"single", "multiple", "dropdown", "yes_no", "likert", "matrix", "ranking"})
    SINGLE_CODE_TYPES = frozenset({"single", "dropdown", "yes_no", "likert", "settlement"})
    OTHER_TYPES = frozenset({"single", "multiple", "dropdown"})
    TEXT_TYPES = frozenset({"short_text", "long_text"})
    NUMBER_TYPES = frozenset({"numeric", "scale_0_10"})
    STORAGE = {
        "single": "text",
        "dropdown": "text",
        "yes_no": "text",
        "likert": "text",
        "settlement": "text",
        "short_text": "text",
        "long_text": "text",
        "numeric": "number",
        "scale_0_10": "number",
        "date": "date",
        "multiple": "codes",
        "ranking": "codes",
        "matrix": "codes",
        "note": "",
    }

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"))
    variable = models.CharField(_("variable name"), max_length=64)
    text = models.TextField(_("question"))
    help_text = models.TextField(_("help text"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    required = models.BooleanField(_("required"), default=False)
    allow_other = models.BooleanField(_("“other, please specify”"), default=False)
    randomise = models.BooleanField(_("randomise choice order"), default=False)
    min_choices = models.PositiveSmallIntegerField(_("at least this many choices"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), null=True, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=15, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=15, decimal_places=4, null=True, blank=True)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    max_length = models.PositiveIntegerField(_("longest answer, characters"), null=True, blank=True)
    scale_points = models.PositiveSmallIntegerField(_("points on the scale"), null=True, blank=True)
    low_label = models.CharField(_("label of the low end"), max_length=100, blank=True)
    high_label = models.CharField(_("label of the high end"), max_length=100, blank=True)
    logic = models.JSONField(_("display logic"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "section__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "variable"], name="question_variable_unique"),
            models.CheckConstraint(condition=Q(variable__regex=VARIABLE_PATTERN), name="question_variable_identifier"),
            models.CheckConstraint(
                condition=Q(
                    type__in=[
                        "single",
                        "multiple",
                        "dropdown",
                        "yes_no",
                        "likert",
                        "matrix",
                        "numeric",
                        "short_text",
                        "long_text",
                        "date",
                        "ranking",
                        "scale_0_10",
                        "settlement",
                        "note",
                    ]
                ),
                name="question_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(max_value__gte=F("min_value")),
                name="question_value_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(min_choices__isnull=True)
                | Q(max_choices__isnull=True)
                | Q(max_choices__gte=F("min_choices")),
                name="question_choice_count_ordered",
            ),
            models.CheckConstraint(
                condition=Q(max_length__isnull=True) | Q(max_length__gte=1, max_length__lte=TEXT_CAP),
                name="question_max_length_capped",
            ),
            models.CheckConstraint(
                condition=~Q(type="likert") | Q(scale_points__in=[5, 7]), name="question_likert_has_5_or_7_points"
            ),
            models.CheckConstraint(
                condition=Q(allow_other=False) | Q(type__in=["single", "multiple", "dropdown"]),
                name="question_other_only_on_choice_types",
            ),
            models.CheckConstraint(condition=Q(decimal_places__lte=4), name="question_decimal_places_capped"),
        ]

    def __str__(self) -> str:
        return self.variable

    @property
    def storage(self) -> str:
        return self.STORAGE[self.type]

    @property
    def text_cap(self) -> int:
        if self.max_length:
            return self.max_length
        return LONG_TEXT_DEFAULT if self.type == self.Type.LONG_TEXT else SHORT_TEXT_DEFAULT


class Choice(models.Model):
    """An answer option (or a point of a Likert or matrix scale). ``code`` is what is stored."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=32)
    label = models.CharField(_("label"), max_length=500)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="choice_code_unique"),
            models.CheckConstraint(condition=Q(code__regex=CODE_PATTERN), name="choice_code_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class MatrixRow(models.Model):
    """A row (item) of a matrix question; answered on the question's scale of choices."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=32)
    label = models.CharField(_("label"), max_length=500)

    class Meta:
        verbose_name = _("matrix row")
        verbose_name_plural = _("matrix rows")
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="matrix_row_code_unique"),
            models.CheckConstraint(condition=Q(code__regex=CODE_PATTERN), name="matrix_row_code_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class Quota(models.Model):
    """Targets over combinations of answers (e.g. settlement × sex × age group).

    Each combination is a ``QuotaCell``; a full cell takes no more complete responses. With
    ``closes_survey`` the survey closes when every cell of the quota is full.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotas")
    name = models.CharField(_("name"), max_length=200)
    variables = models.JSONField(_("variables"), default=list)
    closes_survey = models.BooleanField(_("close the survey when all cells are full"), default=False)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["survey", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="quota_name_unique")]

    def __str__(self) -> str:
        return self.name


class QuotaCell(models.Model):
    """One combination of answers with its target; ``filled`` only grows by a conditional UPDATE."""

    quota = models.ForeignKey(Quota, on_delete=models.CASCADE, related_name="cells")
    key = models.CharField(_("key"), max_length=500)
    values = models.JSONField(_("values"), default=dict)
    target = models.PositiveIntegerField(_("target"))
    filled = models.PositiveIntegerField(_("filled"), default=0)

    class Meta:
        verbose_name = _("quota cell")
        verbose_name_plural = _("quota cells")
        ordering = ["quota", "key"]
        constraints = [
            models.UniqueConstraint(fields=["quota", "key"], name="quota_cell_unique"),
            models.CheckConstraint(condition=Q(filled__lte=F("target")), name="quota_cell_not_overfilled"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.filled}/{self.target}"

    @property
    def is_full(self) -> bool:
        return self.filled >= self.target


class Invitation(models.Model):
    """An invitation to one sampled person. The short code is typed from a printed letter.
    In confidential mode no response refers to its invitation: submitting with the token only
    sets ``completed_at``.

    The link token is not stored: it is derived from the random ``token_nonce`` with an HMAC
    keyed by ``SECRET_KEY`` (``services.invitation_token``), so a reminder sent later can carry
    the same link, while a copy of the database alone reveals no token. Lookups go by
    ``token_hash`` (SHA-256 of the token). Invitations made before the nonce existed have an
    empty one: their token cannot be derived again, so they get no reminder e-mail."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(_("token (hash)"), max_length=64, unique=True)
    token_nonce = models.CharField(_("token nonce"), max_length=64, blank=True, editable=False)
    short_code = models.CharField(_("short code"), max_length=12)
    email = models.EmailField(_("e-mail"), blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    settlement = models.ForeignKey(
        "core.Settlement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settlement"),
    )
    stratum = models.CharField(_("stratum"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "short_code"], name="invitation_code_unique"),
            # Nobody is invited twice to one survey, whichever way the invitation was made.
            models.UniqueConstraint(
                fields=["survey", "person"], condition=Q(person__isnull=False), name="invitation_person_once"
            ),
            models.UniqueConstraint(fields=["survey", "email"], condition=~Q(email=""), name="invitation_email_once"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class Response(models.Model):
    """One filled-in questionnaire (or one keying of a paper one, see ``entry_round``)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETE = "complete", _("complete")

    class Channel(models.TextChoices):
        WEB = "web", _("public link")
        INVITATION = "invitation", _("invitation")
        ASSISTED = "assisted", _("assisted at the bureau")
        PAPER = "paper", _("paper questionnaire")
        PHONE = "phone", _("phone interview")

    ENTERED_CHANNELS = ("assisted", "paper", "phone")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses_entered",
        verbose_name=_("interviewer"),
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("respondent (identified mode only)"),
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invitation (identified mode only)"),
    )
    paper_ref = models.CharField(_("questionnaire number"), max_length=50, blank=True)
    entry_round = models.PositiveSmallIntegerField(_("entry round"), default=1)
    quota_cells = models.ManyToManyField(QuotaCell, blank=True, related_name="responses")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "started_at", "id"]
        indexes = [models.Index(fields=["survey", "status"], name="response_survey_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress", submitted_at__isnull=True)
                | Q(status="complete", submitted_at__isnull=False),
                name="response_submitted_when_complete",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["web", "invitation", "assisted", "paper", "phone"]),
                name="response_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(interviewer__isnull=True) | Q(channel__in=["assisted", "paper", "phone"]),
                name="response_interviewer_only_when_entered",
            ),
            models.CheckConstraint(
                condition=Q(entry_round=1) | Q(entry_round=2, channel__in=["assisted", "paper", "phone"]),
                name="response_second_entry_only_when_entered",
            ),
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="response_one_per_respondent",
            ),
            models.UniqueConstraint(
                fields=["survey", "paper_ref", "entry_round"],
                condition=~Q(paper_ref=""),
                name="response_paper_entered_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class Answer(models.Model):
    """The answer to one question in one response; see the module docstring for the columns."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("text or code"), blank=True)
    number = models.DecimalField(_("number"), max_digits=19, decimal_places=4, null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    codes = models.JSONField(_("codes"), null=True, blank=True)
    other_text = models.TextField(_("other, specified"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question"),
            models.CheckConstraint(
                condition=(Q(number__isnull=True) | Q(date__isnull=True))
                & (Q(number__isnull=True) | Q(codes__isnull=True))
                & (Q(date__isnull=True) | Q(codes__isnull=True)),
                name="answer_one_typed_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"

    @property
    def value(self) -> Any:
        """The typed value by the question's storage column (the question must be loaded)."""
        storage = self.question.storage
        return getattr(self, storage) if storage else None


class SurveyWeighting(models.Model):
    """How a survey's answers are weighted to represent the population (one per survey).

    The sampling design (strata, first-stage clusters, finite population correction) and a
    calibration of the weights to population figures: post-stratification on one variable,
    raking (iterative proportional fitting) on several, or linear calibration (GREG). Margins
    are ``{variable: {choice code: population count}}`` and always name their source (e.g.
    "НСИ, Преброяване 2021"). Trimming bounds are multiples of the mean weight. Set only
    through ``services.survey_weighting_set``, which checks the variables and margins against
    the questionnaire and the answers; ``glas.surveys.weighting`` applies it."""

    class Method(models.TextChoices):
        NONE = "none", _("no calibration")
        POSTSTRATIFY = "poststratify", _("post-stratification")
        RAKE = "rake", _("raking (iterative proportional fitting)")
        LINEAR = "linear", _("linear calibration (GREG)")

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="weighting")
    strata_variable = models.CharField(_("strata variable"), max_length=64, blank=True)
    cluster_variable = models.CharField(_("first-stage cluster variable"), max_length=64, blank=True)
    fpc = models.FloatField(
        _("finite population correction"),
        null=True,
        blank=True,
        help_text=_("The population count of first-stage units (more than 1) or the sampling fraction (at most 1)."),
    )
    method = models.CharField(_("calibration method"), max_length=20, choices=Method.choices, default=Method.NONE)
    margins = models.JSONField(_("population margins"), default=dict, blank=True)
    margins_source = models.CharField(_("source of the population figures"), max_length=300, blank=True)
    epsilon = models.FloatField(_("raking tolerance"), default=1.0)
    max_iterations = models.PositiveSmallIntegerField(_("raking iterations at most"), default=10)
    trim_lower = models.FloatField(_("lowest weight (times the mean weight)"), null=True, blank=True)
    trim_upper = models.FloatField(_("highest weight (times the mean weight)"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey weighting")
        verbose_name_plural = _("survey weightings")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["none", "poststratify", "rake", "linear"]), name="weighting_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(method="none") | ~Q(margins_source=""), name="weighting_margins_have_source"
            ),
            models.CheckConstraint(condition=Q(epsilon__gt=0), name="weighting_epsilon_positive"),
            models.CheckConstraint(
                condition=Q(max_iterations__gte=1, max_iterations__lte=1000), name="weighting_iterations_bounded"
            ),
            models.CheckConstraint(condition=Q(fpc__isnull=True) | Q(fpc__gt=0), name="weighting_fpc_positive"),
            models.CheckConstraint(
                condition=Q(trim_lower__isnull=True) | Q(trim_lower__gt=0), name="weighting_trim_lower_positive"
            ),
            models.CheckConstraint(
                condition=Q(trim_lower__isnull=True) | Q(trim_upper__isnull=True) | Q(trim_upper__gt=F("trim_lower")),
                name="weighting_trim_ordered",
            ),
            models.CheckConstraint(
                condition=Q(strata_variable="") | Q(strata_variable__regex=VARIABLE_PATTERN),
                name="weighting_strata_identifier",
            ),
            models.CheckConstraint(
                condition=Q(cluster_variable="") | Q(cluster_variable__regex=VARIABLE_PATTERN),
                name="weighting_cluster_identifier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.method}"

    @property
    def calibrated(self) -> bool:
        return self.method != self.Method.NONE

    @property
    def has_design(self) -> bool:
        return bool(self.strata_variable or self.cluster_variable or self.fpc)

    @property
    def is_active(self) -> bool:
        """Whether the weighting changes anything compared with equal weights and simple random sampling."""
        return self.calibrated or self.has_design or self.trim_lower is not None or self.trim_upper is not None


REPORT_SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"
FINDING_KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


class SurveyReport(models.Model):
    """A report on a survey (доклад): narrative text, findings (tables and charts computed from
    the data when shown) and a generated methodology section, published as an HTML page, PDF and
    DOCX. ``slug`` is the public address; ``published_at`` is set at the first publication and
    kept after that: from then on the slug and the keys of the findings never change, so links
    and citations keep working even while the report is corrected or withdrawn and republished."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reports", verbose_name=_("survey"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    slug = models.CharField(_("address"), max_length=100, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_reports", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey report")
        verbose_name_plural = _("survey reports")
        ordering = ["survey", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="report_status_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="report_published_has_date"
            ),
            models.CheckConstraint(condition=Q(slug__regex=REPORT_SLUG_PATTERN), name="report_slug_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def keys_frozen(self) -> bool:
        """Published once: its address and the keys of its findings may have been cited."""
        return self.published_at is not None


class ReportBlock(models.Model):
    """One part of a report, in ``position`` order: narrative text (plain text; a blank line
    starts a new paragraph, no markup is interpreted), a finding (``spec``: the JSON of a
    ``glas.surveys.findings.FindingSpec``, computed from the data when shown) or the generated
    methodology (at most one per report). A finding has a ``key``, its stable anchor
    (``#finding-<key>``) and link (``/surveys/findings/<report>/<key>/``)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("narrative text")
        FINDING = "finding", _("finding")
        METHODOLOGY = "methodology", _("methodology")

    report = models.ForeignKey(SurveyReport, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    spec = models.JSONField(_("finding"), null=True, blank=True)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    key = models.CharField(_("link key"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("report block")
        verbose_name_plural = _("report blocks")
        ordering = ["report", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["text", "finding", "methodology"]), name="report_block_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="text") | (~Q(text="") & Q(spec__isnull=True)), name="report_block_text_has_text"
            ),
            models.CheckConstraint(
                condition=~Q(kind="finding") | (Q(spec__isnull=False) & Q(key__regex=FINDING_KEY_PATTERN)),
                name="report_block_finding_has_spec_and_key",
            ),
            models.CheckConstraint(
                condition=Q(kind="finding") | (Q(key="") & Q(spec__isnull=True)),
                name="report_block_key_only_on_findings",
            ),
            models.UniqueConstraint(fields=["report", "key"], condition=~Q(key=""), name="report_block_key_unique"),
            models.UniqueConstraint(
                fields=["report"], condition=Q(kind="methodology"), name="report_block_one_methodology"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.position}"


# --- Coding open answers (services/coding.py, views/coding.py) ------------------------------


class CodeFrame(models.Model):
    """The codes that open answers to one question are sorted into (кодова схема): the text of a
    short or long text question, or the "other, please specify" text of a choice question.

    Each coder codes on their own; the codes of ``primary_coder`` are the final ones, unless a
    researcher adjudicated the answer (``CodedAnswer.adjudicated``). The codes of the others
    are kept to measure agreement (Cohen's kappa, ``glas.surveys.coding_agreement``)."""

    class Source(models.TextChoices):
        TEXT = "text", _("the answer text")
        OTHER = "other", _("the “other, please specify” text")

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, related_name="code_frame", verbose_name=_("question")
    )
    source = models.CharField(_("coded text"), max_length=10, choices=Source.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    multiple = models.BooleanField(_("an answer may get several codes"), default=False)
    primary_coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("primary coder"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("code frame")
        verbose_name_plural = _("code frames")
        ordering = ["question_id"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=["text", "other"]), name="code_frame_source_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    """One code of a frame: the number that goes into the data, and its label."""

    frame = models.ForeignKey(CodeFrame, on_delete=models.CASCADE, related_name="codes")
    value = models.PositiveIntegerField(_("code"))
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["frame", "position", "value"]
        constraints = [
            models.UniqueConstraint(fields=["frame", "value"], name="code_value_unique"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=999999), name="code_value_range"),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class CodedAnswer(models.Model):
    """One code given to one answer by one coder (or, with ``adjudicated``, the code a
    researcher settled on where coders disagreed). ``single`` copies ``not frame.multiple`` so
    that the database itself refuses a second code on a single-code frame; the frame's setting
    cannot change once answers are coded."""

    frame = models.ForeignKey(CodeFrame, on_delete=models.CASCADE, related_name="coded_answers")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="coded_answers")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("coder")
    )
    adjudicated = models.BooleanField(_("adjudicated"), default=False)
    single = models.BooleanField(_("single-code frame"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("coded answer")
        verbose_name_plural = _("coded answers")
        ordering = ["answer_id", "code_id"]
        indexes = [models.Index(fields=["frame", "coder"], name="coded_answer_frame_coder_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "code", "coder"], condition=Q(adjudicated=False), name="coded_answer_once_per_coder"
            ),
            models.UniqueConstraint(
                fields=["answer", "coder"],
                condition=Q(adjudicated=False, single=True),
                name="coded_answer_single_per_coder",
            ),
            models.UniqueConstraint(
                fields=["answer", "code"], condition=Q(adjudicated=True), name="coded_answer_adjudicated_once"
            ),
            models.UniqueConstraint(
                fields=["answer"], condition=Q(adjudicated=True, single=True), name="coded_answer_adjudicated_single"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.code_id}"
