#!/usr/bin/env bash
# Installs the Debian packages Opzenix needs to build, run and test, and only
# those missing. Idempotent; uses sudo when not root.
#   scripts/install-deps.sh            build + run + test dependencies
#   scripts/install-deps.sh --bench    also the benchmark peers (wrk, nginx, ninja's peers)
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build pkg-config ccache git
  libboost1.81-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libpq-dev
  libyaml-cpp-dev libsodium-dev libssl-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev zlib1g-dev
  libhowardhinnant-date-dev
  curl procps
  nginx-light python3  # the deployment proof: examples/webapp behind a real nginx router
)
norec=(prometheus)  # promtool, to check /metrics; installed without its recommends
if [[ "${1:-}" == "--bench" ]]; then
  pkgs+=(wrk hyperfine time)
fi

missing=()
for p in "${pkgs[@]}" "${norec[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
main=()
extra=()
for p in "${missing[@]}"; do
  if [[ " ${norec[*]} " == *" $p "* ]]; then extra+=("$p"); else main+=("$p"); fi
done
if [[ ${#main[@]} -gt 0 ]]; then
  $SUDO apt-get install -y -q --no-upgrade "${main[@]}"
  # Tests start their own nginx on loopback ports; the distribution's service is not needed.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
    $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
fi
if [[ ${#extra[@]} -gt 0 ]]; then
  $SUDO apt-get install -y -q --no-upgrade --no-install-recommends "${extra[@]}"
  # The prometheus package starts a service on install where systemd runs; we only want promtool.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi
