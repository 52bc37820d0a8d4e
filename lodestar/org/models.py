"""The organisation: a tree of units, the people in them and what each may do."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower


class Unit(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        DIVISION = "division", "Division"
        DEPARTMENT = "department", "Department"
        TEAM = "team", "Team"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes an admin by role, the one place roles are read (the
        permissions, the export and so the import); the flag alone would export as a
        member."""
        extra_fields.setdefault("role", Person.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class Person(AbstractUser):
    """A user. Global roles live here; per-unit roles live on Membership."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        STRATEGY_OFFICE = "strategy_office", "Strategy office"
        MEMBER = "member", "Member"
        VIEWER = "viewer", "Viewer"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    units = models.ManyToManyField(Unit, through="Membership", related_name="people")

    # How they read the pages (org.preferences): empty, the installation's time zone and
    # the browser's language.
    time_zone = models.CharField(max_length=64, blank=True, default="")
    language = models.CharField(max_length=10, blank=True, default="")

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PersonManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        constraints = [
            models.CheckConstraint(condition=~Q(manager=F("id")), name="person_not_own_manager"),
            # An e-mail names one person: the import and the notifications find people by it.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="person_email_unique_ci",
                violation_error_message="This e-mail belongs to another person.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Unit lead"
        MEMBER = "member", "Member"
        VIEWER = "viewer", "Viewer"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "unit"], name="membership_once_per_unit"),
            # "A unit has a lead": one, so that alerts and digests know whom to tell.
            models.UniqueConstraint(
                fields=["unit"], condition=Q(role="lead"), name="one_lead_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.unit} ({self.role})"


class Change(models.Model):
    """One write's mark, appended by the write's own transaction (`org.changes`): which
    units it touched (`units`, ",3,7," — the reader asks whether any of a figure's units is
    among them), in which cycle, whether it reached finished months, or everything. A
    figure kept from the data (`insights.kept`) is fresh while no change in its scope is
    newer than it. Appended, never updated: no writer waits on another's row, and an import
    that runs for minutes holds nothing others need. Rows older than a day are pruned."""

    at = models.DateTimeField(db_index=True)
    everything = models.BooleanField(default=False)
    units = models.TextField(blank=True, default="")
    cycle_id = models.IntegerField(null=True, blank=True)  # None: any cycle
    months = models.BooleanField(default=False)  # reached months already over

    def __str__(self) -> str:
        return f"change {self.pk} at {self.at:%H:%M:%S}"


class SignedInSession(models.Model):
    """One browser a person is signed in on (org.sessions): written at sign-in, its last
    use noted at most every few minutes, gone at sign-out. Keyed by the session's key, so
    that ending it deletes that session and nothing else."""

    session_key = models.CharField(max_length=40, primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signed_in")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")
    method = models.CharField(max_length=40, default="password")  # how they signed in
    signed_in_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.person} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class SecondFactorPolicy(models.Model):
    """Which roles must set up a second factor before they see anything (one row, made by
    the first change on its admin page; without it SECOND_FACTOR_REQUIRED_ROLES rules)."""

    roles = models.JSONField(default=list)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return ", ".join(self.roles) or "nobody"
