-- 015_accounts: accounts at scale.
-- must_change: the password was set by someone else (bulk creation, an
-- administrator's reset) and must be changed at the next login.
-- auth: 'local' (argon2id hash in pw_hash) or 'ldap' (the directory checks
-- the password; pw_hash is '' and never verifies).
ALTER TABLE account ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN auth TEXT NOT NULL DEFAULT 'local';
