using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Grpc.Core;
using MerchantCategory = CampusCard.Clearing.Contracts.V1.MerchantCategory;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>
/// What the fuzzer found (docs/fuzzing.md), each with the body that reproduced it, as the fuzzer sent it: the service answered
/// UNKNOWN, INTERNAL or UNAVAILABLE where the request was malformed.
/// </summary>
public class FuzzFindingsTests : ServiceTestBase
{
    [Fact]
    public async Task A_transfer_cut_short_after_its_first_tag_is_invalid_argument_not_unknown()
    {
        var e = await AssertRefusedAsync(StatusCode.InvalidArgument, Domain.ErrorReason.MalformedMessage,
            () => UnaryAsync("Funding.Transfer", TestCredentials.Token(CallerRole.Kiosk), "0A0B"));

        Assert.Contains("not a valid TransferRequest", e.Status.Detail);
    }

    [Fact]
    public async Task A_cancel_loss_whose_person_no_is_not_utf8_is_invalid_argument_not_unknown()
    {
        await AssertStatusAsync(StatusCode.InvalidArgument,
            () => UnaryAsync("Cards.CancelLoss", TestCredentials.Token(CallerRole.Office), "0A0B667A7332342D3134312D301A02E282"));
    }

    [Fact]
    public async Task A_watch_with_field_number_zero_is_invalid_argument_not_unknown()
    {
        using var call = Channel.CreateCallInvoker()
            .AsyncServerStreamingCall(Rpc("Funding.WatchAutoTopUps").Raw, null, Options(TestCredentials.Token(CallerRole.Bank)), Convert.FromHexString("0000"));

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task An_offline_upload_with_a_record_that_does_not_parse_is_invalid_argument_not_unavailable()
    {
        var terminal = await RegisteredTerminalAsync();
        using var call = Channel.CreateCallInvoker().AsyncClientStreamingCall(Rpc("Terminal.UploadOffline").Raw, null, Options(terminal));
        await call.RequestStream.WriteAsync(Convert.FromHexString("0A0B"));
        await call.RequestStream.CompleteAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "MALFORMED_MESSAGE"), (e.StatusCode, ReasonOf(e)));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 24"));
    }

    /// <summary>
    /// Record 6 of the upload the fuzzer sent (seed 24): occurred_at is one second before 0001-01-01 with nanos -1, which
    /// Timestamp.ToDateTimeOffset refuses with an exception; the whole upload was INTERNAL. Now that record alone is refused.
    /// </summary>
    [Fact]
    public async Task An_offline_record_whose_occurred_at_is_before_year_one_is_refused_alone_not_internal()
    {
        var terminal = await RegisteredTerminalAsync();
        var account = await OpenFundedAccountAsync(1_000);
        var valid = new OfflineRecord { TerminalSeq = 1, CardNo = account.CardNo, AmountFen = 100, OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Clock.GetUtcNow()) };
        using var call = Channel.CreateCallInvoker().AsyncClientStreamingCall(Rpc("Terminal.UploadOffline").Raw, null, Options(terminal));
        await call.RequestStream.WriteAsync(Convert.FromHexString("0A10542D465A2D43414E5445454E2D322D3210D3081A0C38383030303030303030303520E10F2A1608FF91B8C398FEFFFFFF0110FFFFFFFFFFFFFFFFFF01"));
        await call.RequestStream.WriteAsync(Google.Protobuf.MessageExtensions.ToByteArray(valid));
        await call.RequestStream.CompleteAsync();

        var reply = UploadOfflineReply.Parser.ParseFrom(await call.ResponseAsync);
        Assert.Equal((int)StatusCode.InvalidArgument, reply.Results[0].Status.Code);
        Assert.Contains("occurred_at is not a time", reply.Results[0].Status.Message);
        Assert.Equal((1, 1), (reply.Failed, reply.Recorded));
        Assert.Equal(900L, await PurseAsync(account));
        await AssertInvariantsAsync();
    }

    /// <summary>
    /// Found by the invariants after a run (seed 24): an OpenAccount mutated to person_no "0x10" but still naming the card of
    /// an open account was refused ALREADY_EXISTS, yet the registry had taken the person, a holder without an account.
    /// </summary>
    [Fact]
    public async Task An_open_account_refused_for_another_persons_card_number_leaves_no_holder_behind()
    {
        var account = await OpenAccountAsync();

        await AssertStatusAsync(StatusCode.AlreadyExists, () => CallAsync(Cards.OpenAccountAsync, new OpenAccountRequest
        {
            PersonNo = "0x10", Name = "模糊测试", CardType = Contracts.V1.CardType.Student, IdNumber = IdNumber, CardNo = account.CardNo,
        }));

        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM holders WHERE person_no = '0x10'"));
        await AssertInvariantsAsync();
    }

    /// <summary>Seed 7: the day after 9999-12-31, where the cut-off would be, overflowed DateOnly; INTERNAL.</summary>
    [Fact]
    public async Task A_settlement_of_the_last_day_a_date_holds_is_failed_precondition_not_internal()
    {
        var e = await AssertStatusAsync(StatusCode.FailedPrecondition,
            () => UnaryAsync("Finance.RunSettlement", TestCredentials.Token(CallerRole.Finance), "0A0A393939392D31322D3331"));

        Assert.Contains("9999-12-31 has no next day", e.Status.Detail);
    }

    /// <summary>Seed 7: the first message of a subsidy upload whose claim_deadline has seconds -2^63; INTERNAL.</summary>
    [Fact]
    public async Task A_subsidy_upload_whose_claim_deadline_is_no_time_is_invalid_argument_not_internal()
    {
        using var call = Channel.CreateCallInvoker().AsyncClientStreamingCall(Rpc("Cards.IssueSubsidies").Raw, null, Options(TestCredentials.Token(CallerRole.Office)));
        await call.RequestStream.WriteAsync(Convert.FromHexString(
            "0A085355422D73372D33120D088080808080808080800110001A0966757A7A206D656D6F22190A09465A4530303031333010A3111A0966757A7A206D656D6F220E10D5081A0966757A7A206D656D6F"));
        await call.RequestStream.CompleteAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, true), (e.StatusCode, e.Status.Detail.Contains("claim_deadline is not a time")));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
    }

    /// <summary>
    /// The frame fuzzer (seed 1, connection 1898): an upload whose first message has the compressed flag 2. Grpc.AspNetCore's
    /// reader throws InvalidDataException inside the call, which the interceptor answered INTERNAL.
    /// </summary>
    [Fact]
    public async Task An_offline_upload_whose_compressed_flag_is_2_is_invalid_argument_not_internal()
    {
        await RegisteredTerminalAsync();
        var call = new FuzzCase(0, Rpc("Terminal.UploadOffline"), new FuzzCaller(CallerRole.Terminal, new FuzzTerminal("T-FZ-CANTEEN-2-2", "FZ-CANTEEN-2")), [], []);
        var script = new FrameScript();
        script.Frames.AddRange([
            H2Frame.Settings(),
            new H2Frame(H2.Headers, H2.EndHeaders, 1, Hpack.Encode(FrameScript.RequestHeaders(call, new Uri(Address).Authority))),
            new H2Frame(H2.Data, H2.EndStream, 1, [2, 0, 0, 0, 0]),
        ]);
        var report = new FrameReport();

        await new FrameFuzzer(System.Net.IPEndPoint.Parse(new Uri(Address).Authority), report).SendAsync(call, script);

        Assert.Equal(["InvalidArgument"], report.Statuses.Keys);
    }

    /// <summary>
    /// A statement to 0001-01-01 with no from_date: the default, 30 days before, is no date (InterestingValues holds
    /// "0001-01-01"; DateOnly.AddDays threw). Now it starts at 0001-01-01.
    /// </summary>
    [Fact]
    public async Task A_statement_to_the_first_day_a_date_holds_is_answered_not_internal()
    {
        var account = await OpenAccountAsync();

        var statement = await CallAsync(new Statements.StatementsClient(As(CallerRole.Kiosk)).GetStatementAsync,
            new GetStatementRequest { PersonNo = account.PersonNo, ToDate = "0001-01-01" });

        Assert.Empty(statement.Lines);
    }

    /// <summary>A monthly bill of 9999-12 reads to the month after it, and one of 0001-01 from five months before it: no dates.</summary>
    [Theory]
    [InlineData("9999-12")]
    [InlineData("0001-05")]
    public async Task A_monthly_bill_whose_months_are_no_dates_is_invalid_argument_not_internal(string month)
    {
        var account = await OpenAccountAsync();

        var e = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(new Statements.StatementsClient(As(CallerRole.Kiosk)).GetMonthlyBillAsync,
            new GetMonthlyBillRequest { PersonNo = account.PersonNo, Month = month }));

        Assert.Contains("month must lie between 0001-06 and 9999-11", e.Status.Detail);
    }

    /// <summary>
    /// The long run (seed 1, past 700,000 bodies): a subsidy upload whose later message names a batch id of hundreds of
    /// kilobytes was refused with a message that quoted it whole; its grpc-message header passed the client's 64 KiB limit
    /// for headers, and the client's HTTP/2 connection failed with every call on it. Now each message's batch_id is checked first.
    /// </summary>
    [Fact]
    public async Task A_subsidy_upload_naming_a_batch_id_of_300_kb_is_refused_with_a_short_message()
    {
        using var call = Channel.CreateCallInvoker().AsyncClientStreamingCall(Rpc("Cards.IssueSubsidies").Raw, null, Options(TestCredentials.Token(CallerRole.Office)));
        await call.RequestStream.WriteAsync(Google.Protobuf.MessageExtensions.ToByteArray(new SubsidyUpload { BatchId = "SUB-1" }));
        await call.RequestStream.WriteAsync(Google.Protobuf.MessageExtensions.ToByteArray(new SubsidyUpload { BatchId = new string('a', 300_000) }));
        await call.RequestStream.CompleteAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.True(e.Status.Detail.Length < 200, $"a message of {e.Status.Detail.Length} characters");
    }

    /// <summary>The terminal the reproducers name (T-FZ-CANTEEN-2-2 of FZ-CANTEEN-2), registered, and its token.</summary>
    private async Task<string> RegisteredTerminalAsync()
    {
        await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "FZ-CANTEEN-2", Name = "二食堂", Category = MerchantCategory.Dining });
        await CallAsync(Cards.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = "T-FZ-CANTEEN-2-2", MerchantId = "FZ-CANTEEN-2" });
        return TestCredentials.TerminalToken("T-FZ-CANTEEN-2-2", "FZ-CANTEEN-2");
    }

    private async Task<byte[]> UnaryAsync(string rpc, string token, string hex) =>
        await Channel.CreateCallInvoker().AsyncUnaryCall(Rpc(rpc).Raw, null, Options(token), Convert.FromHexString(hex));

    private static RpcTarget Rpc(string name) => new(RpcCatalog.Methods().Single(m => $"{m.Service.Name}.{m.Name}" == name), []);

    private static CallOptions Options(string token) =>
        new(new Metadata { { "authorization", "Bearer " + token } }, DateTime.UtcNow.AddSeconds(30));
}
