/*
 * bcryptprimitives.dll for Wine 8, which lacks it: the win32 ffi-rs addon imports
 * bcryptprimitives!ProcessPrng (Rust's std uses it for random numbers), so without this
 * one-function DLL `require` fails with "Module not found". ProcessPrng fills the buffer
 * from RtlGenRandom (advapi32!SystemFunction036), which Wine does implement.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
