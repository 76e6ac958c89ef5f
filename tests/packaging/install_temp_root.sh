#!/usr/bin/env bash
# Installs the build into a temporary root (DESTDIR) and runs the installed programs from there, with
# the build tree out of reach: proves they find their resources when installed.
# Mode "deb" builds the .deb with CPack and extracts it with dpkg -x instead.
set -euo pipefail
build="$1"; appid="$2"; mode="${3:-destdir}"
root=$(mktemp -d); work=$(mktemp -d); pkg=$(mktemp -d)
trap 'rm -rf "$root" "$work" "$pkg"' EXIT
if [ "$mode" = deb ]; then
  (cd "$build" && cpack -G DEB -B "$pkg" >/dev/null)
  deb=$(ls "$pkg"/*.deb)
  deps=$(dpkg-deb -f "$deb" Depends)
  echo "package $(basename "$deb") depends on: $deps"
  echo "$deps" | grep -q "libqt6core6" || { echo "dpkg-shlibdeps did not add the Qt libraries"; exit 1; }
  dpkg -x "$deb" "$root"
else
  DESTDIR="$root" cmake --install "$build" --prefix /usr >/dev/null
fi

for f in usr/bin/djp usr/bin/djp-studio usr/share/applications/$appid.desktop \
         usr/share/metainfo/$appid.metainfo.xml usr/share/icons/hicolor/scalable/apps/$appid.svg \
         usr/share/icons/hicolor/256x256/apps/$appid.png usr/share/man/man1/djp.1 \
         usr/share/djp-studio/defaults/pricing.json; do
  [ -e "$root/$f" ] || { echo "missing from the install: $f"; exit 1; }
done

cd "$work"   # no build tree, no source tree: only the installed files
export DJP_CONFIG_DIR="$work/config" DJP_CACHE_DIR="$work/cache" HOME="$work"
unset OPENAI_API_KEY ANTHROPIC_API_KEY GEMINI_API_KEY GOOGLE_API_KEY DJP_RUNS_DIR
"$root/usr/bin/djp" --version | grep -q "djp "
"$root/usr/bin/djp" run --offline --quiet --runs-dir "$work/runs" --preset quick --task "Installed smoke test"
n=$(find "$work/runs" -name '*.json' | wc -l)
[ "$n" -eq 1 ] || { echo "expected one artifact, found $n"; exit 1; }
"$root/usr/bin/djp" validate --runs-dir "$work/runs"
"$root/usr/bin/djp-studio" --runs-dir "$work/runs" --tab dashboard --screenshot "$work/shot.png"
[ -s "$work/shot.png" ] || { echo "no screenshot"; exit 1; }
echo "installed programs ran from $root"
