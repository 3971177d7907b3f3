namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// A test of what one instance of the service remembers (the batches it journaled, its caches, the sequences it saw).
/// Where the tests run several instances behind HAProxy (scripts/test.sh's cluster pass), which sends each call to
/// either, it is skipped with the reason in the output; the cluster's own tests cover those cases across instances.
/// </summary>
public sealed class SingleInstanceFactAttribute : FactAttribute
{
    /// <param name="remembers">What the test relies on one instance remembering.</param>
    public SingleInstanceFactAttribute(string remembers)
    {
        if (ServiceTestBase.InstanceCount > 1)
            Skip = $"relies on one instance remembering {remembers}; this pass sends each call to either of {ServiceTestBase.InstanceCount} instances";
    }
}
