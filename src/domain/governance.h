/* governance.h - the 推進体制: configurable governance bodies (役職 such as
 * CDO/CIO/CISO, the DX推進本部, committees, the 事務局, working groups) as a
 * tree, their members by post or by person with a term, and their meetings
 * with minutes in CommonMark and attached files (media_asset).
 *
 * A body and a member are in force on D as an assignment is (asof.h,
 * ASOF_IN_FORCE): from_date <= D <= to_date, a NULL to_date open. Every write
 * validates, writes and audits in one transaction, or writes nothing and
 * fills Errors with Japanese messages. */
#ifndef JINZAI_GOVERNANCE_H
#define JINZAI_GOVERNANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef struct GovKind {
    const char *code, *label;
} GovKind;
extern const GovKind gov_kinds[];
extern const int gov_nkinds;
/* The Japanese label of a kind code, or NULL when unknown. */
const char *gov_kind_label(const char *code);

typedef struct GovBody {
    int64_t id, parent_id; /* parent_id 0: top */
    const char *name, *kind, *purpose, *from_date, *to_date; /* to_date "" when open */
    int sort_order;
} GovBody;

typedef struct GovMember {
    int64_t id, body_id, unit_id, staff_id;
    const char *role, *post, *unit_name, *staff_no, *staff_name, *from_date, *to_date;
    int sort_order;
} GovMember;

typedef struct GovMeeting {
    int64_t id, body_id;
    const char *held_on, *title, *minutes, *body_name;
    int files;
} GovMeeting;

typedef struct GovFile {
    int64_t media_id;
    const char *name;
} GovFile;

/* Bodies in force on `on` (NULL: all), by sort_order then id. Arena memory. */
int gov_bodies(Db *db, Arena *a, const char *on, GovBody **out);
bool gov_body_get(Db *db, Arena *a, int64_t id, GovBody *out);
/* Members of body_id (0: every body) in force on `on` (NULL: all), by
 * sort_order then id. */
int gov_members(Db *db, Arena *a, int64_t body_id, const char *on, GovMember **out);
bool gov_member_get(Db *db, Arena *a, int64_t id, GovMember *out);
/* Meetings of body_id (0: every body), newest first; at most limit (0: all). */
int gov_meetings(Db *db, Arena *a, int64_t body_id, int limit, GovMeeting **out);
bool gov_meeting_get(Db *db, Arena *a, int64_t id, GovMeeting *out);
int gov_meeting_files(Db *db, Arena *a, int64_t meeting_id, GovFile **out);

/* Form input as typed; the domain trims, parses and checks it. Dates are ISO
 * (pages convert what users type with form_date). */
typedef struct GovBodyInput {
    const char *name, *kind, *parent_id, *purpose, *sort_order, *from_date, *to_date;
} GovBodyInput;
typedef struct GovMemberInput {
    const char *role, *post, *unit_id, *staff_no, *sort_order, *from_date, *to_date;
} GovMemberInput;
typedef struct GovMeetingInput {
    const char *held_on, *title, *minutes;
} GovMeetingInput;

/* Creates (id 0) or updates a body. The parent must exist and may not be the
 * body itself or one of its descendants. Returns the id, or -1. */
int64_t gov_body_save(Db *db, const Actor *who, int64_t id, const GovBodyInput *in, Errors *e);
/* Deletes a body with its members; refused while it has child bodies or
 * meetings. 0 or -1. */
int gov_body_delete(Db *db, const Actor *who, int64_t id, Errors *e);
/* Creates (id 0, in body_id) or updates a member. Returns the id, or -1. */
int64_t gov_member_save(Db *db, const Actor *who, int64_t body_id, int64_t id, const GovMemberInput *in, Errors *e);
int gov_member_delete(Db *db, const Actor *who, int64_t id, Errors *e);
/* Creates (id 0, in body_id) or updates a meeting. Returns the id, or -1. */
int64_t gov_meeting_save(Db *db, const Actor *who, int64_t body_id, int64_t id, const GovMeetingInput *in, Errors *e);
/* Deletes a meeting and its file links (the media stay). 0 or -1. */
int gov_meeting_delete(Db *db, const Actor *who, int64_t id, Errors *e);
/* Links an uploaded media_asset to a meeting. 0 or -1. */
int gov_meeting_attach(Db *db, const Actor *who, int64_t meeting_id, int64_t media_id, Errors *e);

/* True when making parent_id the parent of id would close a loop (parent is
 * id itself or lies below it). */
bool gov_would_loop(Db *db, int64_t id, int64_t parent_id);

#endif
