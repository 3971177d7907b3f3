"""Calls the clearing service with Debian's python3-grpcio, an independent gRPC implementation.

usage: /usr/bin/python3 interop.py REPO_ROOT ADDRESS SCENARIO [JSON]
Messages are compiled from protos/ at run time. Each scenario prints JSON objects, one per line,
that the xunit tests (Service/InteropTests.cs, LifecycleInteropTests.cs, FundsInteropTests.cs) assert on.
"""
import json
import os
import sys
import tempfile

import grpc
import grpc_tools
from google.protobuf import json_format
from grpc_tools import protoc


def compile_protos(root):
    out = tempfile.mkdtemp()
    protos = os.path.join(root, "protos")
    ours = os.path.join(protos, "campuscard", "clearing", "v1")
    files = [os.path.join(ours, f) for f in sorted(os.listdir(ours)) if f.endswith(".proto")]
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    here = os.path.dirname(os.path.abspath(__file__))
    if protoc.main(["protoc", "-I" + protos, "-I" + well_known, "-I" + here, "--python_out=" + out, os.path.join(here, "rpc_status.proto")] + files) != 0:
        sys.exit("protoc failed")
    sys.path.insert(0, out)
    # Importing the modules registers their services and messages in the default descriptor pool.
    from campuscard.clearing.v1 import admin_pb2, cards_pb2, finance_pb2, funding_pb2, kiosk_pb2, payments_pb2, statements_pb2, terminal_pb2  # noqa: F401
    global rpc_status_pb2
    import rpc_status_pb2


def emit(**values):
    print(json.dumps(values, ensure_ascii=False), flush=True)


def emit_error(error):
    """A refusal: its code and message, and the reason, domain, metadata and field of its google.rpc.Status details."""
    emit(code=error.code().name, details=error.details(), **error_info(error))


def error_info(error):
    trailers = dict(error.trailing_metadata() or ())
    if "grpc-status-details-bin" not in trailers:
        return {}
    status = rpc_status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
    found = {}
    for detail in status.details:
        if detail.Is(rpc_status_pb2.ErrorInfo.DESCRIPTOR):
            info = rpc_status_pb2.ErrorInfo()
            detail.Unpack(info)
            found.update(reason=info.reason, domain=info.domain, metadata=dict(info.metadata))
        elif detail.Is(rpc_status_pb2.BadRequest.DESCRIPTOR):
            request = rpc_status_pb2.BadRequest()
            detail.Unpack(request)
            found["fields"] = [v.field for v in request.field_violations]
    return found


class Client:
    """Unary calls by full method name, with request and reply types looked up in the compiled protos."""

    def __init__(self, channel, token):
        self.channel = channel
        self.metadata = [("authorization", "Bearer " + token)] if token else []

    def call(self, method, request_json, timeout=10):
        return self._invoke(self.channel.unary_unary, method, request_json, timeout)

    def stream(self, method, request_json, timeout=10):
        return self._invoke(self.channel.unary_stream, method, request_json, timeout)

    def client_stream(self, method, requests_json, timeout=10):
        """A client stream: each request message in order, then the one reply."""
        stub, request_type = self._stub(self.channel.stream_unary, method)
        requests = [json_format.ParseDict(r, request_type()) for r in requests_json]
        return stub(iter(requests), metadata=self.metadata, timeout=timeout)

    def _invoke(self, kind, method, request_json, timeout):
        stub, request_type = self._stub(kind, method)
        request = json_format.ParseDict(request_json, request_type())
        return stub(request, metadata=self.metadata, timeout=timeout)

    @staticmethod
    def _stub(kind, method):
        service, name = method.split("/")
        request_type = find_type(service, name, input=True)
        stub = kind("/" + method, request_serializer=request_type.SerializeToString,
                    response_deserializer=find_type(service, name, input=False).FromString)
        return stub, request_type


def find_type(service, method, input):
    from google.protobuf import symbol_database
    pool = symbol_database.Default().pool
    descriptor = pool.FindServiceByName(service).FindMethodByName(method)
    message = descriptor.input_type if input else descriptor.output_type
    return symbol_database.Default().GetPrototype(message)


def as_json(message):
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def scenario_call(channel, args):
    """One unary call: {"method": "pkg.Service/Method", "token": "...", "request": {...}}."""
    client = Client(channel, args.get("token"))
    try:
        reply = client.call(args["method"], args.get("request", {}), timeout=args.get("timeout", 10))
        emit(code="OK", reply=as_json(reply))
    except grpc.RpcError as error:
        emit_error(error)


def scenario_calls(channel, args):
    """Several unary calls in order: {"calls": [{"method":..., "token":..., "request":...}, ...]}."""
    for call in args["calls"]:
        scenario_call(channel, call)


