using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>What a command prints: a Spectre.Console view for people, or with --json one JSON document for scripts.</summary>
internal sealed class Output(CliConsole console, bool json)
{
    private static readonly JsonFormatter Protobuf = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    /// <summary>Indented, with names such as 张三 as they are: JSON on a terminal or into a file, never inside HTML.</summary>
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Json { get; } = json;

    /// <summary>The screen of tables and panels (standard output).</summary>
    public IAnsiConsole Screen { get; } = console.Render(console.Out);

    /// <summary>
    /// Runs <paramref name="work"/>, which reports each step done, under a progress bar; without a terminal, under
    /// progress lines. It goes to standard error with --json, whose standard output is the document alone.
    /// </summary>
    public async Task WithProgressAsync(string description, int total, Func<Action<int>, Task> work)
    {
        var writer = Json ? console.Error : console.Out;
        if (!console.Interactive)
        {
            var lines = new ProgressLines(writer, description, total);
            lines.Advance(0);
            await work(lines.Advance);
            return;
        }
        await console.Render(writer).Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask(description, maxValue: Math.Max(1, total));
            await work(step => task.Increment(step));
            task.Value = task.MaxValue;
        });
    }

    /// <summary>A proto message as proto3 JSON (enum names, int64 as strings), or its view.</summary>
    public int Show(IMessage message, IRenderable view, int exitCode = ExitCodes.Ok) => Show(ToJson(message), view, exitCode);

    public int Show(JsonNode document, IRenderable view, int exitCode = ExitCodes.Ok)
    {
        if (Json) console.Out.WriteLine(document.ToJsonString(Indented));
        else Screen.Write(view);
        return exitCode;
    }

    public int Fail(int exitCode, string kind, string message)
    {
        var document = new JsonObject { ["error"] = new JsonObject { ["code"] = kind, ["message"] = message } };
        if (Json) console.Out.WriteLine(document.ToJsonString(Indented));
        console.Error.WriteLine($"{kind}: {message}");
        return exitCode;
    }

    public static JsonNode ToJson(IMessage message) => JsonNode.Parse(Protobuf.Format(message))!;
}
