/*
 * bcryptprimitives.dll for Wine 8.0, which lacks it: Rust's standard library (1.78 and later)
 * takes its randomness (HashMap keys, and getrandom's on Windows) from ProcessPrng in this DLL,
 * so without it every Rust test binary for x86_64-pc-windows-gnu fails to start under Wine.
 * Used only by build/emulated-tests.sh, inside the project's own Wine prefix; never shipped.
 *
 * ProcessPrng is implemented with BCryptGenRandom on the system RNG, which Wine does provide.
 * Windows documents ProcessPrng as always succeeding and callers do not check its result, so a
 * failure of the system RNG ends the process instead of handing back bytes that are not random.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        /* BCryptGenRandom takes a ULONG length; SIZE_T is 64-bit here. */
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
            FatalAppExitA(0, "bcryptprimitives: BCryptGenRandom failed");
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
