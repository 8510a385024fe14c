#!/usr/bin/env bash
# Runs `node ARGS` as on a machine with only Node installed, to measure what `npm test` does there:
#   sudo bash test/node-only.sh node_modules/vitest/vitest.mjs run --project unit --project integration
# In a private mount namespace (nothing changes outside it) /usr/bin holds only node, npm, npx and env, so
# `#!/usr/bin/env node` scripts still run (as cross-spawn runs them on Windows) but there is no sh, bash,
# coreutils, git, python3, ruby or vagrant; /usr/sbin and /usr/local/*bin are empty. Linux, root, merged /usr.
# Add LABKIT_TEST_PLATFORM=win32 to have the tool registry answer as Windows (test/helpers/tools.ts).
set -euo pipefail
if [ "${LABKIT_NODE_ONLY_INSIDE:-}" != 1 ]; then
  exec unshare --mount --propagation private env LABKIT_NODE_ONLY_INSIDE=1 bash "$0" "$@"
fi
real=$(mktemp -d)
mount --bind /usr/bin "$real"
mount -t tmpfs none /usr/bin
# From here on only "$real"/... names the system's programs.
for f in node env; do
  "$real/touch" "/usr/bin/$f"
  "$real/mount" --bind "$real/$f" "/usr/bin/$f"
done
"$real/ln" -s ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm
"$real/ln" -s ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx
for d in /usr/sbin /usr/local/bin /usr/local/sbin; do "$real/mount" -t tmpfs none "$d"; done
"$real/umount" -l "$real"
/usr/bin/node -e "require('fs').rmdirSync(process.argv[1])" "$real"
export PATH=/usr/bin
exec /usr/bin/node "$@"
