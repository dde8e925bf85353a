-- 011_exchange: data exchange with the HR system and search folding.

-- Search keys fold the common 異体字 (text_fold_variants in src/io/text.c).
-- The fold is applied after everything else text_fold does and its targets
-- are left alone by it, so folding an old key again is the same as replacing
-- the variants in it: done here in SQL, no C needed. A unit test checks that
-- every pair of the C table appears below as replace(..., 'from', 'to').
UPDATE staff SET search_key =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_key
        , '髙', '高')
        , '﨑', '崎')
        , '嵜', '崎')
        , '德', '徳')
        , '齋', '斎')
        , '齊', '斎')
        , '斉', '斎')
        , '邊', '辺')
        , '邉', '辺')
        , '澤', '沢')
        , '濵', '浜')
        , '濱', '浜')
        , '國', '国')
        , '嶋', '島')
        , '嶌', '島')
        , '𠮷', '吉')
        , '槗', '橋')
        , '栁', '柳')
        , '廣', '広')
        , '惠', '恵')
        , '眞', '真')
        , '櫻', '桜')
        , '〜', '~')
        , '−', '-');

-- 職員番号 compare without regard to case (k90091 is K90091); imports store
-- them upper case. Lookups go through upper(staff_no). Not UNIQUE: a
-- database may already hold two numbers differing only in case, and the
-- migration must not fail on it; the code refuses a new clash.
CREATE INDEX staff_no_upper ON staff (upper(staff_no));
