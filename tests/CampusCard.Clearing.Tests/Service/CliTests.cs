using System.Text;
using System.Text.Json;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>The campuscard CLI's commands, run in process against the real service, as the card office runs them.</summary>
public sealed class CliTests : ServiceTestBase, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Importing_a_year_twice_opens_each_student_once_and_the_rerun_finds_them_already_existing()
    {
        var csv = File("students.csv",
            "person_no,name,card_type,id_number,card_no",
            "2026001,王一,student,21020019990101234X,20260010001",
            "2026002,\"赵, 二\",student,210200199901012345",
            "2026003,钱三,staff,21020019990101234X,20260010003");

        var first = await Office("account", "import", csv, "--json");
        var second = await Office("account", "import", csv);
        var again = await Office("account", "import", csv, "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal((3, 3, 0, 0), Summary(first.Json));
        Assert.Equal("20260010001", first.Json.GetProperty("accounts")[0].GetProperty("cardNo").GetString());
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("already existing", second.Out);
        Assert.Contains("opening accounts: 3/3 (100 %)", second.Out);
        Assert.Equal((3, 0, 3, 0), Summary(again.Json));
        var account = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = "2026002" });
        Assert.Equal(("赵, 二", Contracts.V1.CardType.Student), (account.Name, account.CardType));
    }

    [Fact]
    public async Task An_import_lists_the_lines_it_could_not_open_with_their_reasons_and_exits_1()
    {
        var csv = File("students.csv",
            "2026101,孙四,student,21020019990101234X",
            "2026102,周五,professor,21020019990101234X",
            "2026103,吴六,student,not-an-id-number");

        var run = await Office("account", "import", csv, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal((3, 1, 0, 2), Summary(run.Json));
        var failures = run.Json.GetProperty("accounts").EnumerateArray().Where(a => a.GetProperty("status").GetString() == "failed").ToList();
        Assert.Equal([2, 3], failures.Select(f => f.GetProperty("line").GetInt32()));
        Assert.Contains("professor", failures[0].GetProperty("reason").GetString());
        Assert.StartsWith("INVALID_ARGUMENT", failures[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_GBK_student_file_from_Excel_imports_the_names_as_they_are_and_json_shows_them_unescaped()
    {
        var csv = Bytes("students-gbk.csv", ChineseWindows.Gbk.GetBytes(
            "person_no,name,card_type,id_number\r\n2026401,张三,student,21020019990101234X\r\n2026402,李四,staff,21020019990101234X\r\n"));
        var named = Bytes("students-named.csv", ChineseWindows.Gbk.GetBytes("2026403,王五,student,21020019990101234X\r\n"));

        var detected = await Office("account", "import", csv, "--json");
        var explicitly = await Office("account", "import", named, "--encoding", "gbk", "--json");
        var shown = await Office("account", "show", "--person", "2026401", "--json");

        Assert.True(detected.ExitCode == 0, detected.ToString());
        Assert.Equal((2, 2, 0, 0), Summary(detected.Json));
        Assert.Equal(0, explicitly.ExitCode);
        var names = new List<string>();
        foreach (var person in new[] { "2026401", "2026402", "2026403" }) names.Add((await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = person })).Name);
        Assert.Equal(["张三", "李四", "王五"], names);
        Assert.Contains("\"name\": \"张三\"", shown.Out);
        Assert.DoesNotContain("\\u", shown.Out);
    }

    [Fact]
    public async Task A_UTF8_file_with_a_byte_order_mark_CRLF_quoted_names_and_blank_lines_imports_each_student()
    {
        var csv = Bytes("students-bom.csv", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(
            "person_no,name,card_type,id_number\r\n\r\n2026501,\"欧阳, \"\"小\"\"明\",student,21020019990101234X\r\n\r\n2026502,  司马光  ,student,21020019990101234X\r\n")]);

        var run = await Office("account", "import", csv, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal([3, 5], run.Json.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("line").GetInt32()));
        Assert.Equal("欧阳, \"小\"明", (await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = "2026501" })).Name);
        Assert.Equal("司马光", (await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = "2026502" })).Name);
    }

    [Fact]
    public async Task A_student_file_with_bytes_of_another_encoding_imports_nothing_and_names_the_line()
    {
        var gbk = ChineseWindows.Gbk;
        var cut = Bytes("cut.csv", [.. gbk.GetBytes("2026601,张三,student,21020019990101234X\n2026602,李四,student,21020019990101234X\n2026603,"), 0xD5,
            .. gbk.GetBytes(",student,21020019990101234X\n")]);
        var mixed = Bytes("mixed.csv", [.. Encoding.UTF8.GetBytes("2026601,张三,student,21020019990101234X\n"), .. gbk.GetBytes("2026602,李四,student,21020019990101234X\n")]);
        var notUtf8 = Bytes("not-utf8.csv", gbk.GetBytes("2026601,张三,student,21020019990101234X\n"));

        var cutRun = await Office("account", "import", cut);
        var mixedRun = await Office("account", "import", mixed, "--json");
        var notUtf8Run = await Office("account", "import", notUtf8, "--encoding", "utf-8");

        Assert.Equal((2, ""), (cutRun.ExitCode, cutRun.Out));
        Assert.Equal("USAGE: cut.csv, line 3: the bytes D5 are neither UTF-8 nor GB18030; nothing was sent", cutRun.Error.Trim());
        Assert.Equal(2, mixedRun.ExitCode);
        Assert.StartsWith("mixed.csv, line 2: it is not UTF-8 but line 1 is", mixedRun.Json.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(2, notUtf8Run.ExitCode);
        Assert.StartsWith("USAGE: not-utf8.csv, line 1: the bytes D5", notUtf8Run.Error);
        Assert.Contains("are not utf-8; nothing was sent", notUtf8Run.Error);
        foreach (var person in new[] { "2026601", "2026602" })
            await AssertStatusAsync(Grpc.Core.StatusCode.NotFound, () => CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = person }));
    }

    [Fact]
    public async Task A_GBK_subsidy_file_is_issued_and_one_with_a_line_that_does_not_decode_issues_nothing()
    {
        var (first, second) = (await OpenAccountAsync(), await OpenAccountAsync());
        var gbk = ChineseWindows.Gbk;
        var good = Bytes("subsidy-gbk.csv", gbk.GetBytes($"person_no,amount_fen,memo\r\n{first.PersonNo},3000,\"饭补, 九月\"\r\n"));
        var broken = Bytes("subsidy-broken.csv", [.. gbk.GetBytes($"{second.PersonNo},1500,饭补\r\n{first.PersonNo},1500,"), 0x81, 0x20, .. "\r\n"u8]);

        var issued = await Office("subsidy", "issue", good, "--batch", "SUB-GBK-1", "--json");
        var refused = await Office("subsidy", "issue", broken, "--batch", "SUB-GBK-2");

        Assert.True(issued.ExitCode == 0, issued.ToString());
        Assert.Equal(3_000L, (await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = first.PersonNo })).Balances.PendingFen);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("subsidy-broken.csv, line 2: the bytes 81 are neither UTF-8 nor GB18030", refused.Error);
        Assert.Equal(0L, (await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = second.PersonNo })).Balances.PendingFen);
        await AssertStatusAsync(Grpc.Core.StatusCode.NotFound, () => CallAsync(Cards.RecallSubsidiesAsync, new RecallSubsidiesRequest { BatchId = "SUB-GBK-2" }));
    }

    [Fact]
    public async Task The_card_lifecycle_commands_take_a_card_through_loss_freezing_replacement_and_closing()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var person = account.PersonNo;

        var lost = await Office("card", "report-loss", "--card", account.CardNo, "--json");
        var found = await Office("card", "cancel-loss", "--person", person, "--json");
        var frozen = await Office("card", "freeze", "--person", person, "--reason", "info-changed", "--json");
        var unfrozen = await Office("card", "unfreeze", "--person", person, "--json");
        var replaced = await Office("card", "replace", "--person", person, "--reason", "lost", "--new-card", "77770001", "--json");
        var reset = await Office("card", "reset-pin", "--person", person, "--json");
        var shown = await Office("account", "show", "--card", "77770001");
        var closed = await Office("card", "close", "--person", person, "--json");

        foreach (var run in new[] { lost, found, frozen, unfrozen, replaced, reset, closed }) Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            ["CARD_STATE_LOST", "CARD_STATE_ACTIVE", "CARD_STATE_FROZEN", "CARD_STATE_ACTIVE", "CARD_STATE_ACTIVE", "CARD_STATE_ACTIVE", "CARD_STATE_CLOSED"],
            new[] { lost, found, frozen, unfrozen, replaced, reset, closed }.Select(r => r.Json.GetProperty("cardState").GetString()));
        Assert.Equal(("77770001", "2000"), (replaced.Json.GetProperty("cardNo").GetString(), replaced.Json.GetProperty("amountFen").GetString()));
        Assert.Contains("77770001", shown.Out);
        Assert.Contains("¥80.00", shown.Out);
        Assert.Equal("8000", closed.Json.GetProperty("amountFen").GetString());
    }

    [Fact]
    public async Task A_card_frozen_for_two_reasons_is_unfrozen_reason_by_reason_and_a_payment_password_reset_from_the_command_line()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var person = account.PersonNo;
        await Office("card", "freeze", "--person", person, "--reason", "info-changed");
        await Office("card", "freeze", "--person", person, "--reason", "admin");

        var admin = await Office("card", "unfreeze", "--person", person, "--reason", "admin", "--json");
        var expired = await Office("card", "unfreeze", "--person", person, "--reason", "expired", "--json");
        var rest = await Office("card", "unfreeze", "--person", person, "--json");
        var reset = await Office("card", "reset-payment-password", "--person", person, "--json");

        Assert.Equal(("CARD_STATE_FROZEN", 0), (admin.Json.GetProperty("cardState").GetString(), admin.ExitCode));
        Assert.Equal(("DECLINE_REASON_NOT_FROZEN_FOR_REASON", 1), (expired.Json.GetProperty("declineReason").GetString(), expired.ExitCode));
        Assert.Equal("CARD_STATE_ACTIVE", rest.Json.GetProperty("cardState").GetString());
        Assert.Equal(("OUTCOME_APPROVED", 0), (reset.Json.GetProperty("outcome").GetString(), reset.ExitCode));
    }

    [Fact]
    public async Task A_subsidy_upload_shows_its_progress_and_summary_and_a_second_upload_issues_only_what_is_missing()
    {
        var first = await OpenAccountAsync();
        var second = await OpenAccountAsync();
        var csv = File("subsidy.csv", "person_no,amount_fen,memo", $"{first.PersonNo},3000,饭补", $"{second.PersonNo},1500", "NOBODY-1,1000");
        var deadline = Clock.GetUtcNow().AddDays(10).ToString("yyyy-MM-ddTHH:mm:sszzz");

        var upload = await Office("subsidy", "issue", csv, "--batch", "SUB-CLI-1", "--deadline", deadline, "--chunk", "2");
        var again = await Office("subsidy", "issue", csv, "--batch", "SUB-CLI-1", "--json");

        Assert.True(upload.ExitCode == 1, upload.ToString());
        Assert.Contains("uploading SUB-CLI-1: 2/3 (60 %)", upload.Out);
        Assert.Contains("uploading SUB-CLI-1: 3/3 (100 %)", upload.Out);
        Assert.Contains("uploading SUB-CLI-1: 3/3 (100 %)", again.Error);
        Assert.Contains("¥45.00", upload.Out);
        Assert.Contains("NOBODY-1", upload.Out);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal(("3", "0", "2"), (again.Json.GetProperty("rows").GetString(), again.Json.GetProperty("issued").GetString(), again.Json.GetProperty("alreadyIssued").GetString()));
        Assert.Equal(["NOBODY-1"], again.Json.GetProperty("unknownPersonNos").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(1_500L, (await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = second.PersonNo })).Balances.PendingFen);
    }

    [Fact]
    public async Task A_recall_before_the_claim_deadline_exits_6_and_after_it_returns_the_unclaimed_subsidies()
    {
        var account = await OpenAccountAsync();
        var csv = File("subsidy.csv", $"{account.PersonNo},2500");
        await Office("subsidy", "issue", csv, "--batch", "SUB-CLI-2", "--deadline", "2026-09-05");

        var early = await Office("subsidy", "recall", "--batch", "SUB-CLI-2", "--json");
        Clock.Advance(TimeSpan.FromDays(5));
        var recall = await Office("subsidy", "recall", "--batch", "SUB-CLI-2", "--json");

        Assert.Equal(6, early.ExitCode);
        Assert.Equal("FAILED_PRECONDITION", early.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.True(recall.ExitCode == 0, recall.ToString());
        Assert.Equal(("1", "2500"), (recall.Json.GetProperty("recalled").GetString(), recall.Json.GetProperty("recalledFen").GetString()));
    }

    [Fact]
    public async Task A_subsidy_file_with_a_bad_amount_is_refused_before_anything_is_sent()
    {
        var account = await OpenAccountAsync();
        var csv = File("subsidy.csv", $"{account.PersonNo},2500", $"{account.PersonNo},12.50");

        var run = await Office("subsidy", "issue", csv, "--batch", "SUB-CLI-3");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 2", run.Error);
        await AssertStatusAsync(Grpc.Core.StatusCode.NotFound, () => CallAsync(Cards.RecallSubsidiesAsync, new RecallSubsidiesRequest { BatchId = "SUB-CLI-3" }));
    }

    [Fact]
    public async Task Merchants_and_terminals_are_opened_registered_and_revoked()
    {
        var opened = await Office("merchant", "open", "CANTEEN-CLI", "--name", "三食堂", "--category", "dining", "--json");
        var registered = await Office("terminal", "register", "T-CLI-1", "--merchant", "CANTEEN-CLI", "--json");
        var revoked = await Office("terminal", "revoke", "T-CLI-1");
        var twice = await Office("merchant", "open", "CANTEEN-CLI", "--name", "三食堂", "--category", "dining");

        Assert.True(opened.ExitCode == 0, opened.ToString());
        Assert.Equal("MERCHANT_CATEGORY_DINING", opened.Json.GetProperty("category").GetString());
        Assert.Equal("CANTEEN-CLI", registered.Json.GetProperty("merchantId").GetString());
        Assert.Contains("revoked", revoked.Out);
        Assert.DoesNotContain("revoked   │ no", revoked.Out);
        Assert.Equal((7, true), (twice.ExitCode, twice.Error.StartsWith("ALREADY_EXISTS", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_credit_sent_again_under_its_request_id_answers_the_first_decision_and_the_balance_shows_it()
    {
        var account = await OpenAccountAsync();

        var credit = await Office("credit", account.PersonNo, "1234", "--source", "suspense", "--memo", "对账调整", "--request-id", "cli-credit-1", "--json");
        var retry = await Office("credit", account.PersonNo, "1234", "--source", "suspense", "--memo", "对账调整", "--request-id", "cli-credit-1", "--json");
        var balance = await CliRun.RunAsync("balance", account.CardNo, "--address", Address, "--token", TestCredentials.Token(CallerRole.Kiosk), "--json");

        Assert.True(credit.ExitCode == 0, credit.ToString());
        Assert.Equal(credit.Json.GetProperty("transactionId").GetString(), retry.Json.GetProperty("transactionId").GetString());
        Assert.Equal("cli-credit-1", retry.Json.GetProperty("requestId").GetString());
        Assert.Equal("1234", balance.Json.GetProperty("balanceFen").GetString());
    }

    [Fact]
    public async Task A_declined_decision_exits_1_and_names_the_reason()
    {
        var account = await OpenAccountAsync();

        var run = await Office("card", "cancel-loss", "--person", account.PersonNo);
        var json = await Office("card", "cancel-loss", "--person", account.PersonNo, "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("declined: not-lost", run.Out);
        Assert.Equal(("OUTCOME_DECLINED", "DECLINE_REASON_NOT_LOST"), (json.Json.GetProperty("outcome").GetString(), json.Json.GetProperty("declineReason").GetString()));
    }

    [Fact]
    public async Task Bad_usage_and_an_argument_the_service_refuses_exit_2()
    {
        var unknownOption = await Office("account", "show", "--person", "2026001", "--colour");
        var bothHolders = await Office("account", "show", "--person", "2026001", "--card", "20260010001");
        var badReason = await Office("card", "freeze", "--person", "2026001", "--reason", "boredom");
        var badIdNumber = await Office("account", "open", "--person", "2026201", "--name", "郑七", "--type", "student", "--id-number", "123", "--json");

        Assert.Equal([2, 2, 2, 2], new[] { unknownOption, bothHolders, badReason, badIdNumber }.Select(r => r.ExitCode));
        Assert.Contains("exactly one of --person and --card", bothHolders.Error);
        Assert.Contains("--reason: 'boredom' is not one of inactive, info-changed, expired, overdrawn, prepaid-unpaid, admin, system", badReason.Error);
        Assert.Equal("INVALID_ARGUMENT", badIdNumber.Json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Every_enum_option_and_the_encoding_list_their_values_in_help_and_in_the_error_for_another()
    {
        var freeze = await CliRun.RunAsync("card", "freeze", "--help");
        var open = await CliRun.RunAsync("account", "open", "--help");
        var import = await CliRun.RunAsync("account", "import", "--help");
        var badType = await Office("account", "open", "--person", "2026701", "--name", "郑七", "--type", "professor", "--id-number", "21020019990101234X");
        var badEncoding = await Office("account", "import", File("students.csv", "2026702,冯八,student,21020019990101234X"), "--encoding", "latin1");

        Assert.Contains("--reason <inactive|info-changed|expired|overdrawn|prepaid-unpaid|admin|system>", freeze.Out);
        Assert.Contains("--type <staff|student|identity|temporary>", open.Out);
        Assert.Contains("--encoding <auto|utf-8|gb18030|gbk>", import.Out);
        Assert.Equal((2, 2), (badType.ExitCode, badEncoding.ExitCode));
        Assert.Contains("--type: 'professor' is not one of staff, student, identity, temporary", badType.Error);
        Assert.Contains("--encoding: 'latin1' is not one of auto, utf-8, gb18030, gbk", badEncoding.Error);
        await AssertStatusAsync(Grpc.Core.StatusCode.NotFound, () => CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = "2026702" }));
    }

    [Fact]
    public async Task Another_account_for_a_person_exits_7_of_its_own_not_the_code_to_send_again()
    {
        await Office("account", "open", "--person", "2026801", "--name", "褚九", "--type", "student", "--id-number", "21020019990101234X");

        var other = await Office("account", "open", "--person", "2026801", "--name", "卫十", "--type", "student", "--id-number", "21020019990101234X", "--json");

        Assert.Equal(7, other.ExitCode);
        Assert.Equal("ALREADY_EXISTS", other.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("7 ALREADY_EXISTS", (await CliRun.RunAsync("--help")).Out);
    }

    [Fact]
    public async Task An_account_that_does_not_exist_exits_3()
    {
        var run = await Office("account", "show", "--person", "NOBODY-2", "--json");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("NOT_FOUND", run.Json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task No_credential_an_invalid_one_or_one_of_another_role_exits_4()
    {
        var missing = await CliRun.RunAsync("account", "show", "--person", "2026001", "--address", Address);
        var missingFile = await CliRun.RunAsync("account", "show", "--person", "2026001", "--address", Address, "--token-file", Path.Combine(_folder, "none.token"));
        var invalid = await CliRun.RunAsync("account", "show", "--person", "2026001", "--address", Address, "--token", "not-a-token", "--json");
        var kiosk = await CliRun.RunAsync("merchant", "open", "SHOP-CLI", "--name", "超市", "--category", "supermarket", "--address", Address, "--token-file", TokenFile(CallerRole.Kiosk));

        Assert.Equal([4, 2, 4, 4], new[] { missing, missingFile, invalid, kiosk }.Select(r => r.ExitCode));
        Assert.Contains("no credential", missing.Error);
        Assert.Equal("UNAUTHENTICATED", invalid.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith("PERMISSION_DENIED", kiosk.Error);
    }

    [Fact]
    public async Task An_import_whose_service_cannot_be_reached_exits_5_to_be_run_again()
    {
        var csv = File("students.csv", "2026301,冯八,student,21020019990101234X");

        var run = await CliRun.RunAsync("account", "import", csv, "--address", "http://127.0.0.1:1", "--token", TestCredentials.Token(CallerRole.Office), "--json");

        Assert.Equal(5, run.ExitCode);
        Assert.StartsWith("UNAVAILABLE: could not reach the clearing service at http://127.0.0.1:1 (", run.Json.GetProperty("accounts")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_command_whose_service_cannot_be_reached_names_the_address_it_tried()
    {
        var refused = await CliRun.RunAsync("account", "show", "--person", "2026001", "--address", "http://127.0.0.1:1", "--token", TestCredentials.Token(CallerRole.Office));
        var unknownHost = await CliRun.RunAsync("account", "show", "--person", "2026001", "--address", "http://campuscard.invalid:50051", "--token", TestCredentials.Token(CallerRole.Office), "--json");

        Assert.Equal((5, 5), (refused.ExitCode, unknownHost.ExitCode));
        Assert.StartsWith("UNAVAILABLE: could not reach the clearing service at http://127.0.0.1:1 (", refused.Error);
        Assert.StartsWith("could not reach the clearing service at http://campuscard.invalid:50051 (",
            unknownHost.Json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_vendor_creates_and_lists_campuses_and_a_bad_code_or_another_name_for_a_code_is_refused()
    {
        var created = await Vendor("campus", "create", "cli-north", "--name", "北校区", "--json");
        var again = await Vendor("campus", "create", "cli-north", "--name", "北校区", "--json");
        var renamed = await Vendor("campus", "create", "cli-north", "--name", "南校区");
        var badCode = await Vendor("campus", "create", "North_Campus", "--name", "北校区", "--json");
        var elsewhere = await Vendor("campus", "create", "cli-west", "--name", "西校区", "--journal-database", "west");
        var table = await Vendor("campus", "list");
        var listed = await Vendor("campus", "list", "--json");
        var byOffice = await Office("campus", "list");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(("cli-north", "北校区"), (created.Json.GetProperty("code").GetString(), created.Json.GetProperty("name").GetString()));
        Assert.True(created.Json.GetProperty("campusNo").GetInt32() > 1, created.Out);
        Assert.Equal("main", created.Json.GetProperty("journalDatabase").GetString());
        Assert.Equal((0, created.Out), (again.ExitCode, again.Out));
        Assert.Equal(7, renamed.ExitCode);
        Assert.StartsWith("ALREADY_EXISTS: campus code 'cli-north' is campus ", renamed.Error);
        Assert.Equal(2, badCode.ExitCode);
        Assert.Equal("INVALID_ARGUMENT", badCode.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("code is not a campus code: lower-case letters, digits and '-'", badCode.Error);
        Assert.Equal(2, elsewhere.ExitCode);
        Assert.Contains("journal_database is 'west': the deployment's journal databases are main", elsewhere.Error);
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"│\s+1 │ default\s+│", table.Out);
        Assert.Matches(@"│ cli-north │ 北校区\s+│ main\s+│", table.Out);
        Assert.Equal(["default", "cli-north"], listed.Json.GetProperty("campuses").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        Assert.Equal((4, true), (byOffice.ExitCode, byOffice.Error.StartsWith("PERMISSION_DENIED", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_vendor_configures_a_campus_from_a_settings_file_and_shows_its_versions_and_a_bad_file_is_refused_before_anything_is_sent()
    {
        await CreateCampusAsync("cli-east", "东校区");
        var settings = Path.Combine(_folder, "east.json");
        System.IO.File.WriteAllText(settings, """{ "utc_offset": "-05:00", "business_day_starts_at": "04:00", "subsidy_claim_days": 10 }""");
        var later = Path.Combine(_folder, "later.json");
        System.IO.File.WriteAllText(later, """{ "utc_offset": "+09:00" }""");
        var notSettings = Path.Combine(_folder, "bad.json");
        System.IO.File.WriteAllText(notSettings, """{ "utc_ofset": "+09:00" }""");

        var configured = await Vendor("campus", "configure", "cli-east", settings, "--json");
        var ahead = await Vendor("campus", "configure", "cli-east", later, "--effective-from", "2099-01-01T00:00:00+08:00");
        var shown = await Vendor("campus", "show", "cli-east");
        var shownJson = await Vendor("campus", "show", "cli-east", "--json");
        var bad = await Vendor("campus", "configure", "cli-east", notSettings);
        var nowhere = await Vendor("campus", "show", "cli-nowhere");

        Assert.True(configured.ExitCode == 0, configured.ToString());
        Assert.Equal((1, "-05:00"), (configured.Json.GetProperty("version").GetInt32(), configured.Json.GetProperty("settings").GetProperty("utcOffset").GetString()));
        Assert.True(ahead.ExitCode == 0, ahead.ToString());
        Assert.Equal(0, shown.ExitCode);
        Assert.Matches(@"│\s+1 \(in force\) │", shown.Out);
        Assert.Contains("2099-01-01 00:00:00", shown.Out);
        Assert.Equal(1, shownJson.Json.GetProperty("versionInForce").GetInt32());
        Assert.Equal(2, shownJson.Json.GetProperty("configurations").GetArrayLength());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("bad.json is not a campus's settings", bad.Error);
        Assert.Equal(2, (await Vendor("campus", "show", "cli-east", "--json")).Json.GetProperty("configurations").GetArrayLength());
        Assert.True(nowhere.ExitCode == 3 && nowhere.Error.StartsWith("NOT_FOUND", StringComparison.Ordinal), nowhere.ToString());
    }

    [Fact]
    public async Task A_command_acts_on_its_token_s_campus_and_campus_refuses_a_token_of_another_campus_before_anything_is_sent()
    {
        await CreateCampusAsync("cli-north", "北校区");
        var north = TokenFile(CallerRole.Office, "cli-north");
        string[] open = ["account", "open", "--person", "2026901", "--name", "蒋一", "--type", "student", "--id-number", "21020019990101234X", "--address", Address];
        string[] openOther = ["account", "open", "--person", "2026902", "--name", "沈二", "--type", "student", "--id-number", "21020019990101234X", "--address", Address];

        var opened = await CliRun.RunAsync([.. open, "--token-file", north, "--campus", "cli-north", "--json"]);
        var atDefault = await Office("account", "show", "--person", "2026901");
        var wrong = await CliRun.RunAsync([.. openOther, "--token-file", north, "--campus", "south", "--json"]);
        var noCampus = await Office("account", "show", "--person", "2026901", "--campus", "default");
        var defaultNamed = await CliRun.RunAsync("account", "show", "--person", "2026901", "--address", Address, "--token-file", TokenFile(CallerRole.Office, "default"), "--campus", "default");
        var fromVariable = await CliRun.RunAsync(new Dictionary<string, string> { ["CAMPUSCARD_CAMPUS"] = "default" }, [.. openOther, "--token-file", north]);
        var vendor = await Vendor("campus", "list", "--campus", "cli-north");
        var help = await CliRun.RunAsync("--help");

        Assert.True(opened.ExitCode == 0, opened.ToString());
        Assert.Equal(3, atDefault.ExitCode);
        Assert.Equal(4, wrong.ExitCode);
        Assert.Equal("WRONG_CAMPUS", wrong.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("--campus south: the token is of campus 'cli-north', and its campus claim decides where a call acts", wrong.Error);
        Assert.Equal(4, noCampus.ExitCode);
        Assert.Contains("--campus default: the token names no campus, so it acts on the deployment's default campus (campus 1)", noCampus.Error);
        Assert.True(defaultNamed.ExitCode == 3, defaultNamed.ToString());
        Assert.Equal(4, fromVariable.ExitCode);
        Assert.StartsWith("WRONG_CAMPUS: --campus default:", fromVariable.Error);
        Assert.Equal(4, vendor.ExitCode);
        Assert.Contains("a vendor's token names no campus", vendor.Error);
        Assert.Contains("the token's campus claim decides the campus", help.Out);
        await AssertStatusAsync(Grpc.Core.StatusCode.NotFound,
            () => CallAsync(new Contracts.V1.Cards.CardsClient(As(CallerRole.Office, "cli-north")).GetAccountAsync, new GetAccountRequest { PersonNo = "2026902" }));
    }

    private Task<CliRun> Office(params string[] args) => CliRun.RunAsync([.. args, "--address", Address, "--token-file", TokenFile(CallerRole.Office)]);

    private Task<CliRun> Vendor(params string[] args) => CliRun.RunAsync([.. args, "--address", Address, "--token-file", TokenFile(CallerRole.Vendor)]);

    private string TokenFile(CallerRole role, string? campus = null)
    {
        var path = Path.Combine(_folder, $"{Caller.RoleName(role)}{campus}.token");
        System.IO.File.WriteAllText(path, TestCredentials.Token(role, campus) + "\n");
        return path;
    }

    private string Bytes(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private string File(string name, params string[] lines)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    private static (int Rows, int Opened, int AlreadyExisting, int Failed) Summary(JsonElement import) => (
        import.GetProperty("rows").GetInt32(),
        import.GetProperty("opened").GetInt32(),
        import.GetProperty("alreadyExisting").GetInt32(),
        import.GetProperty("failed").GetInt32());
}
