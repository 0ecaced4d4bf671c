"""peewee models of the latest schema, built per database so several stores can live in one process."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import (
    AutoField,
    BooleanField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)


@dataclass(frozen=True, slots=True)
class Tables:
    Account: type[Model]
    Calendar: type[Model]
    Event: type[Model]
    Application: type[Model]
    Interview: type[Model]
    Suggestion: type[Model]
    SyncRun: type[Model]
    Outbox: type[Model]
    Conflict: type[Model]
    InterviewRevision: type[Model]

    def all(self) -> list[type[Model]]:
        return [
            self.Account, self.Calendar, self.Event, self.Application, self.Interview, self.Suggestion, self.SyncRun,
            self.Outbox, self.Conflict, self.InterviewRevision,
        ]  # fmt: skip


def build_tables(db: SqliteDatabase) -> Tables:
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Base):
        id = AutoField()
        provider = TextField()
        name = TextField()
        username = TextField()
        secret_key = TextField(unique=True)
        server_url = TextField(null=True)
        status = TextField(default="connected")
        read_only = BooleanField(default=False)
        auto_sync = BooleanField(default=True)
        poll_interval_s = IntegerField(default=300)
        connected_at = TextField()
        last_sync_at = TextField(null=True)
        last_error = TextField(null=True)
        retry_at = TextField(null=True)
        options = TextField(default="{}")

    class Calendar(Base):
        id = AutoField()
        account = ForeignKeyField(Account, column_name="account_id", on_delete="CASCADE")
        remote_id = TextField()
        name = TextField()
        color = TextField(null=True)
        read_only = BooleanField(default=False)
        selected = BooleanField(default=True)
        write_target = BooleanField(default=False)
        cursor = TextField(null=True)
        generation = IntegerField(default=0)

    class Event(Base):
        id = AutoField()
        calendar = ForeignKeyField(Calendar, column_name="calendar_id", on_delete="CASCADE")
        remote_id = TextField()
        resource_id = TextField()
        uid = TextField()
        title = TextField()
        start_ts = IntegerField()
        end_ts = IntegerField()
        all_day = BooleanField(default=False)
        timezone = TextField(null=True)
        status = TextField()
        organizer = TextField(null=True)
        attendees = TextField(default="[]")
        location = TextField(default="")
        meeting_link = TextField(null=True)
        description = TextField(null=True)
        etag = TextField(null=True)
        remote_updated = TextField(null=True)
        series_id = TextField(null=True)
        recurrence_id = TextField(null=True)
        marker = TextField(null=True)
        content_hash = TextField()
        is_interview = BooleanField(default=False)
        generation = IntegerField(default=0)

    class Application(Base):
        id = AutoField()
        company = TextField()
        aliases = TextField(default="[]")
        role = TextField(default="")
        role_type = TextField(default="unknown")
        status = TextField(default="applied")
        archived = BooleanField(default=False)
        created_at = TextField()
        updated_at = TextField()

    class Interview(Base):
        id = AutoField()
        application = ForeignKeyField(Application, column_name="application_id", on_delete="CASCADE")
        stage = TextField()
        start_ts = IntegerField()
        end_ts = IntegerField()
        status = TextField(default="scheduled")
        title = TextField(default="")
        location = TextField(default="")
        meeting_link = TextField(null=True)
        event = ForeignKeyField(Event, column_name="event_id", null=True, on_delete="SET NULL")
        event_uid = TextField(null=True)
        calendar = ForeignKeyField(Calendar, column_name="calendar_id", null=True, on_delete="SET NULL")
        marker = TextField(null=True, unique=True)
        created_at = TextField()
        updated_at = TextField()
        description = TextField(default="")
        timezone = TextField(null=True)
        attendees = TextField(default="[]")
        remote_id = TextField(null=True)
        etag = TextField(null=True)
        synced = TextField(null=True)
        event_hash = TextField(null=True)

    class Outbox(Base):
        id = AutoField()
        interview = ForeignKeyField(Interview, column_name="interview_id", null=True, on_delete="SET NULL")
        marker = TextField()
        op = TextField()
        calendar = ForeignKeyField(Calendar, column_name="calendar_id", null=True, on_delete="CASCADE")
        remote_id = TextField(null=True)
        etag = TextField(null=True)
        payload = TextField(default="{}")
        state = TextField(default="pending")
        attempts = IntegerField(default=0)
        last_error = TextField(null=True)
        created_at = TextField()
        updated_at = TextField()

    class Conflict(Base):
        id = AutoField()
        interview = ForeignKeyField(Interview, column_name="interview_id", null=True, on_delete="CASCADE")
        outbox = ForeignKeyField(Outbox, column_name="outbox_id", null=True, on_delete="SET NULL")
        calendar = ForeignKeyField(Calendar, column_name="calendar_id", null=True, on_delete="CASCADE")
        remote_id = TextField(null=True)
        remote_etag = TextField(null=True)
        local = TextField()
        remote = TextField()
        status = TextField(default="open")
        resolution = TextField(null=True)
        created_at = TextField()
        resolved_at = TextField(null=True)

    class InterviewRevision(Base):
        id = AutoField()
        interview = ForeignKeyField(Interview, column_name="interview_id", null=True, on_delete="SET NULL")
        source = TextField()
        reason = TextField()
        snapshot = TextField()
        created_at = TextField()

        class Meta:
            table_name = "interview_revision"

    class Suggestion(Base):
        id = AutoField()
        kind = TextField()
        status = TextField(default="pending")
        event = ForeignKeyField(Event, column_name="event_id", null=True, on_delete="SET NULL")
        event_uid = TextField(null=True)
        event_key = TextField(null=True)
        application = ForeignKeyField(Application, column_name="application_id", null=True, on_delete="SET NULL")
        interview = ForeignKeyField(Interview, column_name="interview_id", null=True, on_delete="SET NULL")
        company = TextField(null=True)
        role = TextField(null=True)
        role_type = TextField(null=True)
        stage = TextField(null=True)
        start_ts = IntegerField(null=True)
        end_ts = IntegerField(null=True)
        confidence = TextField()
        score = FloatField(default=0.0)
        title = TextField(default="")
        details = TextField(default="{}")
        created_at = TextField()
        resolved_at = TextField(null=True)

    class SyncRun(Base):
        id = AutoField()
        account = ForeignKeyField(Account, column_name="account_id", on_delete="CASCADE")
        calendar = ForeignKeyField(Calendar, column_name="calendar_id", null=True, on_delete="SET NULL")
        direction = TextField()
        started_at = TextField()
        finished_at = TextField(null=True)
        added = IntegerField(default=0)
        updated = IntegerField(default=0)
        removed = IntegerField(default=0)
        skipped = IntegerField(default=0)
        outcome = TextField(default="running")
        error = TextField(null=True)
        full_resync = BooleanField(default=False)
        interview = ForeignKeyField(Interview, column_name="interview_id", null=True, on_delete="SET NULL")

        class Meta:
            table_name = "sync_run"

    return Tables(Account, Calendar, Event, Application, Interview, Suggestion, SyncRun, Outbox, Conflict, InterviewRevision)
