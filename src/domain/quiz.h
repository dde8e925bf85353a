/* quiz.h - the quiz of a module: a bank of questions (single choice,
 * multiple choice, true/false), attempts that draw N questions at random and
 * shuffle their options (kept per attempt so the review shows what was
 * asked), a pass mark, an attempts limit and a time limit enforced here: an
 * answer sent after the deadline is kept but scored 0 and marked late. */
#ifndef JINZAI_QUIZ_H
#define JINZAI_QUIZ_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

/* Seconds after the deadline still accepted (the time a form takes to arrive). */
enum { QUIZ_GRACE_SECONDS = 30, QUIZ_MAX_OPTIONS = 8 };

typedef struct Quiz {
    int64_t course_id;
    int draw, pass_percent, max_attempts, time_limit; /* max_attempts, time_limit (minutes) 0: none */
} Quiz;
bool quiz_get(Db *db, int64_t course_id, Quiz *out);
int quiz_save(Db *db, const Actor *who, const Quiz *q, Errors *e);
/* Adds a question to the bank with nopt options (correct flags). */
int64_t quiz_question_add(Db *db, const Actor *who, int64_t course_id, const char *kind, const char *text, const char *explanation,
                          const char *const *options, const bool *correct, int nopt, Errors *e);

typedef struct QuizOption {
    int64_t id;
    const char *text;
    bool correct, chosen;
} QuizOption;
typedef struct QuizItem {
    int seq;
    int64_t question_id;
    const char *kind, *text, *explanation;
    QuizOption opts[QUIZ_MAX_OPTIONS];
    int nopts;
    bool correct;
} QuizItem;
typedef struct QuizAttempt {
    int64_t id, course_id, staff_id, started_at, deadline;
    bool submitted, passed, late;
    int score;
    QuizItem *items;
    int nitems;
} QuizAttempt;

/* Attempts of staff_id on a course so far (every one counts, open or not). */
int quiz_attempts_used(Db *db, int64_t course_id, int64_t staff_id);
/* An open (unsubmitted, not past its deadline) attempt, or 0. */
int64_t quiz_open_attempt(Db *db, int64_t course_id, int64_t staff_id);
/* Starts an attempt (or returns the open one): refused when the attempts
 * limit is reached or the module is already passed. */
int64_t quiz_start(Db *db, const Actor *who, int64_t course_id, int64_t staff_id, Errors *e);
bool quiz_attempt_get(Db *db, Arena *a, int64_t id, QuizAttempt *out);
/* Scores an attempt as loaded by quiz_attempt_get (the caller has it to read
 * the form): answers[i] holds the option ids chosen for item i ("12,15").
 * The write refuses an attempt submitted meanwhile. Completes the module when
 * the rule is met. */
int quiz_submit(Db *db, const Actor *who, const QuizAttempt *at, int64_t staff_id, const char *const *answers, int n, Errors *e);

/* Share of correct answers per question, for authors. */
typedef struct QuizStat {
    int64_t question_id;
    const char *text;
    int asked, right;
} QuizStat;
int quiz_stats(Db *db, Arena *a, int64_t course_id, QuizStat **out);

/* Pure helpers (unit-tested). True when two lists of ids ("3,5") hold the
 * same set; empty lists match only each other. */
bool quiz_same_ids(const char *a, const char *b);
/* Percent right of total, rounded down; 0 when total is 0. */
int quiz_percent(int right, int total);
/* Shuffles ids in place with rnd(n) giving 0..n-1. */
void quiz_shuffle(int64_t *ids, int n, uint32_t (*rnd)(uint32_t));

#endif
