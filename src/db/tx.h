/* tx.h - the write transaction of a domain function.
 *
 *     if (tx_begin(db, e) != 0) return -1;
 *     bool ok = …writes and audit_write…;
 *     return tx_end(db, e, ok);
 *
 * tx_end commits only when ok and no validation error was recorded, else
 * rolls back and makes sure e says why. */
#ifndef JINZAI_TX_H
#define JINZAI_TX_H

#include <stdbool.h>

#include "../core/errors.h"
#include "../db/db.h"

static inline int tx_begin(Db *db, Errors *e)
{
    if (db_begin(db) == 0) return 0;
    err_add(e, "", "データベースが混み合っています。しばらくしてからもう一度お試しください。");
    return -1;
}

static inline int tx_end(Db *db, Errors *e, bool ok)
{
    if (ok && !err_any(e) && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。もう一度お試しください。");
    return -1;
}

#endif
