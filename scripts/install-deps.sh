#!/usr/bin/env bash
# Installs the Debian packages Opzenix needs to build, run and test, and only
# those missing. Idempotent; uses sudo when not root.
#   scripts/install-deps.sh            build + run dependencies (the server and the web UI)
#   scripts/install-deps.sh --test     also what only the tests need (chromium for the browser tests)
#   scripts/install-deps.sh --bench    also the benchmark peers (wrk, hyperfine, time)
# The web UI is built with Node.js >= 20 and npm. A node already on PATH is
# used as it is (e.g. NodeSource's 20.x, which bundles npm); without one,
# Debian's `nodejs npm` are installed, and if that node is older than 20 the
# script stops and says what to install.
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build pkg-config ccache git
  libboost1.81-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libpq-dev
  libyaml-cpp-dev libsodium-dev libssl-dev libcli11-dev libspdlog-dev libfmt-dev libmbedtls-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev zlib1g-dev
  libhowardhinnant-date-dev
  curl procps
  nginx-light python3  # the deployment proof: examples/webapp behind a real nginx router
)
norec=(prometheus)  # promtool, to check /metrics; installed without its recommends
case "${1:-}" in
  # chromium: the browser end-to-end tests (web/e2e) drive /usr/bin/chromium;
  # postgresql: the store and integration suites run a second time on a
  # throwaway PostgreSQL 15 (tests/support/postgres.sh; its own service is not used);
  # patroni, etcd-server, etcd-client: the failover test's three-member cluster on
  # loopback (tests/support/patroni.sh, tests/ha/; their services are not used).
  --test) pkgs+=(chromium postgresql patroni etcd-server etcd-client) ;;
  # libsnappy1v5: Prometheus remote-write bodies for bench/remote_write_side_by_side.sh
  --bench) pkgs+=(wrk hyperfine time libsnappy1v5) ;;
esac
if ! command -v node >/dev/null 2>&1; then
  pkgs+=(nodejs npm)
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

install_missing() {
  local missing=() main=() extra=() p
  for p in "${pkgs[@]}" "${norec[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
  for p in "${missing[@]}"; do
    if [[ " ${norec[*]} " == *" $p "* ]]; then extra+=("$p"); else main+=("$p"); fi
  done
  if [[ ${#main[@]} -gt 0 ]]; then
    $SUDO apt-get install -o DPkg::Lock::Timeout=600 -y -q --no-upgrade "${main[@]}"
    # Tests start their own nginx on loopback ports; the distribution's service is not needed.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
      $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
    fi
  fi
  if [[ ${#extra[@]} -gt 0 ]]; then
    $SUDO apt-get install -o DPkg::Lock::Timeout=600 -y -q --no-upgrade --no-install-recommends "${extra[@]}"
    # The prometheus package starts a service on install where systemd runs; we only want promtool.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
      $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
  fi
}

# Node.js >= 20 with npm: vite 8 and vitest 4 need it (Debian 12's own nodejs is 18).
check_node() {
  local version major
  version=$(node --version 2>/dev/null || true)
  major=${version#v}
  major=${major%%.*}
  if [[ -z "$version" || ! "$major" =~ ^[0-9]+$ || "$major" -lt 20 ]]; then
    cat >&2 <<MSG
install-deps: the web UI needs Node.js 20 or newer; this machine has ${version:-no node}.
  Debian 12's nodejs package is 18. Install Node.js 20 (with npm), e.g. from NodeSource:
    curl -fsSL https://deb.nodesource.com/setup_20.x | sudo bash - && sudo apt-get install -y nodejs
  then run make again.
MSG
    exit 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: node $version is installed but npm is not: install npm (sudo apt-get install -y npm)." >&2
    exit 1
  fi
}

install_missing
check_node
