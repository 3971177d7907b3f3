using System.Text;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>What a Chinese Windows saves text in: Excel's "CSV" and Notepad's "ANSI" are GBK (code page 936).</summary>
public static class ChineseWindows
{
    public static Encoding Gbk { get; } = CodePagesEncodingProvider.Instance.GetEncoding(936)!;
}
