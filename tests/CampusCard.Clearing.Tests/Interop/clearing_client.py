"""Calls the clearing service with Debian's python3-grpcio, from messages compiled out of protos/ at run time.

usage: clearing_client.py REPO_ROOT ADDRESS CARD_NO MERCHANT_ID
Prints the Health status, then one debit's outcome and balance, then the status of a malformed debit.
"""
import os
import sys
import tempfile

import grpc
import grpc_tools
from grpc_tools import protoc

root, address, card_no, merchant_id = sys.argv[1:5]
out = tempfile.mkdtemp()
protos = os.path.join(root, "protos")
# Only our own protos: a generated grpc/health package would be shadowed by the installed grpc package.
ours = os.path.join(protos, "campuscard", "clearing", "v1")
files = [os.path.join(ours, f) for f in os.listdir(ours) if f.endswith(".proto")]
well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
if protoc.main(["protoc", "-I" + protos, "-I" + well_known, "--python_out=" + out] + files) != 0:
    sys.exit("protoc failed")
sys.path.insert(0, out)
from campuscard.clearing.v1 import terminal_pb2  # noqa: E402

channel = grpc.insecure_channel(address)
# HealthCheckRequest{} is empty; HealthCheckResponse is one varint field: 08 <status>.
check = channel.unary_unary("/grpc.health.v1.Health/Check")
health = check(b"", timeout=5)
print("health", {b"\x08\x01": "SERVING", b"\x08\x02": "NOT_SERVING"}.get(health, repr(health)))

debit = channel.unary_unary("/campuscard.clearing.v1.Terminal/Debit",
                            request_serializer=terminal_pb2.DebitRequest.SerializeToString,
                            response_deserializer=terminal_pb2.DebitReply.FromString)
reply = debit(terminal_pb2.DebitRequest(request_id="py-1", card_no=card_no, merchant_id=merchant_id,
                                        terminal_id="PY", amount_fen=250), timeout=5)
print("debit", reply.outcome, reply.balance_fen)
try:
    debit(terminal_pb2.DebitRequest(request_id="py-2", card_no=card_no, merchant_id=merchant_id,
                                    terminal_id="PY", amount_fen=0), timeout=5)
    print("malformed accepted")
except grpc.RpcError as e:
    print("malformed", e.code().name, e.details())
