using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Statements;

/// <summary>我的账单 as the handbook pictures it: a bar per category, the total, and a bar per month of the half year.</summary>
internal static class BillViews
{
    private const int ChartWidth = 60;

    public static IRenderable Bill(MonthlyBill bill)
    {
        var categories = Chart($"{bill.Month} by category");
        foreach (var spend in bill.Categories) categories.AddItem(Labelled(Label(spend.Category), spend.AmountFen), Bar(spend.AmountFen), Colour(spend.Category));
        var months = Chart("the six months");
        foreach (var month in bill.LastSixMonths) months.AddItem(Labelled(month.Month, month.AmountFen), Bar(month.AmountFen), Color.Blue);
        var total = new Markup($"[bold]total {Markup.Escape(Money.Yuan(bill.TotalFen))}[/]");
        return new Panel(new Rows(categories, total, new Text(""), months)) { Header = new PanelHeader($"我的账单 {bill.PersonNo} {bill.Month}"), Border = BoxBorder.Rounded };
    }

    private static BarChart Chart(string label) => new() { Label = label, Width = ChartWidth, ShowValues = false };

    /// <summary>The amount goes into the label: a chart shows a negative value as 0, and a month can give back more than it spent.</summary>
    private static string Labelled(string what, long fen) => $"{what} {Money.Yuan(fen)}";

    /// <summary>Yuan, for the bar's length; what was given back draws no bar.</summary>
    private static double Bar(long fen) => Math.Max(0, fen) / 100.0;

    private static string Label(MerchantCategory category) => category switch
    {
        MerchantCategory.Dining => "餐饮 dining",
        MerchantCategory.Bath => "浴室 bath",
        MerchantCategory.Internet => "上网 internet",
        MerchantCategory.Library => "图书 library",
        MerchantCategory.Supermarket => "超市 supermarket",
        _ => "其它 other",
    };

    private static Color Colour(MerchantCategory category) => category switch
    {
        MerchantCategory.Dining => Color.Orange1,
        MerchantCategory.Bath => Color.DeepSkyBlue1,
        MerchantCategory.Internet => Color.MediumPurple,
        MerchantCategory.Library => Color.Green,
        MerchantCategory.Supermarket => Color.Gold1,
        _ => Color.Grey,
    };
}
