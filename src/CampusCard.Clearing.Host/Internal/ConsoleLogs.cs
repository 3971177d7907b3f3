using System.Text.Encodings.Web;
using Microsoft.Extensions.Logging.Console;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>
/// Console logs in the format Logging:Console:FormatterName names: "simple" text (appsettings.json, for people) or
/// "json" (one object a line, for a log collector), each line with its ISO 8601 time unless FormatterOptions say otherwise.
/// </summary>
internal static class ConsoleLogs
{
    private const string Iso8601 = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    public static void Add(ILoggingBuilder logging, IConfiguration config)
    {
        // The slim builder's console logger is set to the simple format after the setting is read: read it again.
        logging.Services.PostConfigure<ConsoleLoggerOptions>(options =>
            options.FormatterName = config["Logging:Console:FormatterName"] is { Length: > 0 } name ? name : ConsoleFormatterNames.Simple);
        logging.Services.PostConfigure<SimpleConsoleFormatterOptions>(options => options.TimestampFormat ??= Iso8601 + " ");
        logging.Services.PostConfigure<JsonConsoleFormatterOptions>(options =>
        {
            options.TimestampFormat ??= Iso8601;
            // '+' of an offset and Chinese names as they are, not as \u002B: the lines are read by people too.
            options.JsonWriterOptions = options.JsonWriterOptions with { Encoder = options.JsonWriterOptions.Encoder ?? JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
    }
}
