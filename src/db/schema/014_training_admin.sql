-- 014_training_admin: training administration as the office runs it.

-- 申込期間 per session: applications are taken from apply_from to
-- apply_until (締切), both dates inclusive; NULL leaves that end open.
-- cost: the cost per person of the session in yen; NULL when not known yet
-- (shown 未定). A new session's form starts from the course's cost; the
-- sessions there already take it here.
ALTER TABLE training_session ADD COLUMN apply_from TEXT;
ALTER TABLE training_session ADD COLUMN apply_until TEXT;
ALTER TABLE training_session ADD COLUMN cost INTEGER CHECK (cost IS NULL OR cost >= 0);
UPDATE training_session SET cost = (SELECT c.cost FROM course c WHERE c.id = training_session.course_id);

-- Eligibility (target_tiers / target_posts) is checked on applying:
-- 'none' not at all, 'warn' accepts with a notice, 'refuse' refuses.
-- repeatable: a course completed once may be applied for again.
ALTER TABLE course ADD COLUMN eligibility TEXT NOT NULL DEFAULT 'none' CHECK (eligibility IN ('none', 'warn', 'refuse'));
ALTER TABLE course ADD COLUMN repeatable INTEGER NOT NULL DEFAULT 0;

-- The reason given with 不承認, shown to the applicant.
ALTER TABLE application ADD COLUMN reason TEXT NOT NULL DEFAULT '';
