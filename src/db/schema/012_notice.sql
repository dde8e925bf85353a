-- 012_notice: in-app notices, the mail outbox, and each account's mail address
-- and preference.

-- Where a notice is mailed: empty means in-app only. mail_optional = 0 turns
-- off the mail that is not required (reminders and approval requests still go).
ALTER TABLE account ADD COLUMN mail TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN mail_optional INTEGER NOT NULL DEFAULT 1;

-- One row per account and event, written in the transaction of the event.
CREATE TABLE notice (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES account(id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX notice_account ON notice(account_id, read_at);

-- Mail waiting to be sent (durable: written with its notice, sent later by
-- the sender of `jinzai serve`). next_try_at is seconds since the epoch;
-- failed_at is set when it is given up.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    notice_id   INTEGER REFERENCES notice(id),
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL,
    sent_at     TEXT,
    failed_at   TEXT,
    last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(sent_at, failed_at, next_try_at);
