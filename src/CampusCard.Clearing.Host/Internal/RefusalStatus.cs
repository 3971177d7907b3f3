using CampusCard.Clearing.Domain;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Google.Rpc.Status;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>
/// A refusal as gRPC answers it: its status code, its message, and a google.rpc.Status in the trailer
/// grpc-status-details-bin whose details are an ErrorInfo (the stable reason a program acts on, this service's domain,
/// what it is about) and, for INVALID_ARGUMENT, a BadRequest naming the field. The one place refusals get their shape,
/// for the call interceptor and for authentication's and authorization's refusals alike.
/// </summary>
internal static class RefusalStatus
{
    public const string Domain = "campuscard.clearing.v1";

    public static RpcException ToRpcException(RefusedException refused) => Of(refused).ToRpcException();

    public static Status Of(RefusedException refused)
    {
        var info = new ErrorInfo { Reason = ErrorReasons.Name(refused.Reason), Domain = Domain };
        foreach (var (key, value) in refused.Metadata) info.Metadata[key] = value;
        var status = new Status { Code = (int)Code(refused.Refusal), Message = refused.Message, Details = { Any.Pack(info) } };
        if (refused.Violation is { } violation)
        {
            info.Metadata["field"] = violation.Field;
            status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Message } } }));
        }
        return status;
    }

    /// <summary>One item's refusal in a batch call's reply: the item's status, as the call's own would be.</summary>
    public static Contracts.V1.ItemStatus ToItemStatus(RefusedException refused) =>
        new() { Code = (int)Code(refused.Refusal), Message = refused.Message, Reason = ErrorReasons.Name(refused.Reason) };

    /// <summary>The trailer's value: the status's bytes in base64 without padding, as gRPC sends binary metadata.</summary>
    public static string DetailsHeader(Status status) => Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');

    public const string DetailsHeaderName = "grpc-status-details-bin";

    public static StatusCode Code(Refusal refusal) => refusal switch
    {
        Refusal.InvalidArgument => StatusCode.InvalidArgument,
        Refusal.NotFound => StatusCode.NotFound,
        Refusal.AlreadyExists => StatusCode.AlreadyExists,
        Refusal.FailedPrecondition => StatusCode.FailedPrecondition,
        Refusal.PermissionDenied => StatusCode.PermissionDenied,
        Refusal.Unauthenticated => StatusCode.Unauthenticated,
        Refusal.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