def scenario_client_stream(channel, args):
    """A client stream: {"method":..., "token":..., "requests": [{...}, ...]}; sends each message, prints the reply."""
    client = Client(channel, args.get("token"))
    try:
        reply = client.client_stream(args["method"], args.get("requests", []), timeout=args.get("timeout", 10))
        emit(code="OK", reply=as_json(reply))
    except grpc.RpcError as error:
        emit_error(error)


def scenario_stream(channel, args):
    """A server stream: {"method":..., "token":..., "request":..., "count": n}; prints its first n messages, then cancels it."""
    call = Client(channel, args.get("token")).stream(args["method"], args.get("request", {}), timeout=args.get("timeout", 30))
    try:
        for seen, reply in enumerate(call, start=1):
            emit(code="OK", reply=as_json(reply))
            if seen == args["count"]:
                call.cancel()
                return
    except grpc.RpcError as error:
        emit_error(error)


def health_check(channel, service, timeout=10):
    # HealthCheckRequest is field 1, a string; HealthCheckResponse is field 1, a varint: 08 <status>.
    encoded = service.encode("utf-8")
    request = (b"\x0a" + bytes([len(encoded)]) + encoded) if encoded else b""
    return channel.unary_unary("/grpc.health.v1.Health/Check")(request, timeout=timeout)


STATUS = {b"": "UNKNOWN", b"\x08\x01": "SERVING", b"\x08\x02": "NOT_SERVING", b"\x08\x03": "SERVICE_UNKNOWN"}


def scenario_health_check(channel, args):
    emit(status=STATUS.get(health_check(channel, ""), "?"))
    for service in args.get("services", []):
        try:
            emit(service=service, status=STATUS.get(health_check(channel, service), "?"))
        except grpc.RpcError as error:
            emit(service=service, code=error.code().name)


def scenario_health_watch(channel, args):
    """Prints each status a Watch sends: until "statuses" were seen, or it is cancelled after the first, or its deadline passes."""
    call = channel.unary_stream("/grpc.health.v1.Health/Watch")(b"", timeout=args.get("timeout", 30))
    wanted = args.get("statuses")
    seen = 0
    try:
        for response in call:
            emit(status=STATUS.get(response, "?"))
            seen += 1
            if args.get("cancel") or seen == wanted:
                call.cancel()
                if args.get("cancel"):
                    emit(code=call.code().name)
                return
    except grpc.RpcError as error:
        emit_error(error)


def scenario_raw(channel, args):
    """Sends raw bytes to a method: {"method":..., "token":..., "size": n} sends one string field of n bytes."""
    size = args["size"]
    payload = bytearray(b"\x0a")
    length = size
    while True:
        byte = length & 0x7F
        length >>= 7
        payload.append(byte | (0x80 if length else 0))
        if not length:
            break
    payload += b"x" * size
    metadata = [("authorization", "Bearer " + args["token"])] if args.get("token") else []
    try:
        channel.unary_unary("/" + args["method"])(bytes(payload), metadata=metadata, timeout=10)
        emit(code="OK")
    except grpc.RpcError as error:
        emit_error(error)


def varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def length_delimited(data):
    """(number, bytes) of each length-delimited field of a message; varints are skipped (reflection's listing has no other kind)."""
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        if key & 7 == 0:
            _, i = varint(data, i)
            continue
        length, i = varint(data, i)
        yield key >> 3, data[i:i + length]
        i += length


def scenario_reflection(channel, args):
    """Lists the services through grpc.reflection.v1 with {"token": ...}: prints their names, or the error."""
    metadata = [("authorization", "Bearer " + args["token"])] if args.get("token") else []
    call = channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")
    try:
        # ServerReflectionRequest.list_services (field 7) = ""; the response's list_services_response is field 6, a list
        # of ServiceResponse (field 1), each with its name (field 1).
        for response in call(iter([b"\x3a\x00"]), metadata=metadata, timeout=10):
            listing = b"".join(value for number, value in length_delimited(response) if number == 6)
            names = [dict(length_delimited(service))[1].decode("utf-8") for _, service in length_delimited(listing)]
            emit(code="OK", services=names)
            return
    except grpc.RpcError as error:
        emit_error(error)


def main():
    root, address, scenario = sys.argv[1], sys.argv[2], sys.argv[3]
    args = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    compile_protos(root)
    options = [("grpc.enable_http_proxy", 0), ("grpc.max_send_message_length", 64 * 1024 * 1024)]
    with grpc.insecure_channel(address, options=options) as channel:
        globals()["scenario_" + scenario](channel, args)


if __name__ == "__main__":
    main()
