#!/usr/bin/env bash
# Creates a read-only finance login on the journal's PostgreSQL database, or brings an existing one to the same
# rights (after a migration added views). docs/finance.md says what it may read.
#   scripts/finance-login.sh [--campus CODE] [--password-stdin | --keep-password] LOGIN
# --campus CODE makes it a login of that campus (campuses.code): it reads only that campus's rows, in every view
# (row-level security, migration 016). Without it the login is a vendor's: it reads every campus's rows (a deployment
# of one campus needs nothing else). Run again with another --campus (or none) to move an existing login.
# The login gets a password: generated and printed once on standard output (the only thing printed there), or the
# first line of standard input with --password-stdin (printable ASCII, at least 12 characters); --keep-password leaves
# an existing login's password as it is. The server receives only a SCRAM-SHA-256 verifier, never the password.
# Rights: LOGIN, default_transaction_read_only, CONNECT on the database, USAGE on the journal's schema, SELECT on every
# view of the schema, on the columns of the tables the views read (the views run with their caller's rights, so the
# policies apply through them: transactions, holders, merchants, accounts, subsidy_batches, campuses; no other column,
# such as holders.id_number_hash) and on the lookup tables the views' functions read (codes, holder_fields,
# campus_settings), EXECUTE on account_balance_at; a row in finance_logins naming its campus; no right on any other
# table (secrets, cards, terminals, ...): whatever the login had before is revoked.
# Where: the libpq variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD or ~/.pgpass) name the database and an
# administrator who may create roles and grant on the journal's objects (its owner with CREATEROLE, or a superuser);
# unset ones default to the local server of scripts/services.sh (CC_ENV=dev unless set).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { echo "usage: $0 [--campus CODE] [--password-stdin | --keep-password] LOGIN" >&2; exit 2; }
fail() { echo "finance-login: $*" >&2; exit 1; }

password_from=generate
login=
campus=
while [ $# -gt 0 ]; do
  case "$1" in
    --campus) [ $# -ge 2 ] || usage; campus=$2; shift ;;
    --password-stdin) password_from=stdin ;;
    --keep-password) password_from=keep ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) [ -z "$login" ] || usage; login=$1 ;;
  esac
  shift
done
[ -n "$login" ] || usage
[[ "$login" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || fail "LOGIN must be a lower-case SQL name (letters, digits, _; at most 63): $login"
[[ "$login" != pg_* && "$login" != postgres ]] || fail "$login is a name PostgreSQL reserves"

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-$CC_PG_PORT} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-$CC_PG_DB}
psql_bin=$(command -v psql || echo "$CC_PG_BIN/psql")
sql() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 -v login="$login" -v campus="$campus" "$@"; }

[ "$(sql -tAc "SELECT to_regclass('finance_logins') IS NOT NULL")" = t ] ||
  fail "$PGDATABASE on $PGHOST:$PGPORT has no finance logins per campus yet: migrate it first (start the service, or run the host with migrate)"
if [ -n "$campus" ]; then
  [ "$(sql -tA <<<"SELECT count(*) FROM campuses WHERE code = :'campus'")" = 1 ] ||
    fail "no campus $campus here (campuses: $(sql -tAc "SELECT string_agg(code, ', ' ORDER BY campus_no) FROM campuses"))"
fi

# An existing role that can do more than read is not made a finance login: it is someone else's.
existing=$(sql -tA <<'SQL'
SELECT CASE WHEN r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls THEN 'privileged'
            WHEN EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid) THEN 'owner'
            ELSE 'reader' END
  FROM pg_roles r WHERE r.rolname = :'login';
SQL
)
case "$existing" in
  privileged) fail "$login exists and may do more than read (superuser, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS)" ;;
  owner) fail "$login exists and owns tables or views here: it is not a finance login" ;;
  '') [ "$password_from" != keep ] || fail "$login does not exist: --keep-password is for an existing login" ;;
esac

# The password: generated, or read; then its SCRAM-SHA-256 verifier (RFC 7677, as PostgreSQL stores it).
password=
case "$password_from" in
  generate) password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))') ;;
  stdin)
    IFS= read -r password || [ -n "$password" ] || fail "--password-stdin: nothing on standard input"
    [[ "$password" =~ ^[[:print:]]{12,}$ && "$password" != *[![:ascii:]]* ]] || fail "--password-stdin: the password must be at least 12 printable ASCII characters"
    ;;
esac
verifier=
if [ -n "$password" ]; then
  verifier=$(printf '%s' "$password" | python3 -c '
import base64, hashlib, hmac, os, sys
salt, iterations = os.urandom(16), 4096
salted = hashlib.pbkdf2_hmac("sha256", sys.stdin.buffer.read(), salt, iterations)
stored_key = hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
server_key = hmac.new(salted, b"Server Key", "sha256").digest()
b64 = lambda b: base64.b64encode(b).decode()
print("SCRAM-SHA-256$%d:%s$%s:%s" % (iterations, b64(salt), b64(stored_key), b64(server_key)))
')
fi

# The verifier goes in on standard input, not on the command line (base64, '$' and ':' only: no quoting needed).
# All of it in one transaction: a failure leaves no half-made login.
{ printf '%s\n' "\\set verifier '$verifier'"; cat <<'SQL'; } | sql --single-transaction
SELECT current_database() AS database, current_schema() AS schema \gset
SELECT format('CREATE ROLE %I LOGIN', :'login') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'login') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'login', :'verifier') WHERE :'verifier' <> '' \gexec
ALTER ROLE :"login" SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"database" TO :"login";
GRANT USAGE ON SCHEMA :"schema" TO :"login";
REVOKE ALL ON ALL TABLES IN SCHEMA :"schema" FROM :"login";
SELECT format('GRANT SELECT ON %s TO %I', string_agg(format('%I.%I', schemaname, viewname), ', ' ORDER BY viewname), :'login')
  FROM pg_views WHERE schemaname = current_schema() \gexec
SELECT format('GRANT SELECT (%s) ON %s TO %I', string_agg(DISTINCT quote_ident(a.attname), ', '), t.oid::regclass, :'login')
  FROM pg_views v
  JOIN pg_rewrite r ON r.ev_class = format('%I.%I', v.schemaname, v.viewname)::regclass
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
  JOIN pg_class t ON t.oid = d.refobjid AND t.relkind = 'r'
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
 WHERE v.schemaname = current_schema()
 GROUP BY t.oid \gexec
GRANT SELECT ON codes, holder_fields, campus_settings TO :"login";
GRANT EXECUTE ON FUNCTION account_balance_at(smallint, bigint, timestamptz) TO :"login";
INSERT INTO finance_logins (login, campus_no) VALUES (:'login', (SELECT campus_no FROM campuses WHERE code = nullif(:'campus', '')))
    ON CONFLICT (login) DO UPDATE SET campus_no = excluded.campus_no;
SQL

reads="campus $campus's rows"
[ -n "$campus" ] || reads="every campus's rows (a vendor's login)"
echo "finance-login: $login reads the views of $PGDATABASE on $PGHOST:$PGPORT, $reads (docs/finance.md)" >&2
[ "$password_from" != generate ] || printf '%s\n' "$password"
