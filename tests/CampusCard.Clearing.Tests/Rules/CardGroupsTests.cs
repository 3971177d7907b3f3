using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Tests.Rules;

/// <summary>A campus joins a card group only where the group's campuses keep their journal (a sale across it is one transaction).</summary>
public class CardGroupsTests
{
    private static readonly DateTimeOffset At = new(2026, 9, 1, 4, 0, 0, TimeSpan.Zero);

    private static Campus CampusOf(short no, string code, short database) => new(no, code, code, At, database);

    private static CampusConfiguration Version(short campus, string? group) => new(campus, 1, At, new CampusSettings { CardGroup = group }, "vendor", At);

    [Fact]
    public void A_campus_may_join_a_group_whose_campuses_share_its_journal_database_and_not_one_with_a_campus_elsewhere()
    {
        var campuses = new[] { CampusOf(2, "lingshui", 0), CampusOf(3, "kaifaqu", 0), CampusOf(4, "panjin", 1), CampusOf(5, "jinzhou", 1) };
        var versions = new[] { Version(2, "dlut"), Version(4, "pj"), Version(5, null) };

        Assert.Null(CardGroups.Apart(campuses[1], "dlut", campuses, versions));
        Assert.Null(CardGroups.Apart(campuses[3], "pj", campuses, versions));
        Assert.Equal("lingshui", CardGroups.Apart(campuses[3], "dlut", campuses, versions)?.Code);
        Assert.Equal("panjin", CardGroups.Apart(campuses[0], "pj", campuses, versions)?.Code);
    }

    [Theory]
    [InlineData("dlut", null)]
    [InlineData("dlut-2", null)]
    [InlineData("DLUT", "settings.card_group")]
    [InlineData("", "settings.card_group")]
    public void A_group_is_named_as_a_campus_code(string group, string? field) =>
        Assert.Equal(field, new CampusSettings { CardGroup = group }.Validate()?.Field);
}
