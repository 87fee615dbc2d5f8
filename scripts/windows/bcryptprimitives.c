/* Stand-in for bcryptprimitives.dll under Wine 8 (Debian bookworm), which lacks it.
 * Rust's standard library (>= 1.78) asks Windows for random bytes through ProcessPrng, which
 * real Windows 10/11 has; this forwards to RtlGenRandom (advapi32 SystemFunction036).
 * Only for running tenken.exe under Wine in the tests: it is never shipped (scripts/windows-build.sh
 * puts it in target/windows/wine/, not beside the portable exe). */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
    if (!RtlGenRandom(data, n)) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
