/* roles.h - the role bits of account.roles; a user may hold several. */
#ifndef JINZAI_ROLES_H
#define JINZAI_ROLES_H

enum {
    ROLE_STAFF = 1,   /* 職員: own records */
    ROLE_MANAGER = 2, /* 所属長・上司: their unit's subtree */
    ROLE_HR = 4,      /* 人事 (総務課): organisation-wide HR */
    ROLE_DX = 8,      /* DX推進 (政策企画課): organisation-wide skills and training */
    ROLE_ADMIN = 16,  /* 管理者: accounts and settings */
    ROLE_ALL = 31
};

#endif
