#!/bin/sh
# make run: create the demo forum in ./data when there is none, print the
# admin login, and serve it on http://127.0.0.1:8080 (LISTEN=addr:port to change).
set -eu
cd "$(dirname "$0")/.."
data=${DATA:-data}
if [ ! -f "$data/loulan.db" ]; then
  ./loulan init --data "$data" --demo >/dev/null
fi
echo "loulan: demo forum in ./$data"
if [ -f "$data/admin-login.txt" ]; then cat "$data/admin-login.txt"; fi
echo "loulan: open http://${LISTEN:-127.0.0.1:8080}/"
exec ./loulan serve --data "$data" --listen "${LISTEN:-127.0.0.1:8080}"
