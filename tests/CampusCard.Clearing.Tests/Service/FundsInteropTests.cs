using System.Globalization;
using System.Text.Json;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// The RPCs of issue 11 called by python3-grpcio: holds, offline uploads, subsidy batches and claims, the e-wallet and
/// its payments, auto top-ups. Client streams (UploadOffline, IssueSubsidies) and the server stream WatchAutoTopUps
/// cross the wire from an independent gRPC implementation.
/// </summary>
public class FundsInteropTests : ServiceTestBase
{
    private const string CardsRpc = "campuscard.clearing.v1.Cards/";
    private const string KioskRpc = "campuscard.clearing.v1.Kiosk/";
    private const string TerminalRpc = "campuscard.clearing.v1.Terminal/";
    private const string FundingRpc = "campuscard.clearing.v1.Funding/";
    private const string PaymentsRpc = "campuscard.clearing.v1.Payments/";

    private static readonly string Office = TestCredentials.Token(CallerRole.Office);
    private static readonly string Kiosk = TestCredentials.Token(CallerRole.Kiosk);
    private static readonly string Bank = TestCredentials.Token(CallerRole.Bank);
    private static readonly string Payments = TestCredentials.Token(CallerRole.Payments);

    [Fact]
    public async Task A_hold_is_settled_for_what_the_session_cost_once_and_another_is_released_from_python()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var shower = await OpenMerchantAsync();
        var terminal = TerminalTokenOf(shower.MerchantId);
        var card = account.CardNo;

