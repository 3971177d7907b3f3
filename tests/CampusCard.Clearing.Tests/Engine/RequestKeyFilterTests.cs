using CampusCard.Clearing.Engine.Internal;
using FsCheck.Xunit;

namespace CampusCard.Clearing.Tests.Engine;

public class RequestKeyFilterTests
{
    [Property]
    public bool Every_added_key_may_be_contained(string[] requestIds, string scope)
    {
        var filter = new RequestKeyFilter(requestIds.Length);
        var ids = requestIds.Select(id => id ?? "").ToArray();
        foreach (var id in ids) filter.Add(scope ?? "", id);
        return ids.All(id => filter.MayContain(scope ?? "", id));
    }

    [Fact]
    public void At_capacity_few_keys_never_added_are_taken_for_added_ones()
    {
        var filter = new RequestKeyFilter(100_000);
        for (var i = 0; i < 100_000; i++) filter.Add($"c:{i % 977}", $"req-{i}");

        var wrong = Enumerable.Range(0, 100_000).Count(i => filter.MayContain($"c:{i % 977}", $"other-{i}"));

        Assert.InRange(wrong, 0, 300);
    }

    [Fact]
    public void The_scope_is_part_of_the_key()
    {
        var filter = new RequestKeyFilter(1_000);
        for (var i = 0; i < 1_000; i++) filter.Add("c:A", $"req-{i}");

        Assert.InRange(Enumerable.Range(0, 1_000).Count(i => filter.MayContain("c:B", $"req-{i}")), 0, 10);
        Assert.False(filter.MayContain("c:Ar", "eq-1"));
    }
}
