"""How long the service takes to serve again after Redis restarts, as a terminal sees it.

usage: /usr/bin/python3 redis_restart.py REPO_ROOT ADDRESS OFFICE_TOKEN TERMINAL_TOKEN REDIS_PORT RESTARTS
Opens one account, then RESTARTS times: shuts Redis down (it saves its append-only file), starts it again on the
same data (scripts/services.sh, in the caller's CC_ENV), and debits 1 fen every 10 ms until one is approved. Prints one JSON line per restart with
the seconds from Redis answering PING again to the first approved debit, and a summary.
"""
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(sys.argv[1], "tests", "CampusCard.Clearing.Tests", "Interop"))
import grpc  # noqa: E402
import interop  # noqa: E402

root, address, office, terminal, redis_port, restarts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
interop.compile_protos(root)
channel = grpc.insecure_channel(address)
as_office, as_terminal = interop.Client(channel, office), interop.Client(channel, terminal)

person = "FAULT-%d" % int(time.time())
account = as_office.call("campuscard.clearing.v1.Cards/OpenAccount", {"person_no": person, "name": "Fault", "card_type": "CARD_TYPE_STUDENT"})
as_office.call("campuscard.clearing.v1.Funding/Credit", {"request_id": person, "person_no": person, "amount_fen": 1000000, "source": "SYSTEM_ACCOUNT_SUSPENSE"})

sequence = 0
def debit():
    global sequence
    sequence += 1
    try:
        reply = as_terminal.call("campuscard.clearing.v1.Terminal/Debit", {"request_id": "%s-%d" % (person, sequence), "card_no": account.card_no, "amount_fen": 1}, timeout=2)
        return reply.outcome == 1
    except grpc.RpcError:
        return False

def pong():
    return subprocess.run(["redis-cli", "-p", redis_port, "ping"], capture_output=True, text=True).stdout.strip() == "PONG"

assert debit(), "the service does not debit before any fault"
seconds = []
for i in range(restarts):
    subprocess.run(["redis-cli", "-p", redis_port, "shutdown"], capture_output=True)
    time.sleep(1)
    # services.sh starts Redis again on the same data (its append-only file), as an operator would.
    subprocess.run([os.path.join(root, "scripts", "services.sh"), "start"], check=True, capture_output=True)
    while not pong():
        time.sleep(0.005)
    back = time.monotonic()
    while not debit():
        time.sleep(0.01)
    seconds.append(time.monotonic() - back)
    print(json.dumps({"restart": i + 1, "seconds_to_first_approved_debit": round(seconds[-1], 3)}), flush=True)
    time.sleep(1)
print(json.dumps({"restarts": restarts, "median_s": round(statistics.median(seconds), 3), "max_s": round(max(seconds), 3)}))
