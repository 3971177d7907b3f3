using System.Text.Json;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>The card lifecycle, PINs, limits and the card-status feed, called by python3-grpcio.</summary>
public class LifecycleInteropTests : ServiceTestBase
{
    private const string CardsRpc = "campuscard.clearing.v1.Cards/";
    private const string KioskRpc = "campuscard.clearing.v1.Kiosk/";
    private const string TerminalRpc = "campuscard.clearing.v1.Terminal/";

    [Fact]
    public async Task A_card_is_opened_lost_found_at_a_kiosk_limited_and_watched_from_python()
    {
        var merchant = await OpenMerchantAsync();
        var terminal = TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId);
        var (office, kiosk, payments) = (TestCredentials.Token(CallerRole.Office), TestCredentials.Token(CallerRole.Kiosk), TestCredentials.Token(CallerRole.Payments));

        var results = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(CardsRpc + "OpenAccount", office, new { person_no = "PY-1", name = "王五", card_type = "CARD_TYPE_STUDENT", id_number = IdNumber, card_no = "6600001" }),
                Call("campuscard.clearing.v1.Funding/Credit", office, new { request_id = "py-c1", person_no = "PY-1", amount_fen = 50_000, source = "SYSTEM_ACCOUNT_SUSPENSE" }),
                Call(KioskRpc + "ChangePin", kiosk, new { request_id = "py-pin", card_no = "6600001", old_pin = DefaultPin, new_pin = "135790" }),
                Call(CardsRpc + "ReportLoss", payments, new { request_id = "py-loss", person_no = "PY-1" }),
                Call(TerminalRpc + "Debit", terminal, new { request_id = "py-d1", card_no = "6600001", amount_fen = 100 }),
                Call(KioskRpc + "CancelLoss", kiosk, new { request_id = "py-found-1", person_no = "PY-1", pin = DefaultPin, id_number = IdNumber }),
                Call(KioskRpc + "CancelLoss", kiosk, new { request_id = "py-found-2", person_no = "PY-1", pin = "135790", id_number = IdNumber }),
                Call(KioskRpc + "SetLimits", kiosk, new { request_id = "py-limits", card_no = "6600001", pin = "135790", single_limit_fen = 1_000, daily_limit_fen = 5_000 }),
                Call(TerminalRpc + "Debit", terminal, new { request_id = "py-d2", card_no = "6600001", amount_fen = 1_500 }),
                Call(TerminalRpc + "Debit", terminal, new { request_id = "py-d3", card_no = "6600001", amount_fen = 1_500, pin = "135790" }),
                Call(CardsRpc + "Freeze", office, new { request_id = "py-freeze", card_no = "6600001", reason = "FREEZE_REASON_ADMIN" }),
            },
        });
        var watched = await ExternalClient.PythonAsync(Address, "stream", new { method = TerminalRpc + "WatchCardStatus", token = terminal, request = new { }, count = 1 });

        Assert.All(results, r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        Assert.Equal("CARD_STATE_ACTIVE", Reply(results[0]).GetProperty("status").GetProperty("state").GetString());
        Assert.Equal("OUTCOME_APPROVED", Reply(results[2]).GetProperty("outcome").GetString());
        Assert.Equal("CARD_STATE_LOST", Reply(results[3]).GetProperty("card_state").GetString());
        Assert.Equal("DECLINE_REASON_CARD_LOST", Reply(results[4]).GetProperty("decline_reason").GetString());
        Assert.Equal("DECLINE_REASON_WRONG_PIN", Reply(results[5]).GetProperty("decline_reason").GetString());
        Assert.Equal("CARD_STATE_ACTIVE", Reply(results[6]).GetProperty("card_state").GetString());
        Assert.Equal("OUTCOME_APPROVED", Reply(results[7]).GetProperty("outcome").GetString());
        Assert.Equal("DECLINE_REASON_PIN_REQUIRED", Reply(results[8]).GetProperty("decline_reason").GetString());
        Assert.Equal(("OUTCOME_APPROVED", "48500"), (Reply(results[9]).GetProperty("outcome").GetString(), Reply(results[9]).GetProperty("balance_fen").GetString()));
        Assert.Equal(("6600001", "CARD_STATE_FROZEN", true), (Reply(watched[0]).GetProperty("card_no").GetString(),
            Reply(watched[0]).GetProperty("state").GetString(), Reply(watched[0]).GetProperty("refused").GetBoolean()));
    }

    [Fact]
    public async Task A_card_is_replaced_frozen_rewritten_reset_and_closed_from_python()
    {
        var merchant = await OpenMerchantAsync();
        var terminal = TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId);
        var (office, kiosk) = (TestCredentials.Token(CallerRole.Office), TestCredentials.Token(CallerRole.Kiosk));

        var results = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(CardsRpc + "OpenAccount", office, new { person_no = "PY-2", name = "赵六", card_type = "CARD_TYPE_STAFF", id_number = IdNumber, card_no = "7700001" }),
                Call("campuscard.clearing.v1.Funding/Credit", office, new { request_id = "py2-c1", person_no = "PY-2", amount_fen = 10_000, source = "SYSTEM_ACCOUNT_SUSPENSE" }),
                Call(CardsRpc + "ReportLoss", office, new { request_id = "py2-loss", card_no = "7700001" }),
                Call(CardsRpc + "CancelLoss", office, new { request_id = "py2-found", person_no = "PY-2" }),
                Call(CardsRpc + "ReplaceCard", office, new { request_id = "py2-new", person_no = "PY-2", reason = "REPLACE_REASON_DAMAGED", visible_damage = true, card_no = "7700002" }),
                Call(TerminalRpc + "Debit", terminal, new { request_id = "py2-d1", card_no = "7700001", amount_fen = 100 }),
                Call(CardsRpc + "Freeze", office, new { request_id = "py2-freeze", person_no = "PY-2", reason = "FREEZE_REASON_INFO_CHANGED" }),
                Call(CardsRpc + "Unfreeze", office, new { request_id = "py2-unfreeze", person_no = "PY-2", at_kiosk = true }),
                Call(KioskRpc + "RewriteCard", kiosk, new { request_id = "py2-rewrite", card_no = "7700002" }),
                Call(CardsRpc + "ResetPin", office, new { request_id = "py2-reset", person_no = "PY-2" }),
                Call(CardsRpc + "GetAccount", kiosk, new { card_no = "7700002" }),
                Call(CardsRpc + "CloseAccount", office, new { request_id = "py2-close", person_no = "PY-2" }),
                Call(TerminalRpc + "Debit", terminal, new { request_id = "py2-d2", card_no = "7700002", amount_fen = 100 }),
            },
        });

        Assert.All(results, r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        Assert.Equal("CARD_STATE_ACTIVE", Reply(results[3]).GetProperty("card_state").GetString());
        Assert.Equal(("7700002", "2000", "8000"), (Reply(results[4]).GetProperty("card_no").GetString(), Reply(results[4]).GetProperty("amount_fen").GetString(),
            Reply(results[4]).GetProperty("balances").GetProperty("purse_fen").GetString()));
        Assert.Equal("DECLINE_REASON_CARD_REPLACED", Reply(results[5]).GetProperty("decline_reason").GetString());
        Assert.Equal("CARD_STATE_FROZEN", Reply(results[7]).GetProperty("card_state").GetString());
        Assert.Equal("CARD_STATE_ACTIVE", Reply(results[8]).GetProperty("card_state").GetString());
        Assert.Equal("OUTCOME_APPROVED", Reply(results[9]).GetProperty("outcome").GetString());
        Assert.Equal(("7700002", true), (Reply(results[10]).GetProperty("card_no").GetString(), Reply(results[10]).GetProperty("status").GetProperty("pin_is_default").GetBoolean()));
        Assert.Equal(("CARD_STATE_CLOSED", "8000"), (Reply(results[11]).GetProperty("card_state").GetString(), Reply(results[11]).GetProperty("amount_fen").GetString()));
        Assert.Equal("DECLINE_REASON_CARD_CLOSED", Reply(results[12]).GetProperty("decline_reason").GetString());
    }

    [Fact]
    public async Task A_locked_payment_password_is_reset_and_a_card_frozen_twice_is_unfrozen_reason_by_reason_from_python()
    {
        var (office, payments) = (TestCredentials.Token(CallerRole.Office), TestCredentials.Token(CallerRole.Payments));
        const string PaymentsRpc = "campuscard.clearing.v1.Payments/";
        await CallAsync(Cards.OpenMerchantAsync, new Contracts.V1.OpenMerchantRequest { MerchantId = "ELEC-PY", Name = "电费", Category = Contracts.V1.MerchantCategory.Electricity });
        object Pay(string id, string password) => Call(PaymentsRpc + "Pay", payments, new
        {
            request_id = id, person_no = "PY-3", payee_merchant_id = "ELEC-PY", amount_fen = 100, source = "PAYMENT_SOURCE_PURSE", password,
        });

        var results = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(CardsRpc + "OpenAccount", office, new { person_no = "PY-3", name = "钱七", card_type = "CARD_TYPE_STUDENT", id_number = IdNumber, card_no = "8800001" }),
                Call("campuscard.clearing.v1.Funding/Credit", office, new { request_id = "py3-c1", person_no = "PY-3", amount_fen = 10_000, source = "SYSTEM_ACCOUNT_SUSPENSE" }),
                Call(PaymentsRpc + "SetPassword", payments, new { request_id = "py3-pw", person_no = "PY-3", password = "246813", pin = DefaultPin }),
                Pay("py3-p1", "000000"), Pay("py3-p2", "000000"), Pay("py3-p3", "000000"), Pay("py3-p4", "000000"), Pay("py3-p5", "000000"),
                Pay("py3-p6", "246813"),
                Call(CardsRpc + "ResetPaymentPassword", office, new { request_id = "py3-reset", person_no = "PY-3" }),
                Call(PaymentsRpc + "SetPassword", payments, new { request_id = "py3-pw2", person_no = "PY-3", password = "975310", pin = DefaultPin }),
                Pay("py3-p7", "975310"),
                Call(CardsRpc + "Freeze", office, new { request_id = "py3-f1", person_no = "PY-3", reason = "FREEZE_REASON_EXPIRED" }),
                Call(CardsRpc + "Freeze", office, new { request_id = "py3-f2", person_no = "PY-3", reason = "FREEZE_REASON_ADMIN" }),
                Call(CardsRpc + "Unfreeze", office, new { request_id = "py3-u1", person_no = "PY-3", reason = "FREEZE_REASON_ADMIN" }),
                Call(CardsRpc + "GetAccount", office, new { person_no = "PY-3" }),
            },
        });

        Assert.All(results, r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        Assert.Equal("DECLINE_REASON_PAYMENT_PASSWORD_LOCKED", Reply(results[8]).GetProperty("decline_reason").GetString());
        Assert.Equal("OUTCOME_APPROVED", Reply(results[9]).GetProperty("outcome").GetString());
        Assert.Equal("OUTCOME_APPROVED", Reply(results[10]).GetProperty("outcome").GetString());
        Assert.Equal(("OUTCOME_APPROVED", "9900"), (Reply(results[11]).GetProperty("outcome").GetString(), Reply(results[11]).GetProperty("balances").GetProperty("purse_fen").GetString()));
        Assert.Equal("CARD_STATE_FROZEN", Reply(results[14]).GetProperty("card_state").GetString());
        Assert.Equal(["FREEZE_REASON_EXPIRED"], Reply(results[15]).GetProperty("status").GetProperty("freeze_reasons").EnumerateArray().Select(r => r.GetString()));
    }

    private static object Call(string method, string token, object request) => new { method, token, request };

    private static JsonElement Reply(JsonElement result) => result.GetProperty("reply");
}
