"""Calls the in-process test server with Python's grpcio, an independent gRPC implementation.

Usage: /usr/bin/python3 interop_client.py PORT SCENARIO [ARG]
Prints one JSON object per line; the xunit tests in InteropTests.cs assert on them.
"""
import importlib
import json
import os
import sys
import tempfile

import grpc

STRING = dict(request_serializer=lambda s: s.encode("utf-8"), response_deserializer=lambda b: b.decode("utf-8"))


def emit(**values):
    print(json.dumps(values), flush=True)


def emit_error(error):
    emit(code=error.code().name, details=error.details())


def unary(channel, method, request, **kwargs):
    return channel.unary_unary(method, **STRING)(request, **kwargs)


def scenario_unary(channel, _):
    response = unary(channel, "/test.Tests/Echo", "héllo ✓")
    _, call = channel.unary_unary("/test.Tests/EchoMetadata", **STRING).with_call(
        "ok", metadata=[("x-trace", "abc"), ("x-blob-bin", b"\x00\x01\xfe\xff")])
    trailers = {key: value.hex() if key.endswith("-bin") else value for key, value in call.trailing_metadata()}
    emit(response=response, code=call.code().name, trailers=trailers)


def scenario_error(channel, detail):
    try:
        unary(channel, "/test.Tests/Fail", detail)
    except grpc.RpcError as error:
        trailers = dict(error.trailing_metadata())
        emit(code=error.code().name, details=error.details(), failed=trailers.get("x-failed"))


def scenario_deadline(channel, key):
    # Long enough for the server to reach the handler on a loaded machine: a deadline that passes
    # while the request is still being read ends the call before any handler runs.
    try:
        unary(channel, "/test.Tests/WaitForCancellation", key, timeout=1.5)
    except grpc.RpcError as error:
        emit_error(error)


def scenario_stream(channel, request):
    messages = list(channel.unary_stream("/test.Tests/Stream", **STRING)(request))
    emit(count=len(messages), total=sum(len(m) for m in messages))


def scenario_unimplemented(channel, _):
    for method in ("/test.Tests/Nope", "/nope.Service/Nope"):
        try:
            unary(channel, method, "")
        except grpc.RpcError as error:
            emit_error(error)


def scenario_cancel(channel, key):
    call = channel.unary_stream("/test.Tests/StreamUntilCancelled", **STRING)(key)
    first = next(call)
    call.cancel()
    emit(first=first, code=call.code().name)


def scenario_oversized(channel, _):
    try:
        unary(channel, "/test.Tests/Echo", "x" * (5 * 1024 * 1024))
    except grpc.RpcError as error:
        emit_error(error)


def load_health_messages(proto_dir):
    out = tempfile.mkdtemp()
    from grpc_tools import protoc
    if protoc.main(["protoc", "-I" + proto_dir, "--python_out=" + out, os.path.join(proto_dir, "health.proto")]) != 0:
        sys.exit("protoc failed on health.proto")
    sys.path.insert(0, out)
    return importlib.import_module("health_pb2")


def health_method(channel, health, kind, name):
    return getattr(channel, kind)("/grpc.health.v1.Health/" + name,
                                  request_serializer=health.HealthCheckRequest.SerializeToString,
                                  response_deserializer=health.HealthCheckResponse.FromString)


def scenario_health_check(channel, proto_dir):
    health = load_health_messages(proto_dir)
    check = health_method(channel, health, "unary_unary", "Check")
    status = check(health.HealthCheckRequest(service=""), timeout=10).status
    emit(status=health.HealthCheckResponse.ServingStatus.Name(status))
    try:
        check(health.HealthCheckRequest(service="unknown.Service"), timeout=10)
    except grpc.RpcError as error:
        emit_error(error)


def scenario_health_watch(channel, proto_dir_and_service):
    proto_dir, service = proto_dir_and_service.split(os.pathsep)
    health = load_health_messages(proto_dir)
    call = health_method(channel, health, "unary_stream", "Watch")(health.HealthCheckRequest(service=service), timeout=20)
    for _ in range(2):
        # The test changes the status when it reads the first line.
        emit(status=health.HealthCheckResponse.ServingStatus.Name(next(call).status))
    call.cancel()
    emit(code=call.code().name)


def main():
    port, scenario = sys.argv[1], sys.argv[2]
    argument = sys.argv[3] if len(sys.argv) > 3 else ""
    with grpc.insecure_channel("127.0.0.1:" + port, options=[("grpc.enable_http_proxy", 0)]) as channel:
        globals()["scenario_" + scenario](channel, argument)


if __name__ == "__main__":
    main()
