# Debian packages the tests use: Chromium for the browser test, bubblewrap to isolate emulated
# sandboxes. Installed with apt-get when running as root; otherwise the test run says what to do.

ensure_system_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v bwrap >/dev/null || missing+=(bubblewrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing ${missing[*]} with apt-get"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 ||
      warn "apt-get could not install ${missing[*]}"
  else
    warn "Missing ${missing[*]}: install them (sudo apt-get install -y ${missing[*]}) for the browser test and sandbox isolation."
  fi
}
