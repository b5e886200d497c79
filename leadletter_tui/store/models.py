"""Peewee models: table shapes only. They are bound to no database at all.

Every query is executed against the database of the `Store` that runs it
(`query.execute(db)`, `db.execute(query)`, `query.count(db)`...), so two stores on two
databases live side by side in one process, in any thread (tests open SQLite and PostgreSQL
at once). A query run without a database fails loudly ("must be bound to a database")
instead of going to whichever database opened last.
"""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


class BaseModel(Model):
    class Meta:
        database = None  # never bound: see the module docstring
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField()
    applied_at = DateTimeField()


class Contact(BaseModel):
    domain = CharField(max_length=253, unique=True)  # normalized ASCII (punycode)
    business_name = CharField(max_length=200, default="")
    contact_name = CharField(max_length=120, default="")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=40, default="")
    notes = TextField(default="")
    extra = TextField(default="")  # JSON object of unknown imported columns
    category = CharField(max_length=60, default="")  # industry, from research
    status = CharField(max_length=10, default="ready")
    last_sent_at = DateTimeField(null=True)
    last_reply_at = DateTimeField(null=True)
    follow_ups = IntegerField(default=0)
    sentiment = CharField(max_length=20, null=True)  # of the latest reply
    draft_pending = BooleanField(default=False)  # an unsent follow-up draft exists
    do_not_contact = BooleanField(default=False)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Follow-ups wait until then (an out-of-office note's return date + 1 day). Added in
    # v5: new columns go last, where ALTER TABLE puts them on an upgraded database.
    snoozed_until = DateTimeField(null=True)
    # v7: bumped by every write to the contact; a write from a screen applies only while
    # the row still has the version the user saw (store/contacts.py, "no blind overwrites").
    version = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])

    class Meta:
        indexes = (
            (("status", "last_sent_at"), False),
            (("status",), False),  # status filter in id (= added) order without a sort
            (("last_sent_at",), False),
        )  # "added" order is id order: created_at needs no index (dropped in v3)


class Message(BaseModel):
    contact = ForeignKeyField(Contact, backref="messages", on_delete="CASCADE")
    kind = CharField(max_length=12, default="initial")
    subject = CharField(max_length=300, default="")
    body = TextField(default="")
    angle = CharField(max_length=40, default="")
    framework = CharField(max_length=40, default="")
    category = CharField(max_length=60, default="")
    created_at = DateTimeField()
    sent_at = DateTimeField(null=True)
    # v5: who wrote it ("offline" or a Claude model) and what research it was written from
    # (JSON, see store/messages.py). Defaults in the schema too: bulk loads leave them out.
    model = CharField(max_length=80, default="", constraints=[SQL("DEFAULT ''")])
    research = TextField(default="", constraints=[SQL("DEFAULT ''")])


class Reply(BaseModel):
    contact = ForeignKeyField(Contact, backref="replies", on_delete="CASCADE")
    text = TextField()
    sentiment = CharField(max_length=20, null=True)
    received_at = DateTimeField()
    # v5: why it got its label (or why it has none: a failed classification), who labelled
    # it ("offline", "claude", or "user": a manual correction no automatic run overwrites),
    # and the operational signal read from it ("unsubscribe", "out_of_office", "referral").
    reason = CharField(max_length=300, null=True)
    labelled_by = CharField(max_length=12, null=True)
    signal = CharField(max_length=20, null=True)


class Event(BaseModel):
    contact = ForeignKeyField(Contact, backref="events", on_delete="CASCADE")
    kind = CharField(max_length=12)
    from_status = CharField(max_length=10, null=True)
    to_status = CharField(max_length=10, null=True)
    detail = CharField(max_length=300, default="")
    at = DateTimeField(index=True)
    # v7: who did it (config `user_name`, passed to the Store); '' for older events.
    actor = CharField(max_length=64, default="", constraints=[SQL("DEFAULT ''")])


class Setting(BaseModel):
    """v8: settings a team shares (store/shared.py): saved views (`view:<name>`), the sender
    profile (`profile`). `value` is JSON text; who wrote it last and when."""

    key = CharField(max_length=200, primary_key=True)
    value = TextField()
    updated_at = DateTimeField()
    updated_by = CharField(max_length=120, default="", constraints=[SQL("DEFAULT ''")])


ALL_MODELS = (SchemaVersion, Contact, Message, Reply, Event, Setting)
