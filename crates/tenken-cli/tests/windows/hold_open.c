/* Test helper for the installer test (windows_installer.rs), built with MinGW-w64 and run under
 * Wine: keeps FILE open the way a running program keeps its own exe (others may read it, nobody
 * may write or delete it) until the file RELEASE exists, at most 120 seconds.
 *   hold_open.exe FILE RELEASE   -- prints "held" once the file is open; exit 1 if it cannot be. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
  if (argc != 3) {
    fputs("usage: hold_open FILE RELEASE\n", stderr);
    return 2;
  }
  HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                         FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    fprintf(stderr, "cannot open: error %lu\n", GetLastError());
    return 1;
  }
  puts("held");
  fflush(stdout);
  for (int i = 0; i < 1200 && GetFileAttributesW(argv[2]) == INVALID_FILE_ATTRIBUTES; i++) {
    Sleep(100);
  }
  CloseHandle(h);
  return 0;
}
