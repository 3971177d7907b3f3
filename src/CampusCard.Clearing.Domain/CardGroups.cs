namespace CampusCard.Clearing.Domain;

/// <summary>
/// Campus groups (校区通用; handbook Q&amp;A 5: a 凌水 card works at 开发区, not at 盘锦): the campuses whose settings name one
/// <see cref="CampusSettings.CardGroup"/> take each other's cards at their terminals. A sale of a card of another campus of
/// the group is one transaction, written to one journal database: the group's campuses keep their journal in one.
/// </summary>
public static class CardGroups
{
    /// <summary>
    /// A campus that any version of its settings puts in <paramref name="group"/> and whose journal is in another database
    /// than <paramref name="campus"/>'s, or null: <paramref name="campus"/> may join the group only when there is none.
    /// </summary>
    public static Campus? Apart(Campus campus, string group, IEnumerable<Campus> campuses, IEnumerable<CampusConfiguration> versions)
    {
        var members = versions.Where(v => v.Campus != campus.No && v.Settings.CardGroup == group).Select(v => v.Campus).ToHashSet();
        return campuses.FirstOrDefault(c => members.Contains(c.No) && c.JournalDatabase != campus.JournalDatabase);
    }
}
