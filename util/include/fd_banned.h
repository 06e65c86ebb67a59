/* fd_banned.h: functions fairdex code must not call (git's banned.h).
 * Unbounded copies, locale-dependent or non-reentrant time functions and
 * atoi's silent failure all have safer replacements. */
#ifndef FD_BANNED_H
#define FD_BANNED_H

#ifndef __cplusplus
#define FD_BANNED(func) sorry_##func##_is_banned_in_fairdex

#undef sprintf
#define sprintf(...) FD_BANNED(sprintf)
#undef strcpy
#define strcpy(...) FD_BANNED(strcpy)
#undef strcat
#define strcat(...) FD_BANNED(strcat)
#undef strtok
#define strtok(...) FD_BANNED(strtok)
#undef atoi
#define atoi(...) FD_BANNED(atoi)
#undef gmtime
#define gmtime(...) FD_BANNED(gmtime)
#undef localtime
#define localtime(...) FD_BANNED(localtime)
#undef ctime
#define ctime(...) FD_BANNED(ctime)
#undef asctime
#define asctime(...) FD_BANNED(asctime)
#endif

#endif
