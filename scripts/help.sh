# Sourced by the scripts: a script's --help (or -h) as its first argument prints the script's opening comment and
# stops it, before it builds or starts anything.
help_if_asked() {
  case "${1:-}" in
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  esac
}