        var results = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(TerminalRpc + "Hold", terminal, new { request_id = "py-h1", card_no = card, max_fen = 500, ttl_seconds = 600 }),
                Call(TerminalRpc + "SettleHold", terminal, new { request_id = "py-s1", hold_request_id = "py-h1", card_no = card, amount_fen = 320 }),
                Call(TerminalRpc + "SettleHold", terminal, new { request_id = "py-s2", hold_request_id = "py-h1", card_no = card, amount_fen = 100 }),
                Call(TerminalRpc + "Hold", terminal, new { request_id = "py-h2", card_no = card, max_fen = 400, ttl_seconds = 60 }),
                Call(TerminalRpc + "SettleHold", terminal, new { request_id = "py-s3", hold_request_id = "py-h2", card_no = card, amount_fen = 401 }),
                Call(TerminalRpc + "ReleaseHold", terminal, new { request_id = "py-r1", hold_request_id = "py-h2", card_no = card }),
                Call(TerminalRpc + "ReleaseHold", terminal, new { request_id = "py-r2", hold_request_id = "py-h2", card_no = card }),
                Call(TerminalRpc + "ReleaseHold", terminal, new { request_id = "py-r3", hold_request_id = "py-never", card_no = card }),
                Call(TerminalRpc + "Hold", terminal, new { request_id = "py-h3", card_no = card, max_fen = 20_000, ttl_seconds = 60 }),
            },
        });

        Assert.All(results, r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        var hold = Reply(results[0]);
        Assert.Equal(("OUTCOME_APPROVED", 500L, 9_500L, 500L), (Str(hold, "outcome"), Fen(hold, "amount_fen"), Fen(hold, "balances", "purse_fen"), Fen(hold, "balances", "held_fen")));
        Assert.Equal(Clock.GetUtcNow().AddSeconds(600), DateTimeOffset.Parse(Str(hold, "deadline")!, CultureInfo.InvariantCulture));
        var settled = Reply(results[1]);
        Assert.Equal(("OUTCOME_APPROVED", 320L, 180L, 9_680L, 0L),
            (Str(settled, "outcome"), Fen(settled, "amount_fen"), Fen(settled, "released_fen"), Fen(settled, "balances", "purse_fen"), Fen(settled, "balances", "held_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_HOLD_CLOSED"), Declined(results[2]));
        Assert.Equal((9_280L, 400L), (Fen(Reply(results[3]), "balances", "purse_fen"), Fen(Reply(results[3]), "balances", "held_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_OVER_HOLD"), Declined(results[4]));
        var released = Reply(results[5]);
        Assert.Equal(("OUTCOME_APPROVED", 400L, 9_680L, 0L), (Str(released, "outcome"), Fen(released, "amount_fen"), Fen(released, "balances", "purse_fen"), Fen(released, "balances", "held_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_HOLD_CLOSED"), Declined(results[6]));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_UNKNOWN_HOLD"), Declined(results[7]));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_INSUFFICIENT_FUNDS"), Declined(results[8]));
        Assert.Equal(9_680, await PurseAsync(account));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task An_offline_upload_from_python_records_each_record_once_and_an_overdraft_freezes_the_card_until_repaid()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var terminal = TerminalTokenOf(merchant.MerchantId);
        var now = Clock.GetUtcNow();
        object[] records =
        [
            new { terminal_seq = 41, card_no = account.CardNo, amount_fen = 600, occurred_at = Rfc3339(now.AddMinutes(-30)) },
            new { terminal_id = TerminalIdOf(merchant.MerchantId), terminal_seq = 42, card_no = account.CardNo, amount_fen = 800, occurred_at = Rfc3339(now.AddMinutes(-20)) },
        ];
        var upload = new { method = TerminalRpc + "UploadOffline", token = terminal, requests = records };

        var first = await ExternalClient.PythonAsync(Address, "client_stream", upload);
        var again = await ExternalClient.PythonAsync(Address, "client_stream", upload);
        var after = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(TerminalRpc + "Debit", terminal, new { request_id = "py-online", card_no = account.CardNo, amount_fen = 100 }),
                Call(FundingRpc + "Credit", Office, new { request_id = "py-repay", person_no = account.PersonNo, amount_fen = 500, source = "SYSTEM_ACCOUNT_SUSPENSE" }),
                Call(TerminalRpc + "GetBalance", Kiosk, new { card_no = account.CardNo }),
            },
        });

        var reply = Reply(Assert.Single(first));
        var results = reply.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal((41L, "OUTCOME_APPROVED", 400L, "CARD_STATE_ACTIVE", false),
            (Fen(results[0], "terminal_seq"), Str(results[0], "outcome"), Fen(results[0], "balance_fen"), Str(results[0], "card_state"), Flag(results[0], "duplicate")));
        Assert.Equal((42L, "OUTCOME_APPROVED", -400L, "CARD_STATE_FROZEN", false),
            (Fen(results[1], "terminal_seq"), Str(results[1], "outcome"), Fen(results[1], "balance_fen"), Str(results[1], "card_state"), Flag(results[1], "duplicate")));
        Assert.Equal((2L, 0L, 0L, 0L), (Fen(reply, "recorded"), Fen(reply, "duplicates"), Fen(reply, "flagged"), Fen(reply, "failed")));

        var replayed = Reply(Assert.Single(again));
        var replayedResults = replayed.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([41L, 42L], replayedResults.Select(r => Fen(r, "terminal_seq")));
        Assert.All(replayedResults, r => Assert.True(Flag(r, "duplicate")));
        Assert.Equal([Fen(results[0], "transaction_id"), Fen(results[1], "transaction_id")], replayedResults.Select(r => Fen(r, "transaction_id")));
        Assert.Equal((0L, 2L), (Fen(replayed, "recorded"), Fen(replayed, "duplicates")));

        Assert.All(after, r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_CARD_FROZEN"), Declined(after[0]));
        Assert.Equal(("OUTCOME_APPROVED", 100L), (Str(Reply(after[1]), "outcome"), Fen(Reply(after[1]), "balances", "purse_fen")));
        Assert.Equal(("CARD_STATE_ACTIVE", 100L), (Str(Reply(after[2]), "card_state"), Fen(Reply(after[2]), "balance_fen")));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task The_same_offline_records_uploaded_over_two_connections_at_once_are_each_recorded_once()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var terminal = TerminalTokenOf(merchant.MerchantId);
        var now = Clock.GetUtcNow();
        var records = Enumerable.Range(1, 6)
            .Select(seq => new { terminal_seq = seq, card_no = account.CardNo, amount_fen = 100 * seq, occurred_at = Rfc3339(now.AddMinutes(seq - 60)) })
            .ToList();

        var uploads = await Task.WhenAll(
            ExternalClient.PythonAsync(Address, "client_stream", new { method = TerminalRpc + "UploadOffline", token = terminal, requests = records }),
            ExternalClient.PythonAsync(Address, "client_stream", new { method = TerminalRpc + "UploadOffline", token = terminal, requests = Enumerable.Reverse(records).ToList() }));

        var replies = uploads.Select(u => Reply(Assert.Single(u))).ToList();
        Assert.All(replies, r => Assert.Equal((6L, 0L), (Fen(r, "recorded") + Fen(r, "duplicates"), Fen(r, "failed"))));
        Assert.Equal((6L, 6L), (replies.Sum(r => Fen(r, "recorded")), replies.Sum(r => Fen(r, "duplicates"))));
        Assert.Equal([6L, 5L, 4L, 3L, 2L, 1L], replies[1].GetProperty("results").EnumerateArray().Select(r => Fen(r, "terminal_seq")));
        var transactionIds = replies.Select(r => r.GetProperty("results").EnumerateArray().ToDictionary(e => Fen(e, "terminal_seq"), e => Fen(e, "transaction_id"))).ToList();
        Assert.Equal(transactionIds[0].OrderBy(p => p.Key), transactionIds[1].OrderBy(p => p.Key));
        Assert.Equal(10_000 - 2_100, await PurseAsync(account));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_subsidy_batch_streamed_from_python_is_issued_once_claimed_at_a_kiosk_and_recalled_only_after_its_deadline()
    {
        var (claimer, idle) = (await OpenAccountAsync(), await OpenAccountAsync());
        var upload = new
        {
            method = CardsRpc + "IssueSubsidies",
            token = Office,
            requests = new object[]
            {
                new
                {
                    batch_id = "PY-SUB-2026-09", memo = "九月伙食补助",
                    rows = new object[] { new { person_no = claimer.PersonNo, amount_fen = 3_000 }, new { person_no = "PY-NOBODY", amount_fen = 1_000 } },
                },
                new { batch_id = "PY-SUB-2026-09", rows = new object[] { new { person_no = idle.PersonNo, amount_fen = 2_000, memo = "困难补助" } } },
            },
        };

        var first = await ExternalClient.PythonAsync(Address, "client_stream", upload);
        var again = await ExternalClient.PythonAsync(Address, "client_stream", upload);
        var kiosk = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(KioskRpc + "ClaimPending", Kiosk, new { request_id = "py-claim-1", card_no = claimer.CardNo }),
                Call(KioskRpc + "ClaimPending", Kiosk, new { request_id = "py-claim-2", card_no = claimer.CardNo }),
                Call(CardsRpc + "RecallSubsidies", Office, new { batch_id = "PY-SUB-2026-09" }),
            },
        });

        var issued = Reply(Assert.Single(first));
        Assert.Equal(("PY-SUB-2026-09", 3L, 2L, 5_000L, 0L), (Str(issued, "batch_id"), Fen(issued, "rows"), Fen(issued, "issued"), Fen(issued, "issued_fen"), Fen(issued, "already_issued")));
        Assert.Equal(["PY-NOBODY"], issued.GetProperty("unknown_person_nos").EnumerateArray().Select(e => e.GetString()));
        var deadline = DateTimeOffset.Parse(Str(issued, "claim_deadline")!, CultureInfo.InvariantCulture);
        Assert.True(deadline > Clock.GetUtcNow());
        var reissued = Reply(Assert.Single(again));
        Assert.Equal((3L, 0L, 0L, 2L), (Fen(reissued, "rows"), Fen(reissued, "issued"), Fen(reissued, "issued_fen"), Fen(reissued, "already_issued")));
        Assert.Equal(["PY-NOBODY"], reissued.GetProperty("unknown_person_nos").EnumerateArray().Select(e => e.GetString()));

        var claim = Reply(kiosk[0]);
        Assert.Equal(("OUTCOME_APPROVED", 3_000L, 3_000L, 0L),
            (Str(claim, "outcome"), Fen(claim, "claimed_fen"), Fen(claim, "balances", "purse_fen"), Fen(claim, "balances", "pending_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_NOTHING_PENDING"), Declined(kiosk[1]));
        Assert.Equal("FAILED_PRECONDITION", kiosk[2].GetProperty("code").GetString());

        // Past the claim deadline the unclaimed subsidy goes back to the fund, once.
        Clock.Set(deadline.AddMinutes(1));
        var recalls = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(CardsRpc + "RecallSubsidies", Office, new { batch_id = "PY-SUB-2026-09" }),
                Call(CardsRpc + "RecallSubsidies", Office, new { batch_id = "PY-SUB-2026-09" }),
                Call(KioskRpc + "ClaimPending", Kiosk, new { request_id = "py-claim-late", card_no = idle.CardNo }),
            },
        });
        Assert.All(recalls, r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        Assert.Equal((1L, 2_000L, 1L), (Fen(Reply(recalls[0]), "recalled"), Fen(Reply(recalls[0]), "recalled_fen"), Fen(Reply(recalls[0]), "claimed")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_NOTHING_PENDING"), Declined(recalls[2]));
        await AssertInvariantsAsync();
        // Sent again it recalls nothing, and both subsidies are left alone: one claimed, one recalled before (cards.proto,
        // RecallSubsidiesReply.claimed: "claimed by their cardholders (or recalled before)").
        Assert.Equal((0L, 0L, 2L), (Fen(Reply(recalls[1]), "recalled"), Fen(Reply(recalls[1]), "recalled_fen"), Fen(Reply(recalls[1]), "claimed")));
    }

    [Fact]
    public async Task The_e_wallet_is_topped_up_and_pays_a_payee_with_the_payment_password_and_is_refunded_no_more_than_was_paid_from_python()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var canteen = await OpenMerchantAsync();
        var person = account.PersonNo;

        var results = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(CardsRpc + "OpenMerchant", Office, new { merchant_id = "PY-ELEC", name = "电费", category = "MERCHANT_CATEGORY_ELECTRICITY" }),
                Call(FundingRpc + "TopUpWallet", Bank, new { request_id = "py-w1", person_no = person, amount_fen = 10_000 }),
                Pay("py-p0", person, "PY-ELEC", 100, "PAYMENT_SOURCE_WALLET", "246810"),
                Call(PaymentsRpc + "SetPassword", Payments, new { request_id = "py-pw0", person_no = person, password = DefaultPin, pin = DefaultPin }),
                Call(PaymentsRpc + "SetPassword", Payments, new { request_id = "py-pw1", person_no = person, password = "246810", pin = "999999" }),
                Call(PaymentsRpc + "SetPassword", Payments, new { request_id = "py-pw2", person_no = person, password = "246810", pin = DefaultPin }),
                Call(PaymentsRpc + "SetPassword", Payments, new { request_id = "py-pw3", person_no = person, password = "135246", old_password = "246810" }),
                Pay("py-p1", person, "PY-ELEC", 3_000, "PAYMENT_SOURCE_WALLET", "135246"),
                Pay("py-p2", person, "PY-ELEC", 100, "PAYMENT_SOURCE_WALLET", "246810"),
                Call(PaymentsRpc + "Refund", Payments, new { request_id = "py-rf1", person_no = person, payment_request_id = "py-p1", payee_merchant_id = "PY-ELEC", amount_fen = 1_000 }),
                Call(PaymentsRpc + "Refund", Payments, new { request_id = "py-rf2", person_no = person, payment_request_id = "py-p1", payee_merchant_id = "PY-ELEC", amount_fen = 2_001 }),
                Call(PaymentsRpc + "Refund", Payments, new { request_id = "py-rf3", person_no = person, payment_request_id = "py-p1", payee_merchant_id = "PY-ELEC", amount_fen = 2_000 }),
                Pay("py-p3", person, canteen.MerchantId, 100, "PAYMENT_SOURCE_WALLET", "135246"),
                Call(PaymentsRpc + "Pay", Kiosk, new { request_id = "py-p4", person_no = person, payee_merchant_id = "PY-ELEC", amount_fen = 500, source = "PAYMENT_SOURCE_PURSE", password = "135246" }),
                Call(CardsRpc + "GetAccount", Payments, new { person_no = person }),
            },
        });

        Assert.Equal("MERCHANT_CATEGORY_ELECTRICITY", Str(Reply(results[0]), "category"));
        var topUp = Reply(results[1]);
        Assert.Equal(("OUTCOME_APPROVED", 10_000L, 5_000L), (Str(topUp, "outcome"), Fen(topUp, "balances", "wallet_fen"), Fen(topUp, "balances", "purse_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_PAYMENT_PASSWORD_REQUIRED"), Declined(results[2]));
        Assert.Equal("FAILED_PRECONDITION", results[3].GetProperty("code").GetString());
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_WRONG_PIN"), Declined(results[4]));
        Assert.Equal("OUTCOME_APPROVED", Str(Reply(results[5]), "outcome"));
        Assert.Equal("OUTCOME_APPROVED", Str(Reply(results[6]), "outcome"));
        var paid = Reply(results[7]);
        Assert.Equal(("OUTCOME_APPROVED", 3_000L, 7_000L), (Str(paid, "outcome"), Fen(paid, "amount_fen"), Fen(paid, "balances", "wallet_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_WRONG_PAYMENT_PASSWORD"), Declined(results[8]));
        var refunded = Reply(results[9]);
        Assert.Equal(("OUTCOME_APPROVED", 1_000L, 8_000L), (Str(refunded, "outcome"), Fen(refunded, "amount_fen"), Fen(refunded, "balances", "wallet_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_OVER_REFUND"), Declined(results[10]));
        var rest = Reply(results[11]);
        Assert.Equal(("OUTCOME_APPROVED", 2_000L, 10_000L), (Str(rest, "outcome"), Fen(rest, "amount_fen"), Fen(rest, "balances", "wallet_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_NOT_A_PAYEE"), Declined(results[12]));
        var fromPurse = Reply(results[13]);
        Assert.Equal(("OUTCOME_APPROVED", 500L, 4_500L, 10_000L),
            (Str(fromPurse, "outcome"), Fen(fromPurse, "amount_fen"), Fen(fromPurse, "balances", "purse_fen"), Fen(fromPurse, "balances", "wallet_fen")));
        Assert.True(Flag(Reply(results[14]).GetProperty("status"), "payment_password_set"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_purse_left_below_the_threshold_asks_the_bank_through_the_python_watcher_and_the_request_is_funded_once()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var terminal = TerminalTokenOf(merchant.MerchantId);

        var setUp = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(KioskRpc + "SetAutoTopUp", Kiosk, new { request_id = "py-auto", card_no = account.CardNo, pin = "999999", threshold_fen = 2_000, amount_fen = 5_000 }),
                Call(KioskRpc + "SetAutoTopUp", Kiosk, new { request_id = "py-auto-2", card_no = account.CardNo, pin = DefaultPin, threshold_fen = 2_000, amount_fen = 5_000 }),
                Call(TerminalRpc + "Debit", terminal, new { request_id = "py-low", card_no = account.CardNo, amount_fen = 8_500 }),
            },
        });
        var watched = await ExternalClient.PythonAsync(Address, "stream", new { method = FundingRpc + "WatchAutoTopUps", token = Bank, request = new { }, count = 1 });
        var asked = Reply(Assert.Single(watched));
        var id = Fen(asked, "id");
        var answers = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(FundingRpc + "QuotaTopUp", Bank, new { request_id = "py-auto-fund-1", person_no = account.PersonNo, amount_fen = 5_000, auto_top_up_id = id }),
                Call(FundingRpc + "QuotaTopUp", Bank, new { request_id = "py-auto-fund-2", person_no = account.PersonNo, amount_fen = 5_000, auto_top_up_id = id }),
                Call(CardsRpc + "GetAccount", Kiosk, new { card_no = account.CardNo }),
            },
        });

        Assert.All(setUp, r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_WRONG_PIN"), Declined(setUp[0]));
        Assert.Equal("OUTCOME_APPROVED", Str(Reply(setUp[1]), "outcome"));
        Assert.Equal(("OUTCOME_APPROVED", 1_500L), (Str(Reply(setUp[2]), "outcome"), Fen(Reply(setUp[2]), "balance_fen")));
        Assert.True(id > 0);
        Assert.Equal((account.PersonNo, 5_000L, 1_500L), (Str(asked, "person_no"), Fen(asked, "amount_fen"), Fen(asked, "balance_fen")));
        Assert.True(DateTimeOffset.Parse(Str(asked, "expires_at")!, CultureInfo.InvariantCulture) > DateTimeOffset.Parse(Str(asked, "requested_at")!, CultureInfo.InvariantCulture));

        Assert.All(answers, r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        Assert.Equal(("OUTCOME_APPROVED", 6_500L), (Str(Reply(answers[0]), "outcome"), Fen(Reply(answers[0]), "balances", "purse_fen")));
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_AUTO_TOP_UP_NOT_OPEN"), Declined(answers[1]));
        var status = Reply(answers[2]).GetProperty("status");
        Assert.Equal((2_000L, 5_000L), (Fen(status, "auto_top_up_threshold_fen"), Fen(status, "auto_top_up_amount_fen")));
        Assert.Equal(6_500, await PurseAsync(account));
        await AssertInvariantsAsync();
    }

    private static string TerminalTokenOf(string merchantId) => TestCredentials.TerminalToken(TerminalIdOf(merchantId), merchantId);

    private static object Call(string method, string token, object request) => new { method, token, request };

    private static object Pay(string requestId, string personNo, string payee, long amountFen, string source, string password) =>
        Call(PaymentsRpc + "Pay", Payments, new { request_id = requestId, person_no = personNo, payee_merchant_id = payee, amount_fen = amountFen, source, password });

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonElement Reply(JsonElement result) =>
        result.TryGetProperty("reply", out var reply) ? reply : throw new Xunit.Sdk.XunitException($"the call failed: {result}");

    private static (string?, string?) Declined(JsonElement result) => (Str(Reply(result), "outcome"), Str(Reply(result), "decline_reason"));

    /// <summary>A field of a reply as python's json_format prints it; unset (the proto3 default) is null.</summary>
    private static JsonElement? Field(JsonElement element, string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element;
    }

    private static string? Str(JsonElement element, params string[] path) => Field(element, path)?.GetString();

    /// <summary>An int64 (printed as a string) or int32 field; unset is 0.</summary>
    private static long Fen(JsonElement element, params string[] path) => Field(element, path) is { } value
        ? value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64()
        : 0;

    private static bool Flag(JsonElement element, params string[] path) => Field(element, path)?.GetBoolean() ?? false;
}
