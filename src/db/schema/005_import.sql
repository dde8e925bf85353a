-- 005_import: saved header mappings for CSV imports, one per source system.
CREATE TABLE import_profile (
    name    TEXT PRIMARY KEY,
    kind    TEXT NOT NULL DEFAULT 'staff',
    mapping TEXT NOT NULL    -- "staff_no=職員番号;name=漢字氏名;…"
);
