/*
** demo: the demo forum of `loulan init --demo` (demo.c).
*/
#ifndef LOULAN_DEMO_H
#define LOULAN_DEMO_H
#include "forum/forum.h"

int demo_create(db *d, const char *admin_password, struct forum_err *e);
#endif
