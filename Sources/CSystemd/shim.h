// libsystemd, as slad uses it: sd_notify and the watchdog (sd-daemon), sd_journal_sendv (sd-journal).
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <time.h>
