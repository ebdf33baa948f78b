#!/usr/bin/env bash
# Installs the system packages cloudcreds needs, on Debian/Ubuntu through apt-get (with sudo
# when not root). On other systems it prints the exact command to run instead.
#   scripts/install-system-deps.sh app    # what building and running the app needs
#   scripts/install-system-deps.sh test   # plus Xvfb, WebKitWebDriver, gnome-keyring, D-Bus
#                                         # and Python's venv for the peer tests
#   scripts/install-system-deps.sh peers  # only Python's venv (scripts/peers.sh)
set -euo pipefail

purpose="${1:-test}"
app_pkgs=(build-essential pkg-config file libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
  libsoup-3.0-dev libayatana-appindicator3-dev libxdo-dev libssl-dev libdbus-1-dev)
test_pkgs=(xvfb xauth webkit2gtk-driver gnome-keyring dbus dbus-x11 libsecret-tools)

# The peer tests make a virtual environment; Debian and Ubuntu ship venv's pip bootstrap
# (ensurepip) apart from python3, in python3-venv.
peer_pkgs=()
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || peer_pkgs=(python3 python3-venv)

case "$purpose" in
  app) pkgs=("${app_pkgs[@]}") ;;
  test) pkgs=("${app_pkgs[@]}" "${test_pkgs[@]}" ${peer_pkgs[@]+"${peer_pkgs[@]}"}) ;;
  peers) [ ${#peer_pkgs[@]} -eq 0 ] && exit 0; pkgs=("${peer_pkgs[@]}") ;;
  *) echo "usage: $0 app|test|peers" >&2; exit 2 ;;
esac

if [ "$(uname -s)" = Darwin ]; then
  [ "$purpose" = peers ] && exit 0
  echo "macOS: the app needs only Xcode's command line tools: xcode-select --install"
  echo "(the end-to-end tests use WebKitWebDriver and run on Linux only)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  if [ "$purpose" = peers ]; then
    echo "python3 cannot make a virtual environment: install its venv support (Fedora:" >&2
    echo "sudo dnf install python3; Arch: sudo pacman -S python), then run this again." >&2
    exit 1
  fi
  echo "This script installs packages with apt-get (Debian/Ubuntu). On your system run:" >&2
  echo "  Fedora: sudo dnf install webkit2gtk4.1-devel openssl-devel file libappindicator-gtk3-devel librsvg2-devel libxdo-devel xorg-x11-server-Xvfb gnome-keyring dbus-daemon libsecret" >&2
  echo "  Arch:   sudo pacman -S --needed webkit2gtk-4.1 base-devel curl wget file openssl appmenu-gtk-module libappindicator-gtk3 librsvg xdotool xorg-server-xvfb gnome-keyring libsecret" >&2
  echo "then run this command again." >&2
  exit 1
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Missing packages and no sudo. As root run: apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$purpose" = test ] && ! command -v tauri-driver >/dev/null 2>&1 \
  && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  echo "Installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
